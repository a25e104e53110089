import { describe, expect, it } from 'vitest';
import { meta } from '../../../lib/adapters/meta';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture, occurrences } from '../../helpers/adapter-captures';

describeEveryCapture(meta, {
  // Counted by hand: two message items, ids ending _user and _assistant.
  answers: { 'Covai-Labs__meta-chat.html': 1 },
  userTurn: '[data-message-id$="_user"]',
  chrome: [/^Elixir$/im, /en\.wikipedia\.org/, /^Sources$/m, /Copy response/, /^Today$/m],
});

describeCaptures('Meta AI adapter', () => {
  const load = () => parsePage(readCapture('meta', 'Covai-Labs__meta-chat.html'));

  it('joins the markdown blocks, keeps table rows on one line and math from the image alt text', () => {
    const doc = load();
    const [answer] = meta.findAnswers(doc);
    const text = meta.readAnswer(answer!);
    expect(text).toMatch(
      /^Bold ideas travel fast, italic doubts linger longer, and a good rabbit hole is worth a click: link to deadrat\.in\.\nIO\.puts\("Hello, world!"\)\nLabor snapshot\n/,
    );
    expect(text).toContain(
      'Country\tMedian wages\tAverage work hours per week\tPaid leave days\tUnion membership rate\nDenmark\t~ $58,000 /yr\t~ 33 hrs\t35-40 days\t~ 60-64%',
    );
    expect(text).toMatch(/and data source\.\nMath\n/);
    expect(occurrences(text, 'e^{i\\pi}+1=0')).toBe(1);
  });

  it('finds the prompt without its time stamp and the actions row; shows no model', () => {
    const doc = load();
    const [answer] = meta.findAnswers(doc);
    expect(meta.readPrompt(answer!)).toMatch(/^Please write a short response that includes: 1\. A paragraph/);
    expect(meta.actionBar(answer!)?.querySelector('button[aria-label="Like this response"]')).not.toBeNull();
    expect(meta.modelLabel(doc, answer)).toBeUndefined();
  });

  it("follows the answer's own streaming flags", () => {
    const doc = load();
    const [answer] = meta.findAnswers(doc);
    answer!.setAttribute('data-streaming-complete', 'false');
    answer!.setAttribute('data-streaming-state', 'STREAMING');
    expect(meta.isFinished(answer!)).toBe(false);
    answer!.removeAttribute('data-streaming-complete');
    expect(meta.isFinished(answer!)).toBe(false);
    answer!.setAttribute('data-streaming-state', 'DONE');
    expect(meta.isFinished(answer!)).toBe(true);
  });
});

// Our own page, so Meta AI is tested without ../shared.
describe('Meta AI adapter on a written page', () => {
  const load = () => parsePage(readOwnFixture('meta.html'));

  it('joins the markdown blocks without the citation pill or the actions', () => {
    const doc = load();
    const answers = meta.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(meta.readAnswer(answers[0]!)).toBe(
      'In Germany, dial 112 for fire and ambulance, and 110 for the police.\n112: Feuerwehr, Rettungsdienst\n110: Polizei',
    );
    expect(meta.readPrompt(answers[0]!)).toBe('What is the emergency number in Germany?');
    expect(meta.readPrompt(answers[1]!)).toBe('And in Austria?');
    expect(meta.actionBar(answers[0]!)?.querySelector('button[aria-label="Copy response"]')).not.toBeNull();
  });

  it('follows the answers’ own streaming flags, which also say one is running', () => {
    const doc = load();
    const [first, second] = meta.findAnswers(doc);
    expect(meta.isFinished(first!)).toBe(true);
    expect(meta.isFinished(second!)).toBe(false);
    expect(meta.isGenerating!(doc)).toBe(true);
    second!.setAttribute('data-streaming-state', 'DONE');
    second!.setAttribute('data-streaming-complete', 'true');
    expect(meta.isFinished(second!)).toBe(true);
    expect(meta.isGenerating!(doc)).toBe(false);
  });
});

describe('Meta AI conversation ids and hosts', () => {
  it('reads /prompt/<uuid>', () => {
    expect(meta.conversationId(new URL('https://www.meta.ai/prompt/d6feeb65-bf42-43f6-a5fa-a4021eb5dbd3'))).toBe('d6feeb65-bf42-43f6-a5fa-a4021eb5dbd3');
    expect(meta.conversationId(new URL('https://www.meta.ai/'))).toBeUndefined();
  });

  it('is chosen for www.meta.ai', () => {
    expect(adapterFor('https://www.meta.ai/prompt/1')?.site).toBe('meta');
    expect(adapterFor('https://www.facebook.com/')).toBeUndefined();
  });
});
