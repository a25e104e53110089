// A feedback drive end to end in real Chromium (issue 8): the reference receiver (a real
// child process) hosts a token drive made with the organiser's CLI; the member joins it from
// the options page by code, reports two answers on a chatbot capture (they default to the
// drive), uploads them from the review (drive, licence, endpoint shown), sees the drive's
// progress in the popup, withdraws one, and the receiver's export holds exactly the other.
//
// Host permission: headless Chromium can't answer the permission prompt (see upload.test.ts),
// so the receiver's origin is allowed through chrome://extensions first; the Join and Upload
// clicks' own permissions.request then resolve without a prompt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Route } from 'playwright-core';
import type { Report } from '../../lib/report';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { readOwnFixture } from '../helpers/fixtures';
import {
  buttonHosts,
  clickButton,
  launchWithExtension,
  openExtensionPage,
  screenshot,
  sendFromExtension,
  serveAt,
  until,
  type ExtensionBrowser,
} from './chromium';
import { axeInBothSchemes } from './axe';
import { createTokenDrive, exportedIds, markedReady, type CreatedDrive } from './drives-setup';

let browser: ExtensionBrowser;
let receiver: ReceiverProcess;
let drive: CreatedDrive;

beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
  drive = await createTokenDrive(receiver, 'en-gb-2026', 'en-GB');
  browser = await launchWithExtension();
  await browser.context.route(`${receiver.url}/**`, (route: Route) => route.continue());
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

async function grantOrigin(pattern: string) {
  const page = await browser.context.newPage();
  await page.goto(`chrome://extensions/?id=${browser.extensionId}`);
  await page.evaluate(([id, origin]) => (globalThis as any).chrome.developerPrivate.addHostPermission(id, origin), [browser.extensionId, pattern]);
  await page.close();
}

async function openPopup(): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 860 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return popup;
}

