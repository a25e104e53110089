// The UI in the user's language, in real Chromium started in that language: lang and dir on
// every page, the main screens without English left over, plurals and numbers formatted for the
// language, and the user's own choice of UI language over the browser's. Screenshots of the
// list, the editor, the upload review and the options page in zh-TW, ar and de, light and dark,
// land in tmp/screenshots/lang-*.png.
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, openExtensionPage, screenshot, sendFromExtension, type ExtensionBrowser } from './chromium';
import { makeReport, markPhrase } from '../helpers/reports';

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
      await options.locator('#ui-language').selectOption('');
      await options.waitForLoadState('load');
      await options.locator('#ui-language').waitFor();
      expect(await options.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await browser.close();
    }
  });
});
