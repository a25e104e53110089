// HuggingChat (huggingface.co/chat). Messages carry `data-message-role`; the answer text is
// its `.prose` block, and chat-ui marks what its own copy button leaves out (reasoning,
// tool calls, code copy buttons) with `data-exclude-from-copy`. While a reply streams, the
// composer shows `.stop-generating-btn`.
import type { SiteAdapter } from './types';
import { CODE_BLOCK_HEADER, newestWhileStoppable, nextMatching, outermost, previousMatching, queryFirst, readText, trimmed } from './dom';

const ANSWER = '[data-message-role="assistant"]';
const USER = '[data-message-role="user"]';
const EXCLUDED = '[data-exclude-from-copy]';
const STOP = ['.stop-generating-btn'];

const STRIP = [EXCLUDED, CODE_BLOCK_HEADER];

export const huggingchat: SiteAdapter = {
  site: 'huggingchat',
  // Only the chat app, not the rest of huggingface.co.
  hosts: ['https://huggingface.co/chat', 'https://huggingface.co/chat/*'],

  findAnswers(root) {
    return outermost([...root.querySelectorAll(ANSWER)]);
  },

  isFinished(answer) {
    return !newestWhileStoppable(answer, STOP, huggingchat.findAnswers);
  },

  isGenerating(doc) {
    return queryFirst(doc, STOP) !== undefined;
  },

  streamingAttributes: ['class'],

  readAnswer(answer) {
    const bodies = outermost([...answer.querySelectorAll('.prose')].filter((prose) => !prose.closest(EXCLUDED)));
    const parts = bodies.length ? bodies : [answer];
    return parts
      .map((body) => readText(body, STRIP))
      .filter(Boolean)
      .join('\n\n');
  },

  readPrompt(answer) {
    const user = previousMatching(answer, USER);
    return user ? readText(user, STRIP) || undefined : undefined;
  },

  actionBar(answer) {
    const retry = answer.querySelector('button[title="Retry"]') ?? nextMatching(answer, 'button[title="Retry"]', { levels: 2, stop: `${ANSWER}, ${USER}` });
    return retry?.parentElement ?? undefined;
  },

  modelLabel(doc) {
    const link = queryFirst(doc, ['a[href^="/chat/settings/"]']);
    if (!link) return undefined;
    // The link's path is /chat/settings/<org>/<model>; its text may be a shorter display name.
    const model = link.getAttribute('href')!.replace(/^\/chat\/settings\//, '');
    return trimmed(link.textContent) ?? (model.includes('/') ? model : undefined);
  },

  conversationId(url) {
    return url.pathname.match(/^\/chat\/conversation\/([^/]+)/)?.[1];
  },
};
