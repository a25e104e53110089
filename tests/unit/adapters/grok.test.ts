import { describe, expect, it } from 'vitest';
import { grok } from '../../../lib/adapters/grok';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture } from '../../helpers/adapter-captures';

describeEveryCapture(grok, {
  // Counted by hand: div[id^="response-"] rows alternate user (.items-end) and Grok
  // (.items-start): 4 rows = 2 answers, 10 rows = 5 answers.
  answers: {
    'revivalstack__grok-dom-2question-ans-pairs.html': 2,
    'revivalstack__grok-dom-5question-ans-pairs.html': 5,
  },
  userTurn: 'div[id^="response-"].items-end',
  // (No /^Python$/: one answer has a "Python" heading of its own.)
  chrome: [/Thought for/, /^text$/m, /^Copy$/m, /^\d+(\.\d+)?s$/m, /Demonstrate with current crypto price/],
});

describeCaptures('Grok adapter, older layout (response rows)', () => {
  it('reads answers and prompts, not the follow-up suggestions', () => {
    const doc = parsePage(readCapture('grok', 'revivalstack__grok-dom-2question-ans-pairs.html'));
    const [first, second] = grok.findAnswers(doc);
    expect(grok.readAnswer(first!)).toBe("I'm Grok 4. 😄");
    expect(grok.readPrompt(first!)).toBe('what version of grok are you?');
    expect(grok.readAnswer(second!)).toContain('Yes, I can do real-time searches.\nI have several tools');
    expect(grok.readAnswer(second!)).not.toContain('Latest AI news updates');
    expect(grok.actionBar(second!)?.querySelector('button[aria-label="Regenerate"]')).not.toBeNull();
  });

  it('keeps code but not its language label, and skips the thinking block', () => {
    const doc = parsePage(readCapture('grok', 'revivalstack__grok-dom-5question-ans-pairs.html'));
    const answers = grok.findAnswers(doc);
    const showcase = grok.readAnswer(answers[2]!);
    expect(showcase).toContain('Plain text code block:\nthis is raw text\n  indented\nLanguage-specified');
    // The "Python" label sits between these two lines on the page.
    expect(showcase).toContain('Language-specified (most exporters syntax-highlight these):\ndef greet(name: str) -> str:');
    expect(showcase).toContain('Feature\tMarkdown syntax\tUsually renders as\tNotes');
    expect(grok.modelLabel(doc, answers[0])).toBe('Expert');
  });

  it('treats the newest answer as streaming while the stop button shows', () => {
    const doc = parsePage(readCapture('grok', 'revivalstack__grok-dom-2question-ans-pairs.html'));
    const [first, second] = grok.findAnswers(doc);
    const stop = doc.createElement('button');
    stop.setAttribute('aria-label', 'Stop model response');
    doc.body.append(stop);
    expect(grok.isFinished(second!)).toBe(false);
    expect(grok.isFinished(first!)).toBe(true);
  });
});

describe('Grok adapter on the 2026-09 layout (assistant-message)', () => {
  const load = () => parsePage(readOwnFixture('grok-2026-09.html'));

  it('finds both answers and reads them without thinking or code header', () => {
    const doc = load();
    const answers = grok.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(grok.readAnswer(answers[0]!)).toBe('Canadians write centre and metre, like the British, but tire like Americans.\ncentre, metre, tire');
    expect(grok.readPrompt(answers[0]!)).toBe('How do Canadians spell "centre"?');
    expect(grok.readPrompt(answers[1]!)).toBe('And "colour"?');
    expect(grok.actionBar(answers[0]!)?.classList.contains('action-buttons')).toBe(true);
    expect(grok.modelLabel(doc, answers[0])).toBe('Fast');
  });

  it('treats the newest answer as settled once the stop button is gone', () => {
    const doc = load();
    const [first, second] = grok.findAnswers(doc);
    expect(grok.isFinished(first!)).toBe(true);
    expect(grok.isFinished(second!)).toBe(false);
    doc.querySelector('button[aria-label="Stop model response"]')!.remove();
    expect(grok.isFinished(second!)).toBe(true);
  });
});

describe('Grok citation chips (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('grok-citations.html'));

  it('leaves out chip labels and the word joiners at their edges', () => {
    const doc = load();
    const [first, second] = grok.findAnswers(doc);
    const text = grok.readAnswer(first!);
    expect(text).toBe('Australians put the day first: 5/3/2026. In running text, write 5 March 2026 without a comma.\nNever 3/5/2026, the US order.');
    expect(text).not.toMatch(/ABS|Style Manual|Macquarie|\u2060/);
    expect(grok.readAnswer(second!)).toBe('Most Australians write 3:30 pm, with a space and');
  });

  it('still finds the prompt and the action bar of an answer with chips', () => {
    const doc = load();
    const [first] = grok.findAnswers(doc);
    expect(grok.readPrompt(first!)).toBe('How do Australians write 5 March 2026?');
    expect(grok.actionBar(first!)?.querySelector('button[aria-label="Regenerate"]')).not.toBeNull();
    expect(grok.isFinished(first!)).toBe(true);
  });
});

describe('Grok share pages (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('grok-share.html'));

  it('finds the shared answers and reads them without the thinking block', () => {
    const doc = load();
    const answers = grok.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(grok.readAnswer(answers[0]!)).toBe('Many still use stones and pounds for body weight, though kilograms are official.');
    expect(grok.readPrompt(answers[0]!)).toBe('Do people in the UK weigh themselves in kilos?');
    expect(grok.readAnswer(answers[1]!)).toBe('Road signs give distances in miles and speeds in mph.');
  });

  it('counts them finished without a composer and finds their copy row', () => {
    const doc = load();
    expect(grok.isGenerating!(doc)).toBe(false);
    for (const answer of grok.findAnswers(doc)) {
      expect(grok.isFinished(answer)).toBe(true);
      expect(grok.actionBar(answer)?.classList.contains('action-buttons')).toBe(true);
    }
  });

  it('takes the share id as the conversation id', () => {
    expect(grok.conversationId(new URL('https://grok.com/share/bGVnYWN5_0d7e1c2a-1111'))).toBe('bGVnYWN5_0d7e1c2a-1111');
    expect(adapterFor('https://grok.com/share/bGVnYWN5')?.site).toBe('grok');
  });
});

describe('Grok conversation ids and hosts', () => {
  it('reads /c/<uuid> and /chat/<uuid>', () => {
    expect(grok.conversationId(new URL('https://grok.com/c/0d7e1c2a-1111-4b22-8333-444455556666'))).toBe('0d7e1c2a-1111-4b22-8333-444455556666');
    expect(grok.conversationId(new URL('https://grok.com/chat/abc'))).toBe('abc');
    expect(grok.conversationId(new URL('https://grok.com/'))).toBeUndefined();
  });

  it('is chosen for grok.com only', () => {
    expect(adapterFor('https://grok.com/c/1')?.site).toBe('grok');
    expect(adapterFor('https://x.com/i/grok')).toBeUndefined();
  });
});
