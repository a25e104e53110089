import { describe, expect, it } from 'vitest';
import { Window } from 'happy-dom';
import { poe } from '../../../lib/adapters/poe';
import { adapterFor } from '../../../lib/adapters';
import { parsePage, readOwnFixture } from '../../helpers/fixtures';

// No capture of Poe exists yet: the page below was written from DESIGN §6.
describe('Poe adapter', () => {
  const load = () => parsePage(readOwnFixture('poe.html'));

  it('finds both bot answers, not the prompts, and reads them without the code header', () => {
    const doc = load();
    const answers = poe.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(poe.readAnswer(answers[0]!)).toBe(
      'In Ireland it is 5/3/2026: day first, then month.\n5 March 2026 (long form)\n05/03/2026 (forms)\n05/03/2026',
    );
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

describe('Poe conversation ids and hosts', () => {
  it('reads /chat/<id>', () => {
    expect(poe.conversationId(new URL('https://poe.com/chat/2x9q1w0e3r'))).toBe('2x9q1w0e3r');
    expect(poe.conversationId(new URL('https://poe.com/Claude-Sonnet-4.5'))).toBeUndefined();
  });

  it('is chosen for poe.com', () => {
    expect(adapterFor('https://poe.com/chat/1')?.site).toBe('poe');
  });
});
