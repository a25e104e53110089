// Meta AI (www.meta.ai). Answers are `[data-testid="assistant-message"]` carrying their own
// streaming flags (`data-streaming-complete`, `data-streaming-state`); message items have
// ids ending in `_user` / `_assistant`. The prose is split over several `.markdown-content`
// blocks; math comes as images whose alt text is the TeX source.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, outermost, previousMatching, queryAllFirst, readText } from './dom';

const ANSWER = ['[data-testid="assistant-message"]', '[data-message-id$="_assistant"]'];
const USER = '[data-message-id$="_user"], [data-message-type="user"]';
const ACTIONS = '[class*="assistant-message-actions"]';
const FLAGS = '[data-streaming-complete], [data-streaming-state]';
// No capture shows Meta AI's stop control; its answers' own flags say one is running.
const RUNNING = '[data-streaming-complete="false"], [data-streaming-state]:not([data-streaming-state="DONE"])';

const STRIP = [
  '[data-testid="citation-pill"]',
  '[data-testid="sources-pill"]',
  '.ur-code-block__header',
  '[data-streamdown="code-block-header"]',
  CODE_BLOCK_HEADER,
  ACTIONS,
];

// Only alt text that looks like TeX: other images' alt text is a description, not answer text.
const texImage = {
  replace: (el: Element) => {
    const alt = el.tagName === 'IMG' ? el.getAttribute('alt') : null;
    return alt && /[\\^_=]/.test(alt) ? alt : undefined;
  },
};

export const meta: SiteAdapter = {
  site: 'meta',
  hosts: ['https://www.meta.ai/*'],

  findAnswers(root) {
    return outermost(queryAllFirst(root, ANSWER));
  },

  isFinished(answer) {
    const flagged = answer.closest(FLAGS) ?? answer.querySelector(FLAGS);
    if (!flagged) return true;
    const complete = flagged.getAttribute('data-streaming-complete');
    if (complete !== null) return complete === 'true';
    return flagged.getAttribute('data-streaming-state') === 'DONE';
  },

  isGenerating(doc) {
    return doc.querySelector(RUNNING) !== null;
  },

  streamingAttributes: ['data-streaming-complete', 'data-streaming-state'],

  readAnswer(answer) {
    const blocks = outermost([...answer.querySelectorAll('.markdown-content')]);
    const parts = blocks.length ? blocks : [answer];
    return parts
      .map((block) => readText(block, STRIP, texImage))
      .filter(Boolean)
      .join('\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    if (!user) return undefined;
    // The first text slot is the message; later ones are the time stamp.
    return readText(user.querySelector('[data-slot="text"]') ?? user) || undefined;
  },

  actionBar(answer) {
    const item = answer.closest('[data-message-item]') ?? answer;
    const bar = item.querySelector(ACTIONS);
    if (bar) return bar;
    const copy = [...item.querySelectorAll('button[aria-label="Copy response"]')].find((b) => !b.closest('.ur-code-block'));
    return copy?.closest('[data-slot="flexbox"]') ?? copy?.parentElement ?? undefined;
  },

  modelLabel() {
    // Meta AI shows no model or mode name on the conversation page.
    return undefined;
  },

  conversationId(url) {
    return url.pathname.match(/^\/prompt\/([^/]+)/)?.[1];
  },
};