/** Light, then dark (prefers-color-scheme), of what the page shows now. */
async function bothSchemes(page: Page, name: string) {
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('a feedback drive in Chromium', () => {
  it('join by code, two reports default to the drive, upload with its token, progress, withdraw one; the export holds the other', async () => {
    await grantOrigin('http://127.0.0.1/*');
    const options = await openExtensionPage(browser);
    await options.setViewportSize({ width: 760, height: 1100 });
    expect(await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'en-GB' } })).toMatchObject({ ok: true });
    await options.reload();

    // Join by code: the dialog shows who runs it, where data goes, licence, privacy, guidelines.
    const section = options.getByRole('region', { name: 'Feedback drives' });
    await section.getByRole('textbox', { name: 'Join link or code' }).fill(drive.join_code);
    await section.getByRole('button', { name: 'Look up drive' }).click();
    const dialog = section.getByRole('dialog', { name: `Join “${drive.name}”?` });
    await dialog.waitFor();
    expect(await dialog.getByText('Leeds Language Circle').count()).toBe(1);
    expect(await dialog.locator('code.endpoint').textContent()).toBe(receiver.url);
    expect(await dialog.getByRole('link', { name: 'CC-BY-4.0' }).getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(await dialog.getByRole('link', { name: 'https://example.org/privacy' }).count()).toBe(1);
    expect(await dialog.locator('.guidelines').textContent()).toContain('Mark US spellings (color → colour)');
    await dialog.getByLabel('Access token (from the organiser)').fill(drive.token);
    await dialog.scrollIntoViewIfNeeded();
    await bothSchemes(options, 'drives-options-join');
    expect(await axeInBothSchemes(options)).toEqual([]);
    await dialog.getByRole('button', { name: 'Agree and join' }).click();
    await section.getByText(`Joined “${drive.name}”.`, { exact: false }).waitFor();
    const card = section.getByRole('listitem').filter({ hasText: drive.name });
    await card.getByText('A token is saved for this drive.').waitFor();
    await card.scrollIntoViewIfNeeded();
    await bothSchemes(options, 'drives-options-joined');
    expect(await axeInBothSchemes(options)).toEqual([]);

    // Two answers on a chatbot capture: each report belongs to the drive, in its locale.
    const url = 'https://chatgpt.com/c/drive-e2e';
    await serveAt(browser.context, url, readOwnFixture('chatgpt-2026-09.html'));
    const chat = await browser.context.newPage();
    await chat.goto(url);
    await until(async () => (await buttonHosts(chat).count()) === 2, 'two in-page buttons');
    await clickButton(chat, 0);
    await until(async () => (await sendFromExtension(options, { type: 'list-reports' })).reports.length === 1, 'the first report');
    await clickButton(chat, 1);
    let reports: Report[] = [];
    await until(async () => {
      reports = (await sendFromExtension(options, { type: 'list-reports' })).reports;
      return reports.length === 2;
    }, 'two reports');
    expect(reports.map((r) => [r.drive_id, r.expected_locale])).toEqual([
      ['en-gb-2026', 'en-GB'],
      ['en-gb-2026', 'en-GB'],
    ]);
    for (const report of reports) {
      const word = report.answer.match(/[A-Za-z]{4,}/)![0];
      expect(await sendFromExtension(options, { type: 'save-report', report: markedReady(report, word, word.toUpperCase()) })).toMatchObject({ ok: true });
    }

    // The review: one group, the drive with its licence and endpoint, per-report choice.
    // (Where the browser could not open the toolbar popup after a capture, the popup would
    // start on the report just captured; start at the list.)
    await sendFromExtension(options, { type: 'clear-focus' });
    let popup = await openPopup();
    await popup.getByRole('button', { name: 'Review and upload (2 ready)' }).click();
    const group = popup.getByRole('region', { name: `Drive: ${drive.name}` });
    await group.waitFor();
    expect(await group.getByText('CC-BY-4.0').count()).toBe(1);
    expect(await group.locator('code.endpoint').textContent()).toBe(receiver.url);
    expect(await popup.getByRole('checkbox', { name: /^Send these reports to/ }).count()).toBe(0);
    await popup.getByRole('checkbox', { name: 'Include report 2 of 2 in this upload' }).uncheck();
    await popup.getByRole('button', { name: 'Upload 1 report' }).waitFor();
    await popup.getByRole('checkbox', { name: 'Include report 2 of 2 in this upload' }).check();
    await popup.evaluate(() => window.scrollTo(0, 0));
    await bothSchemes(popup, 'drives-review');
    await popup.getByRole('button', { name: 'Upload 2 reports' }).click();
    await popup.getByText('2 uploaded, 0 failed').waitFor({ timeout: 20_000 });
    await popup.close();

    // Progress from /v1/stats?drive= (token-protected) in the popup, with the member's own count.
    popup = await openPopup();
    const progress = popup.getByRole('region', { name: 'Drive progress' });
    await progress.getByText('2 of 50 reports', { exact: false }).waitFor({ timeout: 15_000 });
    await progress.getByText('You: 2 uploaded of 2 made').waitFor();
    expect(await progress.getByRole('progressbar', { name: `Progress of “${drive.name}”` }).getAttribute('aria-valuenow')).toBe('2');
    await bothSchemes(popup, 'drives-popup-progress');

    // Withdraw the first report from the editor.
    const [withdrawn, kept] = reports;
    await popup.close();
    popup = await openPopup();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?report=${withdrawn!.id}`);
    const host = new URL(receiver.url).host;
    await popup.getByRole('button', { name: `Withdraw from ${host}` }).click();
    await popup.getByText(`Withdrawn from ${host}`, { exact: false }).waitFor({ timeout: 20_000 });
    await screenshot(popup, 'drives-withdrawn');
    await until(
      async () => (await sendFromExtension(options, { type: 'get-report', id: withdrawn!.id })).report.status === 'withdrawn',
      'the report to be withdrawn',
    );

    expect(await exportedIds(receiver, drive.id)).toEqual([kept!.id]);
    await popup.close();
    await chat.close();
    await options.close();
  });
});
