// Le Chat (chat.mistral.ai). Messages carry `data-message-author-role`; an answer is made of
// parts marked `data-message-part-type` ("answer", "reasoning", tool calls…) and only the
// answer parts are the reply. Rich tables are drawn as a grid of buttons and cells, but the
// table's own HTML is kept in `data-rich-table-inner-html`, which reads far better.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, isButtonRow, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const ANSWER = '[data-message-author-role="assistant"]';
const USER = '[data-message-author-role="user"]';
const ANSWER_PART = '[data-message-part-type="answer"]';
// Le Chat's stop control is in no capture: by test id, then by its English label (a guess).
const STOP = ['[data-testid="stop-button"]', 'form button[aria-label="Stop generation"]', 'form button[aria-label="Stop"]'];

const STRIP = ['[data-message-part-type="reasoning"]', '[data-testid="code-block"] .sticky', CODE_BLOCK_HEADER, '.rich-table-title-bar'];

function richTable(el: Element): string | undefined {
  const html = el.getAttribute('data-rich-table-inner-html');
  if (html === null) return undefined;
  // A parsed document has no browsing context: nothing in it loads or runs.
  const table = new DOMParser().parseFromString(html, 'text/html').body;
  return readText(table);
}

export const mistral: SiteAdapter = {
  site: 'mistral',
  hosts: ['https://chat.mistral.ai/*'],

  findAnswers(root) {
    return outermost([...root.querySelectorAll(ANSWER)]);
  },

  isFinished(answer) {
    // The footer (time, Like, Copy…) is only drawn under a settled answer.
    return mistral.actionBar(answer) !== undefined;
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  streamingAttributes: ['aria-label', 'data-testid'],

  readAnswer(answer) {
    const parts = outermost([...answer.querySelectorAll(ANSWER_PART)]);
    const options = { replace: richTable };
    if (parts.length)
      return parts
        .map((part) => readText(part, STRIP, options))
        .filter(Boolean)
        .join('\n\n');
    return readText(answer, [...STRIP, '[role="region"]', '[data-message-part-type]:not([data-message-part-type="answer"])'], options);
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    if (!user) return undefined;
    return readText(user.querySelector('[dir="auto"]') ?? user) || undefined;
  },

  actionBar(answer) {
    // By label (English UI), then by shape: the footer row of three or more buttons,
    // which is not inside a message part (code and table toolbars are).
    const copy = [...answer.querySelectorAll('button[aria-label="Copy to clipboard"]')].find((button) => !button.closest('[data-message-part-type], pre'));
    if (copy?.parentElement) return copy.parentElement;
    for (const button of answer.querySelectorAll('button')) {
      const row = button.parentElement;
      if (isButtonRow(row) && !row.closest('[data-message-part-type], pre, [role="region"]')) return row;
    }
    return undefined;
  },

  modelLabel(doc) {
    // The composer's mode picker ("Work", an agent's name…); Le Chat shows no model name.
    return trimmed(queryFirst(doc, ['form button[aria-haspopup="menu"]'])?.textContent);
  },

  conversationId(url) {
    return url.pathname.match(/^\/chat\/([^/]+)/)?.[1];
  },
};
