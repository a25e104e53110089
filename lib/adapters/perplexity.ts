// Perplexity (www.perplexity.ai). Two layouts (DESIGN §6): older answers are
// `div[id^="markdown-content-"]`; since 2026-08 they are bare `.prose` blocks. The query is
// the `group/query` heading before the answer. Perplexity has no data attribute that marks
// an answer as done: its action row (Share, Copy, Helpful…) only appears once it is.
// Deep Research turns hold a short summary (`#markdown-content-N`), the turn's action row,
// and then the research report in its own `.prose` block: the report is an answer of its
// own, finished once the turn's row before it is drawn.
import type { SiteAdapter } from './types';
import {
  CODE_BLOCK_HEADER,
  inPageOrder,
  isButtonRow,
  newestWhileStoppable,
  nextMatching,
  outermost,
  previousMatching,
  queryFirst,
  readText,
  trimmed,
} from './dom';

const OLD_ANSWER = 'div[id^="markdown-content-"]';
const PROSE = '.prose';
const QUERY = '[class*="group/query"], h1';
// Where a `.prose` block is not an answer.
const NOT_ANSWER = `${QUERY}, nav, aside, header, footer, [role="dialog"], [hidden], .not-prose`;
const NEXT_TURN = `${OLD_ANSWER}, ${PROSE}, ${QUERY}`;
// By label first (English UI), then by shape: a row of three or more buttons.
const BAR_BUTTON = 'button[aria-label="Copy"], button[aria-label="Helpful"]';
// The composer's stop button (English label as fallback; seen in no capture yet).
const STOP = ['[data-testid="stop-generating-response-button"]', 'button[aria-label="Stop generating response"]'];
const MODEL_NOTE = /^(?:Prepared|Generated|Answered) (?:using|with|by) (.+)$/i;

const STRIP = ['.citation', '[data-pplx-citation]', '[data-testid="code-language-indicator"]', '[data-testid="copy-code-button"]', CODE_BLOCK_HEADER];

/**
 * The answer before `answer` in the same turn (no query between them): a Deep Research
 * report's summary. Undefined for the first answer of a turn.
 */
function earlierInTurn(answer: Element): Element | undefined {
  const previous = previousMatching(answer, NEXT_TURN);
  if (!previous || previous.contains(answer) || previous.closest(QUERY)) return undefined;
  // The answer that block belongs to: its outermost answer-like ancestor.
  let top = previous;
  for (let up = previous.parentElement?.closest(`${OLD_ANSWER}, ${PROSE}`); up; up = up.parentElement?.closest(`${OLD_ANSWER}, ${PROSE}`)) top = up;
  return top.closest(NOT_ANSWER) || top.contains(answer) ? undefined : top;
}

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
    if (perplexity.actionBar(answer) !== undefined) return true;
    // A Deep Research report: the turn's row sits between the summary and the report.
    const summary = earlierInTurn(answer);
    return summary !== undefined && perplexity.actionBar(summary) !== undefined && !newestWhileStoppable(answer, STOP, perplexity.findAnswers);
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  // The action row arrives as new elements; a submit button turning into stop changes these.
  streamingAttributes: ['aria-label', 'data-testid'],

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
