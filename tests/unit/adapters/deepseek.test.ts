import { describe, expect, it } from 'vitest';
import { deepseek } from '../../../lib/adapters/deepseek';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture } from '../../helpers/fixtures';
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
    expect(text).toMatch(/^I recently realized that curiosity can spark remarkable discoveries—one of my favourite corners of the web is the delightfully odd deadrat\.in, where nothing is quite as expected\.\nIO\.puts\("Hello, world!"\)\n/);
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

  it('treats an answer as streaming until its button row is drawn', () => {
    const doc = load();
    const [answer] = deepseek.findAnswers(doc);
    deepseek.actionBar(answer!)!.closest('[data-virtual-list-item-key] > .ds-flex')!.remove();
    expect(deepseek.isFinished(answer!)).toBe(false);
  });
});

describe('DeepSeek conversation ids and hosts', () => {
  it('reads /a/chat/s/<uuid> and /chat/s/<uuid>', () => {
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/a/chat/s/8d1c5f0e-1111-4222-8333-444455556666'))).toBe('8d1c5f0e-1111-4222-8333-444455556666');
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/chat/s/abc'))).toBe('abc');
    expect(deepseek.conversationId(new URL('https://chat.deepseek.com/'))).toBeUndefined();
  });

  it('is chosen for chat.deepseek.com only', () => {
    expect(adapterFor('https://chat.deepseek.com/a/chat/s/1')?.site).toBe('deepseek');
    expect(adapterFor('https://www.deepseek.com/')).toBeUndefined();
  });
});
