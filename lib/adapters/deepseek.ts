// DeepSeek (chat.deepseek.com). A virtual list of `.ds-message` items (design-system class
// names; the rest are hashed). The answer's `.ds-markdown` follows a collapsible thinking
// block (`.ds-think-content`); user messages have no `.ds-markdown`. The row of icon
// buttons (copy, regenerate, thumbs) is drawn next to the message once it has finished:
// `.ds-icon-button`s until 2026-05, `div[role=button].ds-button.ds-button--icon` in a
// `.ds-flex > .ds-flex` row since 2026-07.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const MESSAGE = '.ds-message';
const MARKDOWN = '.ds-markdown';
const THINKING = '.ds-think-content';
const USER = '.ds-message:not(:has(.ds-markdown))';
// Both generations of the design system's icon button.
const ICON_BUTTON = '.ds-icon-button, [role="button"].ds-button--icon';
const ACTION_ROW = `.ds-flex:has(${ICON_BUTTON})`;

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
    return mainMarkdown(answer)
      .map((md) => readText(md, STRIP))
      .filter(Boolean)
      .join('\n\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    return user ? readText(user) || undefined : undefined;
  },

  actionBar(answer) {
    // A sibling after the message in the same list item, before any other message.
    for (let el = answer.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.matches(MESSAGE)) break;
      if (el.matches(ACTION_ROW)) return el.querySelector(`:scope > ${ACTION_ROW}`) ?? el;
    }
    return undefined;
  },

  // While an answer streams, the composer's send slot is the stop control: its last icon
  // button is enabled although the message box is empty (send is disabled then). Told by
  // state, not by label or icon, so it holds in every UI language.
  isGenerating(doc) {
    for (const box of doc.querySelectorAll('textarea')) {
      if (box.value.trim()) continue;
      let scope = box.parentElement;
      for (let level = 0; scope && level < 3; level++, scope = scope.parentElement) {
        const buttons = scope.querySelectorAll(ICON_BUTTON);
        const send = buttons[buttons.length - 1];
        if (send) return send.getAttribute('aria-disabled') === 'false' && !send.matches('.ds-icon-button--disabled, .ds-button--disabled');
      }
    }
    return false;
  },

  streamingAttributes: ['aria-disabled'],

  modelLabel(doc) {
    // The header names the mode next to its icon ("Instant", "Expert").
    return trimmed(queryFirst(doc, ['.the-header .ds-icon + span'])?.textContent);
  },

  conversationId(url) {
    return url.pathname.match(/^(?:\/a)?\/chat\/s\/([^/]+)/)?.[1];
  },
};
