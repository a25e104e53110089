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
import { cachedContentStrings, UI_LANGUAGE_KEY, UI_STRINGS_KEY, type ContentStrings } from '../ui/languageChoice';
import type { ReplyOf } from '../messages';

const MAX_ANSWER = LIMITS.answer;

export function startContentScript(adapter: SiteAdapter) {
  // The browser's strings, or the ones in the UI language the user chose (options), which
  // the background reads from that language's file: read before the first button is built
  // (no button shows the browser's language first), and again whenever the choice changes.
  let strings: Partial<ContentStrings> = {};
  let language: string | undefined;
  const t = (key: keyof ContentStrings, subs?: string[]) =>
    strings[key]?.replace(/\$([12])/g, (_, n: string) => subs![+n - 1]!) ?? (browser.i18n.getMessage(key, subs) || key);
  const labels = { label: '', title: '' };
  const messages = {
    saved: '',
    savedOpenPopup: '',
    failed: '',
    tooLong: (length: number) => t('hintTooLong', [length.toLocaleString(language), MAX_ANSWER.toLocaleString(language)]),
  };
  const relabel = () => {
    labels.label = t('buttonLabel');
    labels.title = t('buttonTitle');
    messages.saved = t('hintSaved');
    messages.savedOpenPopup = t('hintSavedOpenPopup');
    messages.failed = t('hintFailed');
  };
  relabel();
  let asked = 0;
  const applyLanguage = async () => {
    const mine = ++asked;
    const stored = await browser.storage.local.get([UI_LANGUAGE_KEY, UI_STRINGS_KEY]);
    const chosen = stored[UI_LANGUAGE_KEY];
    // When the browser already picked that language's file, there is nothing to ask for; the
    // background keeps a copy of the strings beside the choice, so a sleeping worker is asked
    // only when the copy is missing or for another language.
    const wanted = typeof chosen === 'string' && chosen !== browser.i18n.getMessage('localeTag');
    const cached = wanted ? cachedContentStrings(stored[UI_STRINGS_KEY], chosen) : undefined;
    const reply: ReplyOf<'ui-strings'> | undefined =
      wanted && !cached ? await browser.runtime.sendMessage({ type: 'ui-strings', language: chosen }) : undefined;
    // Two changes in quick succession: only the latest one's answer counts.
    if (mine !== asked) return;
    const got = cached ?? (reply?.ok ? reply.strings : undefined);
    strings = got ?? {};
    language = got ? (chosen as string) : undefined;
    relabel();
    injector.relabel();
  };
  const injector = createInjector({
    adapter,
    doc: document,
    win: window,
    labels,
    messages,
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
  void applyLanguage()
    .catch(() => {})
    .finally(() => injector.start());
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && UI_LANGUAGE_KEY in changes) void applyLanguage().catch(() => {});
  });
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
