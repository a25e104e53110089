// A feedback drive end to end in Firefox ESR (MV2 build, optional_permissions; see
// firefox-upload.test.ts for the permission preference): a token drive made with the CLI on
// the reference receiver, joined by code from the options page, two reports from a chatbot
// capture, uploaded, progress in the popup, one withdrawn, and the export holds the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import type { Report } from '../../lib/report';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { readOwnFixture } from '../helpers/fixtures';
import { SCREENSHOTS, until } from './chromium';
import { clickHost, hostsAfterScrolling, launchFirefox, openFixture, sendFromFirefoxExtension, type FirefoxWithExtension } from './firefox';
import { createTokenDrive, exportedIds, markedReady, type CreatedDrive } from './drives-setup';

let firefox: FirefoxWithExtension;
let receiver: ReceiverProcess;
let drive: CreatedDrive;

beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
  drive = await createTokenDrive(receiver, 'en-gb-firefox', 'en-GB');
  firefox = await launchFirefox({ prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
});
afterAll(async () => {
  await firefox?.close();
  await receiver?.stop();
});

const aria = (name: string) => `::-p-aria(${name.replace(/[.:()[\]"]/g, (c) => `\\${c}`)})`;
/** The button whose text is `name`, once it is there (a real click target for puppeteer). */
async function button(page: Page, name: string) {
  let handle: Awaited<ReturnType<Page['$$']>>[number] | undefined;
  await until(
    async () => {
      for (const b of await page.$$('button')) if ((await b.evaluate((el) => el.textContent?.trim())) === name) handle = b;
      return Boolean(handle);
    },
    `the button “${name}”`,
    15_000,
  );
  return handle!;
}
const bodyText = (page: Page) => page.evaluate(() => document.body.textContent ?? '');
async function go(page: Page, path: string) {
  // Automation may not navigate to moz-extension:// pages; the page itself may.
  await page.evaluate((p) => location.assign(p), path);
  await page.waitForFunction((p) => location.pathname + location.search === p && document.readyState === 'complete', {}, path);
}

describe('a feedback drive in Firefox ESR', () => {
  it('join by code, two reports default to the drive, upload with its token, progress, withdraw one; the export holds the other', async () => {
    const page = firefox.extensionPage;
    await page.setViewport({ width: 760, height: 1000 });
    expect(await sendFromFirefoxExtension(page, { type: 'set-settings', settings: { default_locale: 'en-GB' } })).toMatchObject({ ok: true });

    await go(page, '/options.html');
    const input = await page.waitForSelector(aria('Join link or code'));
    await input!.type(drive.join_code);
    await (await page.waitForSelector(aria('Look up drive')))!.click();
    await page.waitForSelector(aria(`Join “${drive.name}”?`));
    await (await page.waitForSelector(aria('Access token (from the organiser)')))!.type(drive.token);
    await page.screenshot({ path: join(SCREENSHOTS, 'drives-firefox-join.png') });
    await (await page.waitForSelector(aria('Agree and join')))!.click();
    await until(async () => (await bodyText(page)).includes(`Joined “${drive.name}”.`), 'the joined message', 15_000);
    expect(await page.evaluate((origin) => (globalThis as any).browser.permissions.contains({ origins: [origin] }), 'http://127.0.0.1/*')).toBe(true);

    // Two answers on a capture of the new ChatGPT layout.
    const chat = await openFixture(firefox.browser, 'https://chatgpt.com/c/drive-firefox', readOwnFixture('chatgpt-2026-09.html'));
    await until(async () => (await hostsAfterScrolling(chat)) === 2, 'two in-page buttons', 20_000);
    await clickHost(chat, 0);
    await until(async () => (await sendFromFirefoxExtension(page, { type: 'list-reports' })).reports.length === 1, 'the first report');
    await clickHost(chat, 1);
    let reports: Report[] = [];
    await until(async () => {
      reports = (await sendFromFirefoxExtension(page, { type: 'list-reports' })).reports;
      return reports.length === 2;
    }, 'two reports');
    expect(reports.map((r) => [r.drive_id, r.expected_locale])).toEqual([
      ['en-gb-firefox', 'en-GB'],
      ['en-gb-firefox', 'en-GB'],
    ]);
    for (const report of reports) {
      const word = report.answer.match(/[A-Za-z]{4,}/)![0];
      expect(await sendFromFirefoxExtension(page, { type: 'save-report', report: markedReady(report, word, word.toUpperCase()) })).toMatchObject({ ok: true });
    }

    await page.setViewport({ width: 400, height: 860 });
    // The popup would open on the report just captured; start at the list.
    await sendFromFirefoxExtension(page, { type: 'clear-focus' });
    await go(page, '/popup.html');
    await (await button(page, 'Review and upload (2 ready)')).click();
    await page.waitForSelector(aria(`Drive: ${drive.name}`));
    expect(await bodyText(page)).toContain('CC-BY-4.0');
    await (await button(page, 'Upload 2 reports')).click();
    await until(
      async () => (await page.evaluate(() => document.querySelector('.upload-summary')?.textContent ?? '')) === '2 uploaded, 0 failed',
      '"2 uploaded, 0 failed"',
      20_000,
    );

    await go(page, '/popup.html?e2e=2');
    await until(async () => (await bodyText(page)).includes('2 of 50 reports'), 'the drive progress', 15_000);
    expect(await bodyText(page)).toContain('You: 2 uploaded of 2 made');
    await page.screenshot({ path: join(SCREENSHOTS, 'drives-firefox-progress.png') });

    const [withdrawn, kept] = reports;
    const host = new URL(receiver.url).host;
    await go(page, `/popup.html?report=${withdrawn!.id}`);
    await (await button(page, `Withdraw from ${host}`)).click();
    await until(async () => (await bodyText(page)).includes(`Withdrawn from ${host}`), 'the withdrawn notice', 20_000);
    await until(
      async () => (await sendFromFirefoxExtension(page, { type: 'get-report', id: withdrawn!.id })).report.status === 'withdrawn',
      'the report to be withdrawn',
    );

    expect(await exportedIds(receiver, drive.id)).toEqual([kept!.id]);
    await chat.close();
  });
});
