import '@/lib/zod';
import { t, tp, uiLanguage } from '@/lib/ui/i18n';
import { followUiLanguage } from '@/lib/background/language';
import { badgeCount } from '@/lib/ui/format';
import { openSoundsLocalDb } from '@/lib/storage/db';
import { createBackground } from '@/lib/background/service';
import { createUploader } from '@/lib/background/uploads';
import { createDrives } from '@/lib/background/drives';
import { onCommand } from '@/lib/content/commands';

const OUTBOX_ALARM = 'outbox';
const REPORT_SELECTION = 'report-selection';

export default defineBackground(() => {
  const manifest = browser.runtime.getManifest();
  const isFirefox = browser.runtime.getURL('').startsWith('moz-extension:');
  const dbReady = openSoundsLocalDb();

  const client = { name: 'sounds-local', version: manifest.version, browser: isFirefox ? 'firefox' : 'chrome' } as const;
  // MV2 (the Firefox build) has browserAction where MV3 has action; same methods we use.
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  let refreshBadge: () => Promise<void> = async () => {};
  // The user's UI language (options), for the context menu and the toolbar's titles; they are
  // set again whenever it changes.
  const language = followUiLanguage({
    area: browser.storage.local,
    onChanged: browser.storage.onChanged,
    onLanguage: () => {
      void browser.contextMenus.update(REPORT_SELECTION, { title: t('contextMenuReport') }).catch(() => {});
      void refreshBadge().catch(() => {});
    },
  });
  const uiLanguages = () => [browser.i18n.getUILanguage(), ...(globalThis.navigator?.languages ?? [])];
  let releaseHeld: () => void = () => {};
  // A drive's guidelines in the UI language the user chose first, then the browser's languages.
  const guidelineLanguages = () => [uiLanguage(), ...uiLanguages()];
  const drivesReady = dbReady.then((db) =>
    createDrives({ db, fetch: (input, init) => fetch(input, init), uiLanguages: guidelineLanguages, onTokenChanged: () => releaseHeld() }),
  );
  const uploaderReady = Promise.all([dbReady, drivesReady]).then(([db, drives]) =>
    createUploader({
      db,
      drives,
      client,
      fetch: (input, init) => fetch(input, init),
      // Retries are driven by alarms, which outlive a stopped service worker.
      scheduleWake: (when) => {
        if (when === undefined) void browser.alarms.clear(OUTBOX_ALARM);
        else void browser.alarms.create(OUTBOX_ALARM, { when: Math.max(when, Date.now() + 1_000) });
      },
      onChange: () => void refreshBadge(),
    }),
  );

  void uploaderReady.then((uploader) => {
    // A new token may be the one a held batch waits for.
    releaseHeld = () => void uploader.retryNow();
  });
  const backgroundReady = Promise.all([dbReady, uploaderReady, drivesReady]).then(([db, uploader, drives]) =>
    createBackground({
      db,
      uploader,
      drives,
      extensionId: browser.runtime.id,
      extensionOrigin: browser.runtime.getURL(''),
      client,
      uiLanguages,
      contentStrings: language.contentStrings,
      setBadge: (count, warning) => {
        void language.ready().then(() => {
          void action.setBadgeText({ text: warning ? '!' : count ? badgeCount(count, uiLanguage()) : '' });
          void action.setBadgeBackgroundColor({ color: warning ? '#a4262c' : '#0b6e4f' });
          void action.setTitle({ title: warning ? t('badgeUnreadable', warning) : count ? tp('badgePending', count) : t('extName') });
        });
      },
      openPopup: async () => {
        // Chrome 127+ and Firefox allow this after a user gesture in the page; elsewhere the
        // badge and the in-page hint tell the user where to go.
        try {
          await action.openPopup();
          return true;
        } catch {
          return false;
        }
      },
    }),
  );

  browser.runtime.onMessage.addListener((message, sender) => backgroundReady.then((background) => background.handle(message, sender)));
  browser.runtime.onInstalled.addListener(() => {
    void language.ready().then(() => {
      browser.contextMenus.create({ id: REPORT_SELECTION, title: t('contextMenuReport'), contexts: ['selection'] });
    });
  });
  browser.contextMenus.onClicked.addListener((info) => {
    if (info.menuItemId !== REPORT_SELECTION) return;
    void backgroundReady.then((background) => background.captureSelection(info.selectionText, info.pageUrl));
  });
  // The "report the answer" shortcut: the page's content script chooses the answer and captures it.
  browser.commands?.onCommand.addListener((command, tab) => {
    void onCommand(
      {
        activeTabId: async () => (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id,
        sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
      },
      command,
      tab,
    );
  });
  browser.tabs?.onRemoved?.addListener((tabId) => void backgroundReady.then((b) => void b.forgetTab(tabId)));
  void backgroundReady.then((background) => {
    refreshBadge = background.refreshBadge;
    // The badge the browser shows survives a stopped worker; recounting 10,000 reports at
    // once would hold up the request that woke us (the popup's first page), so later.
    setTimeout(() => void background.refreshBadge(), 2_000);
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void uploaderReady.then((uploader) => uploader.run());
  });
  // A browser closed mid-upload resumes where it left off.
  void uploaderReady.then((uploader) => uploader.run());

  // End-to-end builds only (`--mode e2e`, never shipped): Firefox refuses to let automation
  // navigate to moz-extension:// pages, so the extension opens its own popup in a tab.
  if (import.meta.env.MODE === 'e2e') void browser.tabs.create({ url: browser.runtime.getURL('/popup.html?e2e=1') });
});
