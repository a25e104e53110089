// Poe (poe.com). Poe's markup has no data attributes for messages: only CSS-module class
// names (`Message_botMessageBubble__<hash>`), matched by their stable prefix. This is the
// weakest adapter: a renamed module breaks it. The feedback buttons appear under an answer
// once it has finished. The bot's name is in the URL of a new chat (`/<Bot>`).
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, nextMatching, outermost, previousMatching, readText } from './dom';

const ANSWER = '[class*="Message_botMessageBubble"]';
const USER = '[class*="Message_humanMessageBubble"]';
const MARKDOWN = '[class*="Markdown_markdownContainer"]';
const FEEDBACK = '[class*="ChatMessageFeedbackButtons"]';
// First path segments that are Poe's own pages, not bots.
const NOT_BOTS = new Set(['chat', 'settings', 'explore', 'login', 'api', 'about', 'privacy', 'tos', 'create_bot', 'edit_bot', 'bots', 'profile', 'notifications', 'search']);

const STRIP = ['[class*="MarkdownCodeBlock_codeHeader"]', CODE_BLOCK_HEADER];

export const poe: SiteAdapter = {
  site: 'poe',
  hosts: ['https://poe.com/*'],

  findAnswers(root) {
    return outermost([...root.querySelectorAll(ANSWER)]);
  },

  isFinished(answer) {
    return poe.actionBar(answer) !== undefined;
  },

  readAnswer(answer) {
    const bodies = outermost([...answer.querySelectorAll(MARKDOWN)]);
    return (bodies.length ? bodies : [answer]).map((body) => readText(body, STRIP)).filter(Boolean).join('\n\n');
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
