import { describe, expect, it } from 'vitest';
import { deepseek } from '../../../lib/adapters/deepseek';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture, occurrences } from '../../helpers/adapter-captures';

describeEveryCapture(deepseek, {
  // Counted by hand: two virtual-list items, the user's message and one answer.
  answers: { 'Covai-Labs__deepseek-chat.html': 1 },
  userTurn: '.ds-message:not(:has(.ds-markdown))',
  chrome: [/Thought for/, /^elixir$/m, /^Copy$/m, /^Download$/m],
});

describeCaptures('DeepSeek adapter', () => {
  const load = () => parsePage(readCapture('deepseek', 'Covai-Labs__deepseek-chat.html'));

  it('reads the answer without the thinking header or the code banner', () => {
    const doc = load();
    const [answer] = deepseek.findAnswers(doc);
    const text = deepseek.readAnswer(answer!);
    expect(text).toMatch(
      /^I recently realized that curiosity can spark remarkable discoveries—one of my favourite corners of the web is the delightfully odd deadrat\.in, where nothing is quite as expected\.\nIO\.puts\("Hello, world!"\)\n/,
    );
    expect(text).toContain('Country\tMedian Wage (USD)\tAvg Work Hours/Week\tPaid Leave Days\tUnion Membership Rate (%)\nDenmark\t58,000\t33.5\t25\t66');
    expect(occurrences(text, 'e^{i\\pi} + 1 = 0')).toBe(1);
  });

  it('finds the prompt, the icon-button row and the mode in the header', () => {
    const doc = load();
    const [answer] = deepseek.findAnswers(doc);
    expect(deepseek.readPrompt(answer!)).toMatch(/^Please write a short response that includes: 1\. A paragraph/);
    expect(deepseek.actionBar(answer!)?.querySelectorAll('.ds-icon-button').length).toBeGreaterThanOrEqual(3);
    expect(deepseek.modelLabel(doc, answer)).toBe('Expert');
  });

  it('sees a running answer only while the send slot is enabled on an empty message box', () => {
    const doc = load();
    expect(deepseek.isGenerating!(doc)).toBe(false);
    const send = doc.querySelector('.ds-icon-button--disabled')!;
    send.classList.remove('ds-icon-button--disabled');
    send.setAttribute('aria-disabled', 'false');
    expect(deepseek.isGenerating!(doc)).toBe(true);
  });

  it('treats an answer as streaming until its button row is drawn', () => {
    const doc = load();
    const [answer] = deepseek.findAnswers(doc);
    deepseek.actionBar(answer!)!.closest('[data-virtual-list-item-key] > .ds-flex')!.remove();
    expect(deepseek.isFinished(answer!)).toBe(false);
  });
});

describe('DeepSeek adapter on the 2026-07 markup (ds-button--icon rows)', () => {
  const load = () => parsePage(readOwnFixture('deepseek-2026-07.html'));

  it('finds both answers and reads them without the thinking block', () => {
    const doc = load();
    const answers = deepseek.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(deepseek.readAnswer(answers[0]!)).toBe('In Ireland the day comes first: 5/3/2026.\nLong form: 5 March 2026\nNever 3/5/2026');
    expect(deepseek.readPrompt(answers[0]!)).toBe('How do people in Ireland write 5 March 2026?');
    expect(deepseek.readPrompt(answers[1]!)).toBe('And 3 in the afternoon?');
    expect(deepseek.modelLabel(doc, answers[0])).toBe('Instant');
  });

  it('counts an answer finished once its ds-button--icon row is drawn, and puts our button in that row', () => {
    const doc = load();
    const [first, second] = deepseek.findAnswers(doc);
    expect(deepseek.isFinished(first!)).toBe(true);
    expect(deepseek.actionBar(first!)?.querySelectorAll(':scope > .ds-button--icon')).toHaveLength(4);
    expect(deepseek.isFinished(second!)).toBe(false);
    const template = doc.getElementById('finish-streaming') as HTMLTemplateElement;
    doc.querySelector('[data-fixture="streaming-item"]')!.append(template.content.cloneNode(true));
    expect(deepseek.isFinished(second!)).toBe(true);
    expect(deepseek.actionBar(second!)?.querySelectorAll(':scope > .ds-button--icon')).toHaveLength(3);
  });

  it('sees a running answer by the send slot enabled on an empty message box', () => {
    const doc = load();
    expect(deepseek.isGenerating!(doc)).toBe(true);
    doc.querySelector('[data-fixture="send"]')!.setAttribute('aria-disabled', 'true');
    expect(deepseek.isGenerating!(doc)).toBe(false);
    // With a draft typed, an enabled send slot is just the send button.
    doc.querySelector('[data-fixture="send"]')!.setAttribute('aria-disabled', 'false');
    (doc.querySelector('textarea') as HTMLTextAreaElement).value = 'Danke';
    expect(deepseek.isGenerating!(doc)).toBe(false);
  });
});

describe('DeepSeek conversation ids and hosts', () => {
  it('reads /a/chat/s/<uuid> and /chat/s/<uuid>', () => {
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/a/chat/s/8d1c5f0e-1111-4222-8333-444455556666'))).toBe(
      '8d1c5f0e-1111-4222-8333-444455556666',
    );
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/chat/s/abc'))).toBe('abc');
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/'))).toBeUndefined();
  });

  it('is chosen for chat.deepseek.com only', () => {
    expect(adapterFor('https://chat.deepseek.com/a/chat/s/1')?.site).toBe('deepseek');
    expect(adapterFor('https://www.deepseek.com/')).toBeUndefined();
  });
});
