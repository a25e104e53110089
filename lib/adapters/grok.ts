// Grok (grok.com). Two layouts (DESIGN §6): older turns are `div[id^="response-"]`, the
// assistant's aligned left (`.items-start`) and the user's right (`.items-end`), each with
// a `.message-bubble`; since 2026-09 answers are `[data-testid="assistant-message"]`.
// Answer text is `.response-content-markdown`; "Thought for …" sits in `.thinking-container`.
// Share pages (`/share/<id>`) show the same turns read-only, without a composer.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, inPageOrder, newestWhileStoppable, nextMatching, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const OLD_ANSWER = 'div[id^="response-"].items-start';
const OLD_USER = 'div[id^="response-"].items-end';
const NEW_ANSWER = '[data-testid="assistant-message"]';
const NEW_USER = '[data-testid="user-message"]';
const THINKING = '.thinking-container';
const STOP = ['button[aria-label="Stop model response"]', '[data-testid="stop-button"]'];

const STRIP = [
  THINKING,
  // Code block header: the language label and the copy/run buttons around the <pre>.
  '[data-testid="code-block"] > div > div:not(:has(pre))',
  CODE_BLOCK_HEADER,
  '.action-buttons',
];

export const grok: SiteAdapter = {
  site: 'grok',
  hosts: ['https://grok.com/*'],

  findAnswers(root) {
    return outermost(inPageOrder([...root.querySelectorAll(NEW_ANSWER), ...root.querySelectorAll(OLD_ANSWER)]));
  },

  isFinished(answer) {
    return !newestWhileStoppable(answer, STOP, grok.findAnswers);
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  // The send button may turn into the stop button in place.
  streamingAttributes: ['aria-label', 'data-testid'],

  readAnswer(answer) {
    const bodies = outermost([...answer.querySelectorAll('.response-content-markdown')].filter((md) => !md.closest(THINKING)));
    const parts = bodies.length ? bodies : [answer.querySelector('.message-bubble') ?? answer];
    return parts
      .map((body) => readText(body, STRIP))
      .filter(Boolean)
      .join('\n\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, answer.matches(NEW_ANSWER) ? NEW_USER : OLD_USER);
    if (!user) return undefined;
    return readText(user.querySelector('.message-bubble') ?? user, ['.action-buttons']) || undefined;
  },

  actionBar(answer) {
    return (
      answer.querySelector('.action-buttons') ??
      nextMatching(answer, '.action-buttons', { levels: 2, stop: `${NEW_ANSWER}, ${NEW_USER}, div[id^="response-"]` })
    );
  },

  modelLabel(doc) {
    return trimmed(queryFirst(doc, ['#model-select-trigger', 'button[aria-label="Model select"]'])?.textContent);
  },

  conversationId(url) {
    // A share page's id stands for the shared conversation.
    return url.pathname.match(/^\/(?:c|chat|share)\/([^/]+)/)?.[1];
  },
};
