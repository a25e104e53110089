import { describe, expect, it } from 'vitest';
import { huggingchat } from '../../../lib/adapters/huggingchat';
import { adapterFor } from '../../../lib/adapters';
import { parsePage, readOwnFixture } from '../../helpers/fixtures';

// No capture of HuggingChat exists yet: the page below was written from DESIGN §6.
describe('HuggingChat adapter', () => {
  const load = () => parsePage(readOwnFixture('huggingchat.html'));

  it('finds both answers, not user turns or the sidebar, and reads them without the reasoning', () => {
    const doc = load();
    const answers = huggingchat.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(answers.every((a) => a.getAttribute('data-message-role') === 'assistant')).toBe(true);
    expect(huggingchat.readAnswer(answers[0]!)).toBe(
      'New Zealand uses aluminium, as in British English.\naluminium (NZ, UK, AU)\naluminum (US)\naluminium foil',
    );
    expect(huggingchat.readPrompt(answers[0]!)).toBe('Is it "aluminum" or "aluminium" in New Zealand?');
    expect(huggingchat.readPrompt(answers[1]!)).toBe('And "tire" or "tyre"?');
  });

  it('finds the Retry/Copy row and the model link', () => {
    const doc = load();
    const [first] = huggingchat.findAnswers(doc);
    expect(huggingchat.actionBar(first!)?.querySelector('button[title="Retry"]')).not.toBeNull();
    expect(huggingchat.modelLabel(doc, first)).toBe('meta-llama/Llama-3.3-70B-Instruct');
  });

  it('treats the newest answer as streaming while the stop button shows', () => {
    const doc = load();
    const [first, second] = huggingchat.findAnswers(doc);
    expect(huggingchat.isFinished(first!)).toBe(true);
    expect(huggingchat.isFinished(second!)).toBe(false);
    doc.querySelector('.stop-generating-btn')!.remove();
    expect(huggingchat.isFinished(second!)).toBe(true);
  });
});

describe('HuggingChat conversation ids and hosts', () => {
  it('reads /chat/conversation/<id>', () => {
    expect(huggingchat.conversationId(new URL('https://huggingface.co/chat/conversation/66f0aa11bb22cc33dd44ee55'))).toBe('66f0aa11bb22cc33dd44ee55');
    expect(huggingchat.conversationId(new URL('https://huggingface.co/chat/'))).toBeUndefined();
  });

  it('is chosen for the chat app only, not the rest of huggingface.co', () => {
    expect(adapterFor('https://huggingface.co/chat')?.site).toBe('huggingchat');
    expect(adapterFor('https://huggingface.co/chat/')?.site).toBe('huggingchat');
    expect(adapterFor('https://huggingface.co/chat/conversation/abc')?.site).toBe('huggingchat');
    expect(adapterFor('https://huggingface.co/chatbot-arena')).toBeUndefined();
    expect(adapterFor('https://huggingface.co/models')).toBeUndefined();
    expect(adapterFor('https://huggingface.co/spaces/someone/chat')).toBeUndefined();
  });
});
