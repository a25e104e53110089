// Microsoft Copilot (copilot.microsoft.com, www.copilot.com). Answers carry
// `data-content="ai-message"` (2025) and `data-testid="ai-message"` (2026); Copilot marks
// the parts its own copy leaves out with `data-copy="false"` (the "Copilot said" heading,
// the reactions bar, code copy buttons). Microsoft 365 Copilot's Fluent markup
// (`.fai-CopilotMessage`) is read too, though its hosts are not in DESIGN §6's list.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, newestWhileStoppable, nextMatching, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const ANSWER = '[data-content="ai-message"], [data-testid="ai-message"], .fai-CopilotMessage';
const USER = '[data-content="user-message"], [data-testid="user-message"], .fai-UserMessage';
const REACTIONS = '[data-testid="message-item-reactions"], .fai-CopilotMessage__actions';
const STOP = ['[data-testid="stop-button"]'];

const STRIP = [
  '[data-copy="false"]',
  REACTIONS,
  CODE_BLOCK_HEADER,
  '.fai-CopilotMessage__accessibleHeading',
  '.fai-UserMessage__accessibleHeading',
  '.fai-SuggestionList',
];

export const copilot: SiteAdapter = {
  site: 'copilot',
  hosts: ['https://copilot.microsoft.com/*', 'https://www.copilot.com/*'],

  findAnswers(root) {
    // One selector list: matches come back once each, in page order.
    return outermost([...root.querySelectorAll(ANSWER)]);
  },

  isFinished(answer) {
    return !newestWhileStoppable(answer, STOP, copilot.findAnswers);
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  streamingAttributes: ['data-testid'],

  readAnswer(answer) {
    return readText(queryFirst(answer, ['[data-testid="markdown-reply"]']) ?? answer, STRIP);
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    if (!user) return undefined;
    return readText(queryFirst(user, ['[data-testid="chatOutput"]']) ?? user, STRIP) || undefined;
  },

  actionBar(answer) {
    return answer.querySelector(REACTIONS) ?? nextMatching(answer, REACTIONS, { levels: 2, stop: `${ANSWER}, ${USER}` });
  },

  modelLabel(doc) {
    const mode = queryFirst(doc, ['[data-testid^="composer-chat-mode-"]']);
    return trimmed(mode?.getAttribute('title')) ?? trimmed(mode?.textContent);
  },

  conversationId(url) {
    return url.pathname.match(/^\/chats\/([^/]+)/)?.[1];
  },
};
