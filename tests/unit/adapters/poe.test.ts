import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { poe } from '../../../lib/adapters/poe';
import { adapterFor } from '../../../lib/adapters';
import { parsePage, readOwnFixture } from '../../helpers/fixtures';

// No capture of Poe exists yet: the pages below were written from DESIGN §6 and issue 7.
describe('Poe adapter, older layout (bot/human bubbles)', () => {
  const load = () => parsePage(readOwnFixture('poe.html'));

  it('finds both bot answers, not the prompts, and reads them without the code header', () => {
    const doc = load();
    const answers = poe.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(poe.readAnswer(answers[0]!)).toBe('In Ireland it is 5/3/2026: day first, then month.\n5 March 2026 (long form)\n05/03/2026 (forms)\n05/03/2026');
    expect(poe.readPrompt(answers[0]!)).toBe('How do people in Ireland write the date 5 March 2026?');
    expect(poe.readPrompt(answers[1]!)).toBe('And the time 3 in the afternoon?');
  });

  it('treats an answer as streaming until its feedback buttons appear', () => {
    const doc = load();
    const [first, second] = poe.findAnswers(doc);
    expect(poe.isFinished(first!)).toBe(true);
    expect(poe.isFinished(second!)).toBe(false);
    const template = doc.getElementById('finish-streaming') as HTMLTemplateElement;
    doc.querySelector('[data-fixture="streaming-message"]')!.append(template.content.cloneNode(true));
    expect(poe.isFinished(second!)).toBe(true);
    expect(poe.actionBar(second!)?.querySelector('button[aria-label="Like"]')).not.toBeNull();
  });

  it("names the bot from the page's URL", async () => {
    const window = new Window({ url: 'https://poe.com/Claude-Sonnet-4.5' });
    const doc = window.document as unknown as Document;
    expect(poe.modelLabel(doc)).toBe('Claude-Sonnet-4.5');
    window.happyDOM.setURL('https://poe.com/chat/2x9q1w0e3r');
    expect(poe.modelLabel(doc)).toBeUndefined();
    window.happyDOM.setURL('https://poe.com/explore');
    expect(poe.modelLabel(doc)).toBeUndefined();
    await window.happyDOM.close();
  });
});

describe('Poe adapter on current pages (left/right-side bubbles, data-complete)', () => {
  const load = () => parsePage(readOwnFixture('poe-2026.html'));

  it('finds the bot’s left-side bubbles, not the user’s right-side ones, and reads them', () => {
    const doc = load();
    const answers = poe.findAnswers(doc);
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.className).toContain('Message_leftSideMessageBubble');
    expect(poe.readAnswer(answers[0]!)).toBe('In Scotland, as in the rest of the UK, it is the pavement.\npavement (UK)\nsidewalk (US)');
    expect(poe.readPrompt(answers[0]!)).toBe('Do people in Scotland say "pavement" or "sidewalk"?');
    expect(poe.readPrompt(answers[1]!)).toBe('And "car park"?');
  });

  it('counts a message finished by data-complete on its ChatMessage wrapper', () => {
    const doc = load();
    const [first, second] = poe.findAnswers(doc);
    expect(poe.isFinished(first!)).toBe(true);
    expect(poe.isFinished(second!)).toBe(false);
    doc.querySelector('[data-fixture="streaming-message"]')!.setAttribute('data-complete', 'true');
    expect(poe.isFinished(second!)).toBe(true);
    expect(poe.actionBar(second!)).toBeUndefined(); // no bar known: our button goes after the answer
  });

  it('sees a running answer by the stop button', () => {
    const doc = load();
    expect(poe.isGenerating!(doc)).toBe(true);
    doc.querySelector('[class*="ChatStopMessageButton"]')!.remove();
    expect(poe.isGenerating!(doc)).toBe(false);
    expect(poe.streamingAttributes).toContain('data-complete');
  });
});

describe('Poe conversation ids and hosts', () => {
  it('reads /chat/<id>', () => {
    expect(poe.conversationId(new URL('https://poe.com/chat/2x9q1w0e3r'))).toBe('2x9q1w0e3r');
    expect(poe.conversationId(new URL('https://poe.com/Claude-Sonnet-4.5'))).toBeUndefined();
  });

  it('is chosen for poe.com', () => {
    expect(adapterFor('https://poe.com/chat/1')?.site).toBe('poe');
  });
});
