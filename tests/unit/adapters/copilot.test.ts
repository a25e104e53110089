import { describe, expect, it } from 'vitest';
import { copilot } from '../../../lib/adapters/copilot';
import { CODE_BLOCK_HEADER, readText } from '../../../lib/adapters/dom';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture } from '../../helpers/adapter-captures';

describeEveryCapture(copilot, {
  // Counted by hand: one "Copilot said" message per answer. copilot-codeblock-dom is a
  // fragment holding one code block and no message.
  answers: {
    'Covai-Labs__copilot-m365.html': 1,
    'Covai-Labs__copilot.html': 1,
    'revivalstack__copilot-chat-dom.html': 2,
    'revivalstack__copilot-codeblock-dom.html': 0,
    'revivalstack__copilot-dom-2question-ans-pairs.html': 2,
  },
  userTurn: '[data-content="user-message"], .fai-UserMessage',
  chrome: [/Copilot said/, /You said/, /^Copy$/m, /^(bash|python|elixir|Code)$/m, /Suggest another/, /^Like$/m],
});

describeCaptures('Copilot adapter', () => {
  it('reads the 2026 layout without the heading, the code header or the reactions bar', () => {
    const doc = parsePage(readCapture('copilot', 'revivalstack__copilot-dom-2question-ans-pairs.html'));
    const [first, second] = copilot.findAnswers(doc);
    expect(copilot.readAnswer(first!)).toMatch(/^I’m Microsoft Copilot — the latest version designed as an AI companion/);
    expect(copilot.readAnswer(second!)).toContain(
      'Here’s the simplest Python “Hello, World!” program:\n# This is a basic Python program\nprint("Hello, World!")\nWhen you run this script',
    );
    expect(copilot.readPrompt(second!)).toBe('can you show sample python hello world?');
    expect(copilot.actionBar(first!)?.getAttribute('data-testid')).toBe('message-item-reactions');
    expect(copilot.modelLabel(doc, first)).toBe('Smart');
  });

  it('finds the reactions bar inside the answer in the 2025 layout', () => {
    const doc = parsePage(readCapture('copilot', 'revivalstack__copilot-chat-dom.html'));
    const [, second] = copilot.findAnswers(doc);
    expect(copilot.readAnswer(second!)).toContain('#!/bin/bash');
    expect(copilot.readAnswer(second!)).toContain('make it executable with chmod +x show_dir.sh, and run it with ./show_dir.sh.');
    expect(copilot.actionBar(second!)?.getAttribute('data-testid')).toBe('message-item-reactions');
    expect(copilot.readPrompt(second!)).toBe('can you post a simple bash script that outputs current directory');
  });

  it('reads tables as tab-separated rows', () => {
    const doc = parsePage(readCapture('copilot', 'Covai-Labs__copilot.html'));
    const text = copilot.readAnswer(copilot.findAnswers(doc)[0]!);
    expect(text).toContain('Country\tMedian Wages\tAvg. Work Hours/Week\nDenmark\t~$3,500\t37');
    expect(text).toContain('IO.puts "Hello, world!"');
  });

  it('reads Microsoft 365 Copilot markup too', () => {
    const doc = parsePage(readCapture('copilot', 'Covai-Labs__copilot-m365.html'));
    const [answer] = copilot.findAnswers(doc);
    expect(copilot.readAnswer(answer!)).toBe(
      "I'd love to! Since your placeholders are still generic, here are a few matched recommendations:\nA Gentleman in Moscow by Amor Towles\nThe Thursday Murder Club by Richard Osman",
    );
    expect(copilot.readPrompt(answer!)).toMatch(/^Recommend a book for me about \[topic or mood\]/);
    expect(copilot.actionBar(answer!)?.classList.contains('fai-CopilotMessage__actions')).toBe(true);
  });

  it('drops the header of a bare code block (fragment capture)', () => {
    const doc = parsePage(readCapture('copilot', 'revivalstack__copilot-codeblock-dom.html'));
    expect(readText(doc.body, [CODE_BLOCK_HEADER])).toMatch(/^#!\/bin\/bash\n/);
  });

  it('treats the newest answer as streaming while the stop button shows', () => {
    const doc = parsePage(readCapture('copilot', 'revivalstack__copilot-dom-2question-ans-pairs.html'));
    const [first, second] = copilot.findAnswers(doc);
    const stop = doc.createElement('button');
    stop.setAttribute('data-testid', 'stop-button');
    doc.body.append(stop);
    expect(copilot.isFinished(second!)).toBe(false);
    expect(copilot.isFinished(first!)).toBe(true);
    stop.remove();
    expect(copilot.isFinished(second!)).toBe(true);
  });
});

// Our own page, so Copilot is tested without ../shared.
describe('Copilot adapter on a written page (2026 layout)', () => {
  const load = () => parsePage(readOwnFixture('copilot-2026.html'));

  it('reads both answers without the "Copilot said" heading or the reactions', () => {
    const doc = load();
    const answers = copilot.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(copilot.readAnswer(answers[0]!)).toBe(
      'In India it is written ₹1,00,000: one lakh, grouped in twos after the thousands.\n₹10,00,000 is ten lakh\n₹1,00,00,000 is one crore',
    );
    expect(copilot.readPrompt(answers[0]!)).toBe('How do Indians write one hundred thousand rupees?');
    expect(copilot.readPrompt(answers[1]!)).toBe('And in Pakistan?');
    expect(copilot.actionBar(answers[0]!)?.getAttribute('data-testid')).toBe('message-item-reactions');
  });

  it('treats the newest answer as streaming while the stop button shows', () => {
    const doc = load();
    const [first, second] = copilot.findAnswers(doc);
    expect(copilot.isGenerating!(doc)).toBe(true);
    expect(copilot.isFinished(first!)).toBe(true);
    expect(copilot.isFinished(second!)).toBe(false);
    doc.querySelector('[data-testid="stop-button"]')!.remove();
    expect(copilot.isGenerating!(doc)).toBe(false);
    expect(copilot.isFinished(second!)).toBe(true);
  });
});

describe('Copilot conversation ids and hosts', () => {
  it('reads /chats/<id>', () => {
    expect(copilot.conversationId(new URL('https://copilot.microsoft.com/chats/2yp9JesX5upgUDm1YT9U9'))).toBe('2yp9JesX5upgUDm1YT9U9');
    expect(copilot.conversationId(new URL('https://copilot.microsoft.com/'))).toBeUndefined();
  });

  it('is chosen for copilot.microsoft.com and www.copilot.com, not for Microsoft 365', () => {
    expect(adapterFor('https://copilot.microsoft.com/chats/1')?.site).toBe('copilot');
    expect(adapterFor('https://www.copilot.com/chats/1')?.site).toBe('copilot');
    expect(adapterFor('https://m365.cloud.microsoft/chat')).toBeUndefined();
  });
});
