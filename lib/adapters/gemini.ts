// Gemini (gemini.google.com). Angular custom elements are the stable signals: each turn is
// a `.conversation-container` holding `user-query` and `model-response`; the answer text is
// `message-content .markdown`. The thoughts (`model-thoughts`) sit outside message-content.
// Math is KaTeX without MathML: the TeX source is only in the wrapper's `data-math`.
// Share pages (`/share/<id>`, opened from links) have no model-response: each turn is a
// `share-turn-viewer` holding `user-query` and `response-container > message-content`, with
// no composer and no action bar.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, outermost, previousMatching, queryAllFirst, queryFirst, readText, trimmed } from './dom';

const ANSWER = ['model-response', '.conversation-container .model-response-text', 'share-turn-viewer response-container'];
// The send button turns into a stop icon while an answer streams (read-aloud has its own).
const STOP_ICON = 'mat-icon[fonticon="stop"], mat-icon[data-mat-icon-name="stop"]';

function stopShown(doc: Document): boolean {
  for (const icon of doc.querySelectorAll(STOP_ICON)) if (!icon.closest('tts-control')) return true;
  return false;
}

const STRIP = [
  // Gemini marks what its own copy button leaves out.
  '[hide-from-message-actions]',
  '.hide-from-message-actions',
  '.code-block-decoration',
  CODE_BLOCK_HEADER,
  'model-thoughts',
  'sources-list',
  'source-footnote',
  'sources-carousel-inline',
  'generated-file',
  'immersive-entry-chip',
];

const withTex = { replace: (el: Element) => el.getAttribute('data-math') ?? undefined };

export const gemini: SiteAdapter = {
  site: 'gemini',
  hosts: ['https://gemini.google.com/*'],

  findAnswers(root) {
    return outermost(queryAllFirst(root, ANSWER));
  },

  isFinished(answer) {
    if (answer.querySelector('message-content [aria-busy="true"], .markdown[aria-busy="true"]')) return false;
    const footer = answer.querySelector('.response-footer');
    if (footer && !footer.classList.contains('complete')) return false;
    if (!stopShown(answer.ownerDocument)) return true;
    // The stop icon is the composer's: it concerns the newest answer only.
    const all = gemini.findAnswers(answer.ownerDocument);
    return all[all.length - 1] !== answer;
  },

  isGenerating(doc) {
    return stopShown(doc);
  },

  // The busy flag, the footer's `complete` class, and the send icon turning into stop.
  streamingAttributes: ['aria-busy', 'class', 'fonticon', 'data-mat-icon-name'],

  readAnswer(answer) {
    const bodies = answer.querySelectorAll('message-content .markdown');
    const parts = bodies.length ? outermost([...bodies]) : [answer.querySelector('message-content') ?? answer];
    return parts
      .map((body) => readText(body, STRIP, withTex))
      .filter(Boolean)
      .join('\n\n');
  },

  readPrompt(answer) {
    // Share pages may hold the prompt in user-query-content without a user-query around it.
    const query = previousMatching(answer, 'user-query, user-query-content');
    if (!query) return undefined;
    return readText(query.querySelector('.query-text') ?? query) || undefined;
  },

  actionBar(answer) {
    return queryFirst(answer, ['message-actions .buttons-container-v2', 'message-actions']);
  },

  modelLabel(doc) {
    const picker = queryFirst(doc, ['[data-test-id="bard-mode-menu-button"]']);
    if (!picker) return undefined;
    const label = picker.querySelector('[data-test-id="logo-pill-label-container"]') ?? picker;
    return trimmed(readText(label)) ?? trimmed(picker.getAttribute('aria-label')?.match(/currently\s+(.+)$/i)?.[1]);
  },

  conversationId(url) {
    // /app/<id>, /gem/<gem>/<id>, each possibly behind an account prefix /u/<n>; a share
    // page's id stands for the shared conversation.
    return url.pathname.match(/^(?:\/u\/\d+)?\/(?:app|gem\/[^/]+|share)\/([^/]+)/)?.[1];
  },
};
