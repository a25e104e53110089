// The content script every chatbot site runs, built once per site (entrypoints/<site>.content.ts):
// each site's script bundles only its own adapter and this shared core, so a chatbot page
// loads one adapter, not all eleven (DESIGN §12's content-script size). The manifest's
// matches for each come from that adapter's host list: no site list is written twice, and
// the hosts asked for are the same as with one script for all sites.
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { SiteAdapter } from '../adapters/types';
import { LIMITS } from '../limits';
import { createInjector } from './injector';
import { isCaptureCurrentMessage } from './commands';

const MAX_ANSWER = LIMITS.answer;

export function startContentScript(adapter: SiteAdapter) {
  const t = (key: string) => browser.i18n.getMessage(key as never) || key;
  const injector = createInjector({
    adapter,
    doc: document,
    win: window,
    labels: { label: t('buttonLabel'), title: t('buttonTitle') },
    messages: {
      saved: t('hintSaved'),
      savedOpenPopup: t('hintSavedOpenPopup'),
      failed: t('hintFailed'),
      tooLong: (length) => browser.i18n.getMessage('hintTooLong', [length.toLocaleString(), MAX_ANSWER.toLocaleString()]),
    },
    maxAnswerLength: MAX_ANSWER,
    IntersectionObserver: window.IntersectionObserver,
    send: (payload) => browser.runtime.sendMessage(payload),
    reportStatus: (status) => {
      browser.runtime.sendMessage({ type: 'page-status', site: adapter.site, ...status }).catch(() => {});
    },
    // Navigation and invalidation are read from the browser itself, never from page events:
    // WXT's `wxt:locationchange` and "newer script started" events are ordinary DOM events
    // a page can dispatch (issue 11). An orphaned script (extension reloaded) loses its id.
    orphaned: () => !browser.runtime?.id,
  });
  injector.start();
  // The "report the answer" shortcut, relayed by the background. Only the extension's own
  // pages and background reach runtime.onMessage; the shape is checked all the same.
  browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string }) => {
    if (sender.id !== browser.runtime.id || !isCaptureCurrentMessage(message)) return;
    injector.captureCurrent();
  });
}

/** One site's content script: its adapter's hosts, the shared core. */
export function siteContentScript(adapter: SiteAdapter) {
  return defineContentScript({
    matches: adapter.hosts,
    runAt: 'document_idle',
    // WXT's start-up window.postMessage names the extension's id to every script on the page
    // (issue 11): don't announce the extension.
    noScriptStartedPostMessage: true,
    main() {
      // bench/page.ts's baseline build (`--mode bench-empty`, never shipped): a content script
      // that does nothing, to tell our work from the cost of having a content script at all.
      if (import.meta.env.MODE === 'bench-empty') return;
      startContentScript(adapter);
    },
  });
}
