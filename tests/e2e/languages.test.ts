// The UI in the user's language, in real Chromium started in that language: lang and dir on
// every page, the main screens without English left over, plurals and numbers formatted for the
// language, and the user's own choice of UI language over the browser's. Screenshots of the
// list, the editor, the upload review and the options page in zh-TW, ar and de, light and dark,
// land in tmp/screenshots/lang-*.png.
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buttonHosts,
  clickButton,
  launchWithExtension,
  openExtensionPage,
  ROOT,
  screenshot,
  sendFromExtension,
  serveAt,
  until,
  type ExtensionBrowser,
} from './chromium';
import { makeReport, markPhrase } from '../helpers/reports';
import { readOwnFixture } from '../helpers/fixtures';

/** English UI words that must not show on a translated main screen. */
const ENGLISH = ['Settings', 'Loading', 'Reports', 'Draft', 'Ready to upload', 'Expected locale', 'Marks', 'Back', 'Delete'];

async function seed(page: Page) {
  const answer = '在家看視頻之前，先下載官方軟件，並確認網絡速度。';
  const report = makeReport({
    answer,
    expected_locale: 'zh-TW',
    status: 'ready',
    highlights: [markPhrase(answer, '視頻', '影片'), markPhrase(answer, '軟件', '軟體')],
  });
  const reply = await sendFromExtension(page, { type: 'save-report', report });
  expect(reply.ok).toBe(true);
  await sendFromExtension(page, { type: 'set-settings', settings: { default_locale: 'zh-TW' } });
  return report;
}

async function visibleText(page: Page) {
  return page.locator('body').innerText();
}

const cases = [
  { lang: 'zh-TW', dir: 'ltr', sample: /設定|回報/ },
  { lang: 'ar', dir: 'rtl', sample: /[\u0600-\u06FF]/ },
  { lang: 'de', dir: 'ltr', sample: /Einstellungen|Meldung/ },
] as const;

