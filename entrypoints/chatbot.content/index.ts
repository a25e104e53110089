import { ADAPTER_HOST_PATTERNS, adapterFor } from '@/lib/adapters';
import { createInjector } from '@/lib/content/injector';
import { LIMITS } from '@/lib/limits';

const MAX_ANSWER = LIMITS.answer;

export default defineContentScript({
  // Generated from the adapters' host lists: no site list is written twice.
  matches: ADAPTER_HOST_PATTERNS,
  runAt: 'document_idle',
  main(ctx) {
    const adapter = adapterFor(location.href);
    if (!adapter) return;
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
      send: (payload) => browser.runtime.sendMessage(payload),
      reportStatus: ({ answers, unreadable }) => {
        browser.runtime.sendMessage({ type: 'page-status', site: adapter.site, answers, unreadable }).catch(() => {});
      },
    });
    injector.start();
    ctx.addEventListener(window, 'wxt:locationchange', () => injector.reset());
    ctx.onInvalidated(() => injector.stop());
  },
});
