// axe-core on every extension page and state, in real Chromium with the built extension:
// the popup's first-run question, its empty list and a list with reports, the editor (with
// suggestions, and with the mark form open), the upload review, the options page and the
// app opened in a tab. Every state must have 0 violations of any impact; a failure lists
// each rule with the selectors it matched, so the fix is findable. The join dialog and a
// joined drive on the options page are checked in drives.test.ts, which has a receiver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeReport, markPhrase } from '../helpers/reports';
import { axeInBothSchemes, axeViolations } from './axe';
import { launchWithExtension, openExtensionPage, screenshot, sendFromExtension, type ExtensionBrowser } from './chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

const violations = axeViolations;

async function openPopup(query = ''): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 700 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html${query}`);
  return popup;
}

const inDarkToo = axeInBothSchemes;

let reportId = '';

describe('axe on every extension page and state (light and dark)', () => {
  it('reports a violation when there is one (this harness can fail)', async () => {
    const page = await openExtensionPage(browser);
    await page.getByRole('main').first().waitFor();
    await page.evaluate(() => {
      const button = document.createElement('button');
      button.style.cssText = 'color: #ccc; background: #fff';
      document.querySelector('main')!.append(button);
    });
    expect((await violations(page)).map((v) => v.split(' ')[0])).toContain('button-name');
    await page.close();
  });

  const colour = 'The color of the truck is gray; it holds 5 gallons.';
  const zhAnswer = '在台灣，我們通常說視頻，軟件也很常見。';
  let zhId = '';

  it('the first-run question, then the empty list', async () => {
    const popup = await openPopup();
    await popup
      .getByRole('button', { name: /^Use .+ \(/ })
      .first()
      .waitFor();
    expect(await inDarkToo(popup)).toEqual([]);
    await popup
      .getByRole('button', { name: /^Use .+ \(/ })
      .first()
      .click();
    await popup
      .getByText(/No reports yet/i)
      .first()
      .waitFor();
    expect(await inDarkToo(popup)).toEqual([]);
    await popup.close();
  });

  it('the list with reports of every status', async () => {
    const options = await openExtensionPage(browser);
    const reports = [
      makeReport({
        id: crypto.randomUUID(),
        status: 'ready',
        expected_locale: 'en-GB',
        answer: colour,
        highlights: [
          markPhrase(colour, 'color', 'colour', 0, { id: crypto.randomUUID(), category: 'spelling_variant', severity: 'minor' }),
          markPhrase(colour, 'gallons', 'litres', 0, { id: crypto.randomUUID(), category: 'units', severity: 'major' }),
        ],
      }),
      makeReport({ id: crypto.randomUUID(), status: 'draft', expected_locale: 'zh-TW', answer: zhAnswer }),
      makeReport({
        id: crypto.randomUUID(),
        status: 'failed',
        status_reason: 'The endpoint answered 503.',
        expected_locale: 'ar',
        answer: 'مرحبا، هذا جواب بالعربية.',
      }),
    ];
    for (const report of reports) expect(await sendFromExtension(options, { type: 'save-report', report })).toMatchObject({ ok: true });
    reportId = reports[0]!.id;
    zhId = reports[1]!.id;
    await options.close();
    const popup = await openPopup();
    await popup.locator('.report-row').nth(2).waitFor();
    await screenshot(popup, 'a11y-list');
    expect(await inDarkToo(popup)).toEqual([]);
    await popup.close();
  });

  it('the editor with suggestions, and with the mark form open', async () => {
    const options = await openExtensionPage(browser);
    await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'zh-TW' } });
    await options.close();
    const zh = await openPopup(`?report=${zhId}`);
    await zh
      .getByRole('region', { name: /Likely mismatches/ })
      .getByRole('listitem')
      .first()
      .waitFor();
    expect(await inDarkToo(zh)).toEqual([]);
    await zh.close();

    const popup = await openPopup(`?report=${reportId}`);
    const answer = popup.getByRole('region', { name: 'Answer', exact: true });
    await answer.waitFor();
    expect(await inDarkToo(popup)).toEqual([]);
    // Severity shows as the underline's style (dotted minor… double critical), not colour alone.
    await answer.scrollIntoViewIfNeeded();
    await screenshot(popup, 'a11y-editor-marks-light');
    await popup.emulateMedia({ colorScheme: 'dark' });
    await screenshot(popup, 'a11y-editor-marks-dark');
    await popup.emulateMedia({ colorScheme: 'light' });
    await popup
      .getByRole('button', { name: /Marked “gallons”/ })
      .first()
      .click();
    await popup.getByRole('dialog').waitFor();
    await screenshot(popup, 'a11y-mark-form');
    expect(await inDarkToo(popup)).toEqual([]);
    await popup.close();
  });

  it('the upload review', async () => {
    const options = await openExtensionPage(browser);
    expect(await sendFromExtension(options, { type: 'set-settings', settings: { endpoint: 'https://reports.example.org/v1' } })).toMatchObject({ ok: true });
    await options.close();
    const popup = await openPopup();
    await popup.getByRole('button', { name: /^Review and upload/ }).click();
    await popup.getByRole('list', { name: 'Reports to upload' }).waitFor();
    await screenshot(popup, 'a11y-upload-review');
    expect(await inDarkToo(popup)).toEqual([]);
    await popup.close();
  });

  it('the options page', async () => {
    const options = await openExtensionPage(browser);
    await options.getByRole('region', { name: 'Community endpoint' }).waitFor();
    expect(await inDarkToo(options)).toEqual([]);
    await options.close();
  });

  it('a report opened in a tab', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`chrome-extension://${browser.extensionId}/popup.html?report=${reportId}&tab=1`);
    await tab.getByRole('region', { name: 'Answer', exact: true }).waitFor();
    expect(await inDarkToo(tab)).toEqual([]);
    await tab.close();
  });
});

describe('right-to-left popup', () => {
  it('lays the list out mirrored when the document is rtl', async () => {
    const popup = await openPopup();
    await popup.locator('.report-row').first().waitFor();
    await popup.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await screenshot(popup, 'popup-rtl');
    // The row's site name starts at the inline start (the right edge) and its date at the end.
    const { site, date, width } = await popup.evaluate(() => {
      const row = document.querySelector('.report-row')!;
      return {
        site: row.querySelector('.site')!.getBoundingClientRect().right,
        date: row.querySelector('.date')!.getBoundingClientRect().left,
        width: row.getBoundingClientRect().right,
      };
    });
    expect(site).toBeGreaterThan(date);
    expect(width - site).toBeLessThan(40);
    expect(await violations(popup)).toEqual([]);
    await popup.close();
  });

  it('lays the editor (mark form open) and the options page out mirrored, with 0 axe violations', async () => {
    const popup = await openPopup(`?report=${reportId}`);
    await popup.getByRole('region', { name: 'Answer', exact: true }).waitFor();
    await popup.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await popup
      .getByRole('button', { name: /Marked “gallons”/ })
      .first()
      .click();
    await popup.getByRole('dialog').waitFor();
    await screenshot(popup, 'editor-rtl');
    expect(await violations(popup)).toEqual([]);
    await popup.close();
    const options = await openExtensionPage(browser);
    await options.getByRole('region', { name: 'Community endpoint' }).waitFor();
    await options.evaluate(() => {
      document.documentElement.dir = 'rtl';
    });
    await screenshot(options, 'options-rtl');
    expect(await violations(options)).toEqual([]);
    await options.close();
  });
});
