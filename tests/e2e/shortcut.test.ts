// The "report the answer" shortcut (Alt+Shift+R) in real Chromium. Playwright cannot press a
// browser-level shortcut, so the test sends, from the extension's service worker, the same
// message the background's commands listener sends (lib/content/commands.ts, unit-tested in
// tests/unit/commands.test.ts) to the active tab; the page's pointer and focus are real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOwnFixture } from '../helpers/fixtures';
import { buttonHosts, launchWithExtension, openExtensionPage, sendFromExtension, serveAt, until, type ExtensionBrowser } from './chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

/** What the background does on the command: tabs.query for the active tab, then tabs.sendMessage. */
async function pressReportAnswer() {
  const worker = browser.context.serviceWorkers()[0]!;
  await worker.evaluate(async () => {
    const chrome = (globalThis as any).chrome;
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    await chrome.tabs.sendMessage(tab.id, { type: 'capture-current' }).catch(() => {});
  });
}

describe('the report-answer shortcut in Chromium', () => {
  it('reports the answer whose action bar has the focus over the one under the pointer, then the pointed-at one', async () => {
    const url = 'https://chatgpt.com/c/6a1f0c2e-shortcut';
    await serveAt(browser.context, url, readOwnFixture('chatgpt-2026-09.html'));
    const page = await browser.context.newPage();
    await page.goto(url);
    await page.bringToFront();
    await until(async () => (await buttonHosts(page).count()) === 2, 'two buttons');
    const popup = await openExtensionPage(browser);
    const stored = async (n: number) => {
      let reports: any[] = [];
      await until(async () => {
        reports = (await sendFromExtension(popup, { type: 'list-reports' })).reports;
        return reports.length === n;
      }, `${n} stored reports`);
      return reports.map((r) => r.answer as string);
    };

    // Focus on the first turn's Copy button (outside the answer itself), pointer on the second answer.
    await page.bringToFront();
    await page.hover('text=軟體 (Taiwan)');
    await page.focus('[data-turn-key="t-1"] .turn-action-controls:not(.user-actions) button[aria-label="Copy"]');
    await pressReportAnswer();
    const [first] = await stored(1);
    expect(first!.startsWith('In Taiwan people say 影片, not 視頻.')).toBe(true);

    // Nothing focused: the answer under the pointer.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.mouse.move(0, 0);
    await page.hover('text=軟體 (Taiwan)');
    await pressReportAnswer();
    const answers = await stored(2);
    expect(answers.some((a) => a.includes('軟體 (Taiwan)'))).toBe(true);
    await popup.close();
    await page.close();
  });
});
