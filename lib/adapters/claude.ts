// Claude (claude.ai). Two layouts (DESIGN §6):
// - older: each answer is `[data-is-streaming]` holding `.font-claude-response` (earlier
//   `.font-claude-message`); the attribute turns "false" when the answer has settled.
// - 2026-10: `[data-testid="assistant-message"]` inside `[data-testid="transcript-row"]`.
// The prose is in `.standard-markdown` / `.progressive-markdown` blocks; between them sit
// tool widgets (web search), artifact cards and, in a collapsible `.font-ui` block, the
// extended-thinking text, none of which is the answer.
// Share pages (`/share/<uuid>`) reuse the older markup read-only, without the streaming
// flag: a bare `.font-claude-response` is an answer too.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, inPageOrder, newestWhileStoppable, nextMatching, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const NEW_ANSWER = '[data-testid="assistant-message"]';
const STREAMING = '[data-is-streaming]';
const RESPONSE = '.font-claude-response, .font-claude-message';
const USER = '[data-testid="user-message"]';
// A response in a transcript turn without the streaming flag (share pages); not the
// artifact panel's markdown, which carries the same font class outside the transcript.
const BARE_RESPONSE = [
  '[data-test-render-count] .font-claude-response:not(.standard-markdown, .progressive-markdown)',
  '[data-test-render-count] .font-claude-message:not(.standard-markdown, .progressive-markdown)',
].join(', ');
const MARKDOWN = '.standard-markdown, .progressive-markdown';
// Extended thinking renders its text in a `.font-ui` block under a `group/status` toggle.
const THINKING = '.font-ui';
// `data-message-action-bar` holds in every UI language; the aria-label only in English.
const ACTION_BAR = '[data-message-action-bar], [role="group"][aria-label="Message actions"], [role="toolbar"][aria-label="Message actions"]';
const TOOLBAR = '[role="group"], [role="toolbar"]';
const STOP = ['button[aria-label="Stop response"]', '[data-testid="stop-button"]'];

const STRIP = [
  THINKING, // also the web-search widget and artifact cards, which share the UI font
  '[class*="group/status"]',
  '[class*="artifact-block"]',
  CODE_BLOCK_HEADER,
  '[data-testid="message-warning"]',
];

function streamingFlag(answer: Element): string | null {
  const flagged = answer.matches(STREAMING) ? answer : (answer.querySelector(STREAMING) ?? answer.closest(STREAMING));
  return flagged ? flagged.getAttribute('data-is-streaming') : null;
}

export const claude: SiteAdapter = {
  site: 'claude',
  hosts: ['https://claude.ai/*'],

  findAnswers(root) {
    const fresh = [...root.querySelectorAll(NEW_ANSWER)];
    const found = [...fresh];
    for (const flagged of root.querySelectorAll(STREAMING)) {
      // In the 2026-10 layout the flag may sit inside or around the new answer element.
      if (fresh.length && (flagged.closest(NEW_ANSWER) || flagged.querySelector(NEW_ANSWER))) continue;
      if (flagged.querySelector(RESPONSE)) found.push(flagged);
    }
    let bare = false;
    for (const response of root.querySelectorAll(BARE_RESPONSE)) {
      if (response.closest(STREAMING) || response.closest(NEW_ANSWER) || response.closest('[data-skill-file-viewer]')) continue;
      found.push(response);
      bare = true;
    }
    return outermost(fresh.length || bare ? inPageOrder(found) : found);
  },

  isFinished(answer) {
    const flag = streamingFlag(answer);
    if (flag !== null) return flag === 'false';
    return !newestWhileStoppable(answer, STOP, claude.findAnswers);
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  streamingAttributes: ['data-is-streaming', 'aria-label', 'data-testid'],

  readAnswer(answer) {
    const bodies = outermost([...answer.querySelectorAll(MARKDOWN)]).filter((body) => {
      const thinking = body.closest(THINKING);
      return !thinking || !answer.contains(thinking);
    });
    // Widgets split one answer's prose into several blocks: they read as its paragraphs.
    if (bodies.length)
      return bodies
        .map((body) => readText(body, STRIP))
        .filter(Boolean)
        .join('\n');
    return readText(answer.querySelector(RESPONSE) ?? answer, STRIP);
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    return user ? readText(user) || undefined : undefined;
  },

  actionBar(answer) {
    const bar =
      answer.querySelector(ACTION_BAR) ??
      answer.querySelector('[data-testid="action-bar-copy"]')?.parentElement ??
      nextMatching(answer, ACTION_BAR, { levels: 4, stop: `${USER}, ${NEW_ANSWER}, ${STREAMING}` });
    // Put our button among the site's buttons, not beside their wrapper.
    return bar?.matches(TOOLBAR) ? bar : (bar?.querySelector(TOOLBAR) ?? bar);
  },

  modelLabel(doc) {
    return trimmed(queryFirst(doc, ['[data-testid="model-selector-dropdown"]'])?.textContent);
  },

  conversationId(url) {
    // A share page's id stands for the shared conversation.
    return url.pathname.match(/^\/(?:chat|share)\/([^/]+)/)?.[1];
  },
};
