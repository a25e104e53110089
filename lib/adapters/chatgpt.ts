// ChatGPT (chatgpt.com, chat.openai.com). Two layouts are live side by side (DESIGN §6):
// - older: turns `[data-testid^="conversation-turn-"]` holding `[data-message-author-role]`
//   messages; a turn can hold several assistant messages around a "Thought for …" button,
//   which together are one answer.
// - 2026-09: turns `div[data-turn-key]` holding prompt and answer units
//   `[data-chatgpt-search-unit-key$=":assistant"]`; the action bar appears when done.
// Share pages (`/share/<id>`) show the older turns read-only: no composer, no stop button.
import type { SiteAdapter } from './types';
import { outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const OLD_TURN = '[data-testid^="conversation-turn-"]';
const OLD_ASSISTANT = '[data-message-author-role="assistant"]';
const OLD_USER = '[data-message-author-role="user"]';
const NEW_ANSWER_UNIT = '[data-chatgpt-search-unit-key$=":assistant"]';
const NEW_USER_UNIT = '[data-chatgpt-search-unit-key$=":user"]';
const NEW_TURN = '[data-turn-key]';
// The composer's send button becomes this while an answer streams (a test id: every language).
const STOP = '[data-testid="stop-button"]';

const STRIP = ['[data-testid="webpage-citation-pill"]', '[data-markdown-copy="exclude"]', 'pre .select-none', 'pre .sticky', '[data-state] > button'];

function answerText(scope: Element): string {
  const bodies = scope.querySelectorAll('[data-markdown-text-style="assistant-message"], .markdown');
  const parts = (bodies.length ? outermost([...bodies]) : [scope]).map((body) => readText(body, STRIP));
  return parts.filter(Boolean).join('\n\n');
}

function oldActionBar(turn: Element): Element | undefined {
  return (
    turn.querySelector('[role="group"][aria-label="Response actions"]') ??
    turn.querySelector('[data-testid="copy-turn-action-button"]')?.parentElement ??
    undefined
  );
}

function newActionBar(answer: Element): Element | undefined {
  for (let el = answer.nextElementSibling; el; el = el.nextElementSibling) {
    if (el.matches('.turn-action-controls')) return el;
    if (el.matches(NEW_ANSWER_UNIT) || el.matches(NEW_USER_UNIT)) break;
  }
  const turn = answer.closest(NEW_TURN);
  const bars = turn ? [...turn.querySelectorAll('.turn-action-controls')] : [];
  return bars.find((bar) => bar.querySelector('button[aria-haspopup="menu"]'));
}

const isNewLayout = (answer: Element) => answer.matches(NEW_ANSWER_UNIT);

const ANY_ANSWER = `${NEW_ANSWER_UNIT}, ${OLD_ASSISTANT}`;

/** Whether one of `set` contains `el` (the set's outermost elements are the answers). */
function hasAncestorIn(el: Element, set: Set<Element>): boolean {
  for (let parent = el.parentElement; parent; parent = parent.parentElement) if (set.has(parent)) return true;
  return false;
}

/** Whether an answer, or a message of one, follows `el` in the page (outside `el`). */
function answerAfter(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement) {
    for (let next = node.nextElementSibling; next; next = next.nextElementSibling) {
      if (next.matches(ANY_ANSWER) || next.querySelector(ANY_ANSWER)) return true;
    }
  }
  return false;
}

export const chatgpt: SiteAdapter = {
  site: 'chatgpt',
  hosts: ['https://chatgpt.com/*', 'https://chat.openai.com/*'],

  // Runs on every reconcile of pages with hundreds of answers (bench/page.ts), so nothing
  // in it is quadratic in the number of answers. (One query per selector: a selector list
  // in one querySelectorAll is several times slower in Chromium.)
  findAnswers(root) {
    const units = root.querySelectorAll(NEW_ANSWER_UNIT);
    const found = new Set<Element>(units);
    // In a whole document without new-layout units, no message can be inside one.
    const unitsPossible = units.length > 0 || root.nodeType !== 9; /* DOCUMENT_NODE */
    for (const message of root.querySelectorAll(OLD_ASSISTANT)) {
      if (unitsPossible && message.closest(NEW_ANSWER_UNIT)) continue;
      found.add(message.closest(OLD_TURN) ?? message);
    }
    const answers = [...found].filter((el) => !hasAncestorIn(el, found));
    // Already in document order unless both layouts are on the page.
    const ordered = answers.every((el, i) => i === 0 || answers[i - 1]!.compareDocumentPosition(el) & 4);
    return ordered ? answers : answers.sort((a, b) => (a.compareDocumentPosition(b) & 4 ? -1 : 1));
  },

  isFinished(answer) {
    if (isNewLayout(answer)) return newActionBar(answer) !== undefined;
    if (answer.querySelector('.result-streaming')) return false;
    // The stop button lives in the composer: it means the newest answer is still streaming.
    // An answer with another one after it is not the newest, whatever the composer shows:
    // only the last answer pays for the page-wide lookups below.
    if (answerAfter(answer)) return true;
    const doc = answer.ownerDocument;
    if (doc.querySelector(STOP)) {
      const all = chatgpt.findAnswers(doc);
      return all[all.length - 1] !== answer;
    }
    return true;
  },

  isGenerating(doc) {
    return doc.querySelector(STOP) !== null;
  },

  // `.result-streaming` (older layout) and the send button's test id turning into stop.
  streamingAttributes: ['class', 'data-testid'],

  readAnswer(answer) {
    if (isNewLayout(answer)) return answerText(answer);
    const messages = answer.matches(OLD_ASSISTANT) ? [answer] : [...answer.querySelectorAll(OLD_ASSISTANT)];
    return messages.map(answerText).filter(Boolean).join('\n\n');
  },

  readPrompt(answer) {
    const selector = isNewLayout(answer) ? NEW_USER_UNIT : OLD_USER;
    const user = previousMatching(answer, selector);
    if (!user) return undefined;
    const body = user.querySelector('.whitespace-pre-wrap') ?? user;
    return readText(body) || undefined;
  },

  actionBar(answer) {
    return isNewLayout(answer) ? newActionBar(answer) : oldActionBar(answer);
  },

  modelLabel(doc, answer) {
    const slug = answer?.querySelector('[data-message-model-slug]')?.getAttribute('data-message-model-slug');
    if (slug) return slug;
    const button = queryFirst(doc, [
      '[data-testid="model-switcher-dropdown-button"]',
      'button[aria-label^="Model selector"]',
      'form button[aria-haspopup="menu"][data-testid*="model"]',
    ]);
    return trimmed(button?.getAttribute('aria-label')?.replace(/^Model selector,?\s*(current model is)?\s*/i, '') || button?.textContent);
  },

  conversationId(url) {
    // A share page's id stands for the shared conversation (`/share/<id>`, `/share/e/<id>`).
    const match = url.pathname.match(/^\/(?:g\/[^/]+\/)?c\/([^/]+)/) ?? url.pathname.match(/^\/share\/(?:e\/)?([^/]+)/);
    const id = match?.[1];
    return id && !id.startsWith('local-') ? id : undefined;
  },
};
