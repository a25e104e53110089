// Suggested marks and autosave in Firefox ESR (the e2e build opens its popup in a tab): a
// zh-TW and an en-GB report show the glossary's suggestions, Accept all, Ready to upload, and
// the export holds the marks at their offsets; a comment typed just before the page goes
// away is there when it comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { until } from './chromium';
import { clickHost, launchFirefox, openFixture, sendFromFirefoxExtension, type FirefoxWithExtension } from './firefox';
import { EN_ANSWER, ZH_ANSWER, chatPage } from './chat-page';

let firefox: FirefoxWithExtension;
beforeAll(async () => {
  firefox = await launchFirefox();
});
afterAll(async () => {
  await firefox?.close();
});

const send = (message: unknown) => sendFromFirefoxExtension(firefox.extensionPage, message);

async function capture(url: string, html: string): Promise<string> {
  const before = new Set((await send({ type: 'list-reports' })).reports.map((r: { id: string }) => r.id));
  const chat = await openFixture(firefox.browser, url, html);
  await until(async () => (await chat.$$('sounds-local-button')).length === 1, 'the in-page button in Firefox', 15_000);
  await clickHost(chat, 0);
  let id = '';
  await until(async () => {
    id = (await send({ type: 'list-reports' })).reports.find((r: { id: string }) => !before.has(r.id))?.id ?? '';
    return id !== '';
  }, 'the captured report');
  await chat.close();
  return id;
}

// Puppeteer's ARIA selectors need the accessibility tree, which WebDriver BiDi doesn't give:
// controls are found by their role's element and visible text instead.
async function waitForText(page: Page, selector: string, text: string) {
  await page.waitForFunction(
    (sel, want) => [...document.querySelectorAll(sel)].some((el) => el.textContent?.trim() === want),
    { timeout: 15_000 },
    selector,
    text,
  );
}

async function clickText(page: Page, selector: string, text: string) {
  await waitForText(page, selector, text);
  await page.evaluate(
    (sel, want) => ([...document.querySelectorAll(sel)].find((el) => el.textContent?.trim() === want) as HTMLElement).click(),
    selector,
    text,
  );
}

/** The extension's own tab shows the editor on a report (it navigates itself: automation may not). */
async function openEditor(id: string): Promise<Page> {
  const page = firefox.extensionPage;
  await page.evaluate((reportId) => location.assign(`popup.html?report=${reportId}`), id);
  await page.waitForSelector('[role="region"][aria-label="Answer"]', { timeout: 15_000 });
  return page;
}

async function exported(id: string) {
  const { jsonl } = await send({ type: 'export-reports' });
  return (jsonl as string)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((r) => r.id === id);
}

function expectAnchored(report: { answer: string; highlights: Array<{ start: number; end: number; exact: string }> }) {
  for (const h of report.highlights) expect(report.answer.slice(h.start, h.end)).toBe(h.exact);
}

describe('suggested marks in Firefox ESR', () => {
  for (const { locale, answer, count, expected } of [
    { locale: 'zh-TW', answer: ZH_ANSWER, count: 7, expected: ['視頻→影片', '軟件→軟體', '質量→品質', '網絡→網路', '信息→資訊', '鼠標→滑鼠', '點擊→點選'] },
    { locale: 'en-GB', answer: EN_ANSWER, count: 5, expected: ['color→colour', 'center→centre', 'gray→grey', 'elevator→lift', 'parking lot→car park'] },
  ]) {
    it(`${locale}: suggestions → Accept all → Ready → the export holds the marks at their offsets`, async () => {
      await send({ type: 'set-settings', settings: { default_locale: locale } });
      const id = await capture(`https://chatgpt.com/c/ff-${locale}`, chatPage('?', answer));
      const page = await openEditor(id);
      await clickText(page, 'button', `Accept all ${count}`);
      await waitForText(page, 'h3', `Marks (${count})`);
      await clickText(page, 'button', 'Ready to upload');
      await until(async () => (await exported(id))?.status === 'ready', 'the report to be ready');
      const report = await exported(id);
      expectAnchored(report);
      expect(report.highlights.map((h: { exact: string; suggestion: string }) => `${h.exact}→${h.suggestion}`)).toEqual(expected);
    });
  }

  it('autosave: a comment typed just before the page goes away is there when it comes back', async () => {
    const id = await capture('https://chatgpt.com/c/ff-autosave', chatPage('?', 'Take the elevator.'));
    const page = await openEditor(id);
    const comment = await page.waitForSelector('.report-fields textarea');
    await comment!.type('Typed in Firefox, then the page closed.');
    await page.evaluate(() => location.reload()); // no button, no waiting for the timer
    await page.waitForSelector('[role="region"][aria-label="Answer"]', { timeout: 15_000 });
    await until(async () => (await send({ type: 'get-report', id })).report.comment === 'Typed in Firefox, then the page closed.', 'the comment to be stored');
    const again = await page.waitForSelector('.report-fields textarea');
    expect(await again!.evaluate((el) => (el as HTMLTextAreaElement).value)).toBe('Typed in Firefox, then the page closed.');
  });
});