describe('the UI in the browser’s language', () => {
  for (const { lang, dir, sample } of cases) {
    for (const scheme of ['light', 'dark'] as const) {
      describe(`${lang}, ${scheme}`, () => {
        let browser: ExtensionBrowser;
        afterAll(() => browser?.close());

        it('sets lang and dir on every page, leaves no English on the main screens, and reads right', async () => {
          browser = await launchWithExtension({ args: [`--lang=${lang}`], locale: lang, colorScheme: scheme });
          const options = await openExtensionPage(browser);
          const report = await seed(options);
          await options.reload();
          await options.locator('main').waitFor();
          expect(await options.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, dir]);
          const optionsText = await visibleText(options);
          expect(optionsText).toMatch(sample);
          for (const word of ['Settings', 'Language', 'Export all', 'Feedback drives']) expect(optionsText).not.toContain(word);
          await options.setViewportSize({ width: 900, height: 1000 });
          await screenshot(options, `lang-${lang}-${scheme}-options`);

          const popup = await openExtensionPage(browser, 'popup.html');
          await popup.setViewportSize({ width: 400, height: 600 });
          const row = popup.locator('.report-row').first();
          await row.waitFor({ timeout: 15_000 });
          expect(await popup.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang, dir]);
          const listText = await visibleText(popup);
          expect(listText).toMatch(sample);
          for (const word of ENGLISH) expect(listText, `"${word}" on the ${lang} list`).not.toContain(word);
          await screenshot(popup, `lang-${lang}-${scheme}-list`);

          const editor = await openExtensionPage(browser, `popup.html?report=${report.id}`);
          await editor.setViewportSize({ width: 400, height: 600 });
          await editor.locator('.editor').waitFor({ timeout: 15_000 });
          const editorText = await visibleText(editor);
          expect(editorText).toContain('視頻'); // the answer itself, untouched
          for (const word of ['Expected locale', 'Ready to upload', 'Marks (']) expect(editorText, `"${word}" in the ${lang} editor`).not.toContain(word);
          await screenshot(editor, `lang-${lang}-${scheme}-editor`);

          await popup.reload();
          const uploadEntry = popup.locator('.upload-entry button');
          await uploadEntry.waitFor({ timeout: 15_000 });
          await uploadEntry.click();
          await popup.waitForTimeout(800);
          await screenshot(popup, `lang-${lang}-${scheme}-review`);
        });
      });
    }
  }

  it('follows the user’s choice of UI language over the browser’s', async () => {
    const browser = await launchWithExtension({ args: ['--lang=en-US'], locale: 'en-US' });
    try {
      const options = await openExtensionPage(browser);
      await options.locator('#ui-language').waitFor();
      await options.locator('#ui-language').selectOption('ja');
      await options.waitForLoadState('load');
      await options.locator('#ui-language').waitFor();
      expect(await options.evaluate(() => document.documentElement.lang)).toBe('ja');
      expect(await visibleText(options)).toMatch(/[\u3040-\u30FF]/);
      const popup = await openExtensionPage(browser, 'popup.html');
      await popup.locator('main').waitFor();
      expect(await popup.evaluate(() => document.documentElement.lang)).toBe('ja');
      // A right-to-left choice turns every page (the review and upload screens are views of the popup page: its <html> carries lang and dir for them).
      await options.locator('#ui-language').selectOption('ar');
      await options.waitForLoadState('load');
      await options.locator('#ui-language').waitFor();
      expect(await options.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
      await popup.reload();
      await popup.locator('main').waitFor();
      expect(await popup.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
      await options.locator('#ui-language').selectOption('');
      await options.waitForLoadState('load');
      await options.locator('#ui-language').waitFor();
      expect(await options.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await browser.close();
    }
  });
});

const de = JSON.parse(readFileSync(resolve(ROOT, 'public/_locales/de/messages.json'), 'utf8')) as Record<string, { message: string }>;
const en = JSON.parse(readFileSync(resolve(ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;

/** The in-page buttons as a screen reader and a mouse see them: the inner button's name and tooltip, and the hint beside it (closed shadow roots read through CDP). */
async function inPageButtons(browser: ExtensionBrowser, page: Page) {
  type DomNode = { nodeName: string; nodeValue?: string; attributes?: string[]; children?: DomNode[]; shadowRoots?: DomNode[] };
  const cdp = await browser.context.newCDPSession(page);
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  await cdp.detach();
  const found: { label?: string; title?: string; hint: string }[] = [];
  const text = (node: DomNode): string => (node.nodeValue ?? '') + (node.children ?? []).map(text).join('');
  (function walk(node: DomNode) {
    if (node.nodeName === 'SOUNDS-LOCAL-BUTTON' && node.shadowRoots?.[0]) {
      const parts = node.shadowRoots[0].children ?? [];
      const button = parts.find((n) => n.nodeName === 'BUTTON');
      const hint = parts.find((n) => n.nodeName === 'SPAN');
      if (button) {
        const attrs = Object.fromEntries((button.attributes ?? []).flatMap((_, i, a) => (i % 2 ? [] : [[a[i], a[i + 1]]])));
        found.push({ label: attrs['aria-label'], title: attrs.title, hint: hint ? text(hint) : '' });
      }
    }
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child);
  })(root);
  return found;
}

describe('the user’s choice of UI language, everywhere', () => {
  it('puts the in-page button, its hint, the context menu and the badge title in German in an English browser', async () => {
    const browser = await launchWithExtension({ args: ['--lang=en-US'], locale: 'en-US' });
    try {
      const html = readOwnFixture('chatgpt-2026-09.html');
      await serveAt(browser.context, 'https://chatgpt.com/c/lang-before', html);
      await serveAt(browser.context, 'https://chatgpt.com/c/lang-after', html);
      await serveAt(
        browser.context,
        'https://chatgpt.com/c/lang-dark',
        html.replace(/<head\b[^>]*>/i, (m) => `${m}<style>html, body { background: #212121 !important; color: #ececec !important; }</style>`),
      );

      // A chatbot page open before the choice: English, the browser's language.
      const before = await browser.context.newPage();
      await before.goto('https://chatgpt.com/c/lang-before');
      await until(async () => (await inPageButtons(browser, before)).length > 0, 'a built button on the English page', 20_000);
      expect((await inPageButtons(browser, before))[0]).toMatchObject({ label: en.buttonLabel!.message, title: en.buttonTitle!.message });
      // One answer reported in English: its button's saved note is English.
      await clickButton(before, 0);
      await until(async () => (await inPageButtons(browser, before)).some((b) => b.hint !== ''), 'the saved hint in English');
      const englishNote = (await inPageButtons(browser, before)).find((b) => b.hint !== '')!.hint;
      expect([en.hintSaved!.message, en.hintSavedOpenPopup!.message]).toContain(englishNote);
      const germanNote = englishNote === en.hintSaved!.message ? de.hintSaved!.message : de.hintSavedOpenPopup!.message;

      // The titles the background gives the context menu, as it passes them to Chrome, and Chrome's answer.
      const worker = browser.context.serviceWorkers()[0]!;
      await worker.evaluate(() => {
        const g = globalThis as any;
        const menus = g.chrome.contextMenus;
        const update = menus.update;
        g.__menuTitles = [];
        menus.update = (id: string, props: { title?: string }) =>
          update.call(menus, id, props).then(
            () => g.__menuTitles.push({ id, title: props.title }),
            (error: Error) => g.__menuTitles.push({ id, title: props.title, error: error.message }),
          );
      });

      const options = await openExtensionPage(browser);
      await options.locator('#ui-language').waitFor();
      await options.locator('#ui-language').selectOption('de');
      await options.waitForLoadState('load');
      await options.locator('#ui-language').waitFor();
      expect(await options.evaluate(() => document.documentElement.lang)).toBe('de');

      // The page already open follows at once (storage.onChanged), without a reload.
      await until(async () => (await inPageButtons(browser, before)).some((b) => b.label === de.buttonLabel!.message), 'the open page’s buttons in German');
      const relabelled = await inPageButtons(browser, before);
      expect(relabelled.filter((b) => b.label?.includes(' — '))).toHaveLength(1);
      for (const button of relabelled) {
        // The saved one (its visible note fades by itself; the name and tooltip keep it).
        if (button.label?.includes(' — ')) expect(button).toMatchObject({ label: `${de.buttonLabel!.message} — ${germanNote}`, title: germanNote });
        else expect(button).toMatchObject({ label: de.buttonLabel!.message, title: de.buttonTitle!.message });
      }

      // The context menu item, re-titled in German, and Chrome took it.
      await until(async () => (await worker.evaluate(() => (globalThis as any).__menuTitles.length)) > 0, 'the context menu re-titled');
      expect(await worker.evaluate(() => (globalThis as any).__menuTitles)).toEqual([{ id: 'report-selection', title: de.contextMenuReport!.message }]);

      // A page loaded after the choice: German from its first button; the saved hint too.
      for (const [name, scheme] of [
        ['lang-after', 'light'],
        ['lang-dark', 'dark'],
      ] as const) {
        const page = await browser.context.newPage();
        await page.goto(`https://chatgpt.com/c/${name}`);
        await until(async () => (await inPageButtons(browser, page)).length > 0, `a built button on ${name}`, 20_000);
        for (const button of await inPageButtons(browser, page))
          expect(button).toMatchObject({ label: de.buttonLabel!.message, title: de.buttonTitle!.message });
        await clickButton(page, 0);
        await until(async () => (await inPageButtons(browser, page)).some((b) => b.hint !== ''), `the saved hint on ${name}`);
        const clicked = (await inPageButtons(browser, page)).find((b) => b.hint !== '')!;
        expect([de.hintSaved!.message, de.hintSavedOpenPopup!.message]).toContain(clicked.hint);
        expect(clicked.label).toBe(`${de.buttonLabel!.message} — ${clicked.hint}`);
        const host = buttonHosts(page).first();
        await host.scrollIntoViewIfNeeded();
        const box = (await host.boundingBox())!;
        mkdirScreenshot();
        await page.screenshot({
          path: resolve(ROOT, `tmp/screenshots/lang-choice-de-button-${scheme}.png`),
          clip: { x: Math.max(0, box.x - 260), y: Math.max(0, box.y - 60), width: 900, height: box.height + 120 },
        });
        await page.close();
      }

      // The toolbar button's title, read with Chrome's own API: one report, in German.
      await until(
        async () => (await options.evaluate(() => (globalThis as any).chrome.action.getTitle({}))) !== en.extName!.message,
        'the badge title after the capture',
      );
      const pending = (count: number) => de[`badgePending__${count === 1 ? 'one' : 'other'}`]!.message.replace('$COUNT$', String(count));
      expect(await options.evaluate(() => (globalThis as any).chrome.action.getTitle({}))).toBe(pending(3));
    } finally {
      await browser.close();
    }
  });
});

function mkdirScreenshot() {
  mkdirSync(resolve(ROOT, 'tmp/screenshots'), { recursive: true });
}
