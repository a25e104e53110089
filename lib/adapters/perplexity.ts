// Perplexity (www.perplexity.ai). Two layouts (DESIGN §6): older answers are
// `div[id^="markdown-content-"]`; since 2026-08 they are bare `.prose` blocks. The query is
// the `group/query` heading before the answer. Perplexity has no data attribute that marks
// an answer as done: its action row (Share, Copy, Helpful…) only appears once it is.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, inPageOrder, isButtonRow, nextMatching, outermost, previousMatching, readText, trimmed } from './dom';

const OLD_ANSWER = 'div[id^="markdown-content-"]';
const PROSE = '.prose';
const QUERY = '[class*="group/query"], h1';
// Where a `.prose` block is not an answer.
const NOT_ANSWER = `${QUERY}, nav, aside, header, footer, [role="dialog"], [hidden], .not-prose`;
const NEXT_TURN = `${OLD_ANSWER}, ${PROSE}, ${QUERY}`;
// By label first (English UI), then by shape: a row of three or more buttons.
const BAR_BUTTON = 'button[aria-label="Copy"], button[aria-label="Helpful"]';
const MODEL_NOTE = /^(?:Prepared|Generated|Answered) (?:using|with|by) (.+)$/i;

const STRIP = [
  '.citation',
  '[data-pplx-citation]',
  '[data-testid="code-language-indicator"]',
  '[data-testid="copy-code-button"]',
  CODE_BLOCK_HEADER,
];

export const perplexity: SiteAdapter = {
  site: 'perplexity',
  hosts: ['https://www.perplexity.ai/*', 'https://perplexity.ai/*'],

  findAnswers(root) {
    const found = [...root.querySelectorAll(OLD_ANSWER)];
    for (const prose of root.querySelectorAll(PROSE)) {
      if (!prose.closest(OLD_ANSWER) && !prose.closest(NOT_ANSWER)) found.push(prose);
    }
    return outermost(inPageOrder(found));
  },

  isFinished(answer) {
    return perplexity.actionBar(answer) !== undefined;
  },

  readAnswer(answer) {
    return readText(answer, STRIP);
  },

  readPrompt(answer) {
    const query = previousMatching(answer, QUERY);
    return query ? readText(query) || undefined : undefined;
  },

  actionBar(answer) {
    // The older layout nests the answer four levels below the block that holds the row.
    const options = { levels: 4, stop: NEXT_TURN };
    const labelled = nextMatching(answer, BAR_BUTTON, options);
    if (labelled) return labelled.parentElement ?? undefined;
    const inRow = nextMatching(answer, 'button', {
      ...options,
      where: (button) => isButtonRow(button.parentElement) && !button.closest('form'), // not the composer
    });
    return inRow?.parentElement ?? undefined;
  },

  modelLabel(_doc, answer) {
    // The page names the model in a note under the answer: "Prepared using <model>".
    if (!answer) return undefined;
    let scope = answer.parentElement;
    for (let level = 0; scope && level < 5; level++, scope = scope.parentElement) {
      for (const note of scope.querySelectorAll('div:not(:has(*)), span:not(:has(*))')) {
        if (answer.contains(note) || !(answer.compareDocumentPosition(note) & 4)) continue;
        if (note.closest(NEXT_TURN) && !note.closest(NEXT_TURN)!.contains(answer)) return undefined;
        const model = trimmed(note.textContent)?.match(MODEL_NOTE)?.[1];
        if (model) return model;
      }
    }
    return undefined;
  },

  conversationId(url) {
    return url.pathname.match(/^\/search\/([^/]+)/)?.[1];
  },
};
