import { describe, expect, it } from 'vitest';
import { mistral } from '../../../lib/adapters/mistral';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture, occurrences } from '../../helpers/adapter-captures';

describeEveryCapture(mistral, {
  // Counted by hand: one user message and one assistant message.
  answers: { 'Covai-Labs__mistral-chat.html': 1 },
  userTurn: '[data-message-author-role="user"]',
  chrome: [/Worked for/, /Thought for/, /The user wants a short response/, /^elixir$/m, /^Copy$/m, /Copy table/, /1:04pm/],
});

describeCaptures('Le Chat adapter', () => {
  const load = () => parsePage(readCapture('mistral', 'Covai-Labs__mistral-chat.html'));

  it('reads only the answer part: no reasoning, no code header, the rich table from its HTML', () => {
    const doc = load();
    const [answer] = mistral.findAnswers(doc);
    const text = mistral.readAnswer(answer!);
    expect(text).toMatch(/^Here you go:\nThis is a bold statement with italic emphasis and a link to deadrat\.in\.\nIO\.puts "Hello, World!"\n/);
    expect(text).toContain('Country\tMedian Wages (USD/year)\tAvg. Work Hours/Week\tPaid Leave Days\tUnion Membership Rate\nDenmark\t60,000\t37\t25\t67%');
    expect(occurrences(text, 'e^{i\\pi} + 1 = 0')).toBe(1);
  });

  it('finds the prompt without its time stamp, the footer and the mode', () => {
    const doc = load();
    const [answer] = mistral.findAnswers(doc);
    expect(mistral.readPrompt(answer!)).toMatch(/^Please write a short response that includes:\n1\. A paragraph containing \*\*bold text\*\*/);
    expect(mistral.readPrompt(answer!)).not.toContain('1:04pm');
    expect(mistral.actionBar(answer!)?.querySelector('button[aria-label="Like"]')).not.toBeNull();
    expect(mistral.modelLabel(doc, answer)).toBe('Work');
  });

  it('treats an answer without its footer as streaming, also when labels are not English', () => {
    const doc = load();
    const [answer] = mistral.findAnswers(doc);
    for (const button of answer!.querySelectorAll('button[aria-label]')) button.setAttribute('aria-label', 'Copier');
    expect(mistral.isFinished(answer!)).toBe(true);
    mistral.actionBar(answer!)!.remove();
    expect(mistral.isFinished(answer!)).toBe(false);
  });
});

// Our own page, so Le Chat is tested without ../shared.
describe('Le Chat adapter on a written page', () => {
  const load = () => parsePage(readOwnFixture('mistral.html'));

  it('reads only the answer parts, not the reasoning, and the question before them', () => {
    const doc = load();
    const answers = mistral.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(mistral.readAnswer(answers[0]!)).toBe(
      "En Suisse, on écrit 1'234.5 : apostrophe pour les milliers, point décimal.\nFrance : 1 234,5\nSuisse : 1'234.5",
    );
    expect(mistral.readPrompt(answers[0]!)).toBe('Comment écrit-on 1234,5 en Suisse ?');
    expect(mistral.readPrompt(answers[1]!)).toBe('Et les prix ?');
  });

  it('treats an answer as streaming until its footer is drawn', () => {
    const doc = load();
    const [first, second] = mistral.findAnswers(doc);
    expect(mistral.isFinished(first!)).toBe(true);
    expect(mistral.isFinished(second!)).toBe(false);
    expect(mistral.isGenerating!(doc)).toBe(true);
    const template = doc.getElementById('finish-streaming') as HTMLTemplateElement;
    doc.querySelector('[data-fixture="streaming-answer"] > div')!.append(template.content.cloneNode(true));
    doc.querySelector('[data-testid="stop-button"]')!.remove();
    expect(mistral.isFinished(second!)).toBe(true);
    expect(mistral.isGenerating!(doc)).toBe(false);
  });
});

describe('Le Chat conversation ids and hosts', () => {
  it('reads /chat/<uuid>', () => {
    expect(mistral.conversationId(new URL('https://chat.mistral.ai/chat/acf754c0-ed35-466e-b71a-3186abafeb13'))).toBe('acf754c0-ed35-466e-b71a-3186abafeb13');
    expect(mistral.conversationId(new URL('https://chat.mistral.ai/'))).toBeUndefined();
  });

  it('is chosen for chat.mistral.ai only', () => {
    expect(adapterFor('https://chat.mistral.ai/chat/1')?.site).toBe('mistral');
    expect(adapterFor('https://mistral.ai/')).toBeUndefined();
  });
});
