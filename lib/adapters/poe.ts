// Poe (poe.com). Poe's markup has no data attributes for messages but one: only CSS-module
// class names, matched by their stable prefix. Two generations: older bot/user bubbles
// `Message_botMessageBubble__*` / `Message_humanMessageBubble__*`, finished once the
// feedback buttons appear under the answer; current ones `Message_leftSideMessageBubble__*`
// / `Message_rightSideMessageBubble__*`, whose `ChatMessage_chatMessage__*` wrapper carries
// `data-complete="true"` once finished. The bot's name is in the URL of a new chat (`/<Bot>`).
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, nextMatching, outermost, previousMatching, queryFirst, readText } from './dom';

const ANSWER = '[class*="Message_botMessageBubble"], [class*="Message_leftSideMessageBubble"]';
const USER = '[class*="Message_humanMessageBubble"], [class*="Message_rightSideMessageBubble"]';
// The message wrapper; `__` keeps ChatMessage_chatMessageContainer and the like out.
const MESSAGE = '[class*="ChatMessage_chatMessage__"]';
const STOP = ['[class*="ChatStopMessageButton"]'];
const MARKDOWN = '[class*="Markdown_markdownContainer"]';
const FEEDBACK = '[class*="ChatMessageFeedbackButtons"]';
// First path segments that are Poe's own pages, not bots.
const NOT_BOTS = new Set([
  'chat',
  'settings',
  'explore',
  'login',
  'api',
  'about',
  'privacy',
  'tos',
  'create_bot',
  'edit_bot',
  'bots',
  'profile',
  'notifications',
  'search',
]);

const STRIP = ['[class*="MarkdownCodeBlock_codeHeader"]', CODE_BLOCK_HEADER];

export const poe: SiteAdapter = {
  site: 'poe',
  hosts: ['https://poe.com/*'],

  findAnswers(root) {
    return outermost([...root.querySelectorAll(ANSWER)]);
  },

  isFinished(answer) {
    const complete = answer.closest(MESSAGE)?.getAttribute('data-complete');
    if (complete != null) return complete === 'true';
    return poe.actionBar(answer) !== undefined;
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  streamingAttributes: ['data-complete'],

  readAnswer(answer) {
    const bodies = outermost([...answer.querySelectorAll(MARKDOWN)]);
    return (bodies.length ? bodies : [answer])
      .map((body) => readText(body, STRIP))
      .filter(Boolean)
      .join('\n\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    return user ? readText(user.querySelector(MARKDOWN) ?? user, STRIP) || undefined : undefined;
  },

  actionBar(answer) {
    return nextMatching(answer, FEEDBACK, { levels: 4, stop: `${ANSWER}, ${USER}` });
  },

  modelLabel(doc) {
    const bot = doc.location?.pathname.match(/^\/([A-Za-z0-9][\w.-]*)\/?$/)?.[1];
    return bot && !NOT_BOTS.has(bot.toLowerCase()) ? decodeURIComponent(bot) : undefined;
  },

  conversationId(url) {
    return url.pathname.match(/^\/chat\/([^/]+)/)?.[1];
  },
};
