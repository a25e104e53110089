// DeepSeek (chat.deepseek.com). A virtual list of `.ds-message` items (design-system class
// names; the rest are hashed). The answer's `.ds-markdown` follows a collapsible thinking
// block (`.ds-think-content`); user messages have no `.ds-markdown`. The row of icon
// buttons (copy, regenerate, thumbs) is drawn next to the message once it has finished.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const MESSAGE = '.ds-message';
const MARKDOWN = '.ds-markdown';
const THINKING = '.ds-think-content';
const USER = '.ds-message:not(:has(.ds-markdown))';
const ACTION_ROW = '.ds-flex:has(.ds-icon-button)';

const STRIP = [THINKING, '.md-code-block-banner-wrap', CODE_BLOCK_HEADER];

function mainMarkdown(message: Element): Element[] {
  const main = message.querySelectorAll('.ds-assistant-message-main-content');
  if (main.length) return outermost([...main]);
  return outermost([...message.querySelectorAll(MARKDOWN)].filter((md) => !md.closest(THINKING)));
}

export const deepseek: SiteAdapter = {
  site: 'deepseek',
  hosts: ['https://chat.deepseek.com/*'],

  findAnswers(root) {
    // One pass over the page: each answer's markdown, up to its message.
    const messages = new Set<Element>();
    for (const markdown of root.querySelectorAll(`${MESSAGE} ${MARKDOWN}`)) messages.add(markdown.closest(MESSAGE)!);
    return outermost([...messages]);
  },

  isFinished(answer) {
    return deepseek.actionBar(answer) !== undefined;
  },

  readAnswer(answer) {
    return mainMarkdown(answer).map((md) => readText(md, STRIP)).filter(Boolean).join('\n\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    return user ? readText(user) || undefined : undefined;
  },

  actionBar(answer) {
    // A sibling after the message in the same list item, before any other message.
    for (let el = answer.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.matches(MESSAGE)) break;
      if (el.matches(ACTION_ROW)) return el.querySelector(':scope > .ds-flex:has(.ds-icon-button)') ?? el;
    }
    return undefined;
  },

  modelLabel(doc) {
    // The header names the mode next to its icon ("Instant", "Expert").
    return trimmed(queryFirst(doc, ['.the-header .ds-icon + span'])?.textContent);
  },

  conversationId(url) {
    return url.pathname.match(/^(?:\/a)?\/chat\/s\/([^/]+)/)?.[1];
  },
};
