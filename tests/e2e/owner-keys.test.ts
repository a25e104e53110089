// Moving the right to withdraw to a fresh browser, end to end in real Chromium: a report is
// uploaded to the reference receiver (a real child process), the options page's buttons
// download the reports JSONL and the private withdraw-keys file, a second browser profile
// (the reinstall) imports both through the same page's file buttons, and the editor's
// Withdraw button there withdraws the report on the receiver. axe checks the block's states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { Page } from 'playwright-core';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { makeReport } from '../helpers/reports';
import { axeInBothSchemes } from './axe';
import { launchWithExtension, openExtensionPage, screenshot, sendFromExtension, until, type ExtensionBrowser } from './chromium';

let receiver: ReceiverProcess;
const browsers: ExtensionBrowser[] = [];
beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
});
afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  await receiver?.stop();
});

/**
 * A browser profile with the extension; `allowed`: the receiver's site is allowed (as on
 * chrome://extensions, which the upload's click asks for).
 */
async function profile(allowed = true): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension();
  browsers.push(browser);
  await browser.context.route(`${receiver.url}/**`, (route) => route.continue());
  if (!allowed) return browser;
  const page = await browser.context.newPage();
  await page.goto(`chrome://extensions/?id=${browser.extensionId}`);
  await page.evaluate(([id, origin]) => (globalThis as any).chrome.developerPrivate.addHostPermission(id, origin), [browser.extensionId, 'http://127.0.0.1/*']);
  await page.close();
  return browser;
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const event = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await event;
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

function withdrawnOnReceiver(id: string): boolean {
  const sqlite = new DatabaseSync(receiver.dbPath, { readOnly: true });
  try {
    return Boolean((sqlite.prepare('SELECT withdrawn_at FROM reports WHERE id = ?').get(id) as { withdrawn_at: string | null } | undefined)?.withdrawn_at);
  } finally {
    sqlite.close();
  }
}

describe('withdraw keys in Chromium', () => {
  it('withdraws from a reinstalled browser after importing the reports and the withdraw keys through the options page', async () => {
    const old = await profile();
    const options = await openExtensionPage(old);
    const report = makeReport({ status: 'ready', answer: 'The lift is grey and holds 5 gallons.', expected_locale: 'en-GB' });
    expect(await sendFromExtension(options, { type: 'set-settings', settings: { endpoint: receiver.url } })).toMatchObject({ ok: true });
    expect(await sendFromExtension(options, { type: 'save-report', report })).toMatchObject({ ok: true });
    expect(await sendFromExtension(options, { type: 'start-upload', report_ids: [report.id], undone: [], consent: true })).toMatchObject({ ok: true });
    await until(async () => (await sendFromExtension(options, { type: 'get-report', id: report.id })).report.status === 'uploaded', 'the upload', 20_000);

    await options.reload();
    const reports = await download(options, 'Export reports (JSONL)');
    const keys = await download(options, 'Export withdraw keys');
    expect(keys.name).toMatch(/^sounds-local-withdraw-keys-PRIVATE-\d{4}-\d\d-\d\d\.json$/);
    const secret = JSON.parse(keys.text).keys[0].secret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(reports.text).not.toContain(secret);
    await options.getByText(/^Withdraw keys saved to/).waitFor();
    await old.close();

    const fresh = await profile(false);
    const page = await openExtensionPage(fresh);
    await page.getByLabel('Import reports (JSONL)').setInputFiles({ name: reports.name, mimeType: 'application/jsonl', buffer: Buffer.from(reports.text) });
    await page.getByText('Added or updated 1 reports; 0 were already up to date.').waitFor();
    await page.getByLabel('Import withdraw keys').setInputFiles({ name: keys.name, mimeType: 'application/json', buffer: Buffer.from(keys.text) });
    await page.getByText('Withdraw keys restored: 1. Already here: 0. Skipped because the report is not in this browser: 0.').waitFor();
    await page.locator('.owner-keys').scrollIntoViewIfNeeded();
    await screenshot(page, 'owner-keys-imported');

    // The reinstalled extension has not been allowed the receiver's site: the DELETE goes
    // through on the receiver's CORS grant to extension origins (docs/upload-protocol.md#cors).
    expect(await page.evaluate(() => (globalThis as any).chrome.permissions.contains({ origins: ['http://127.0.0.1/*'] }))).toBe(false);
    const editor = await openExtensionPage(fresh, `popup.html?report=${report.id}`);
    await editor.getByRole('button', { name: `Withdraw from ${new URL(receiver.url).host}` }).click();
    await until(async () => (await sendFromExtension(page, { type: 'get-report', id: report.id })).report.status === 'withdrawn', 'the withdrawal', 20_000);
    expect(withdrawnOnReceiver(report.id)).toBe(true);
  });

  it('has no axe violations in the block with a refused file and the nothing-to-export note (light and dark)', async () => {
    const browser = await profile();
    const page = await openExtensionPage(browser);
    const report = makeReport({ status: 'uploaded' });
    await sendFromExtension(page, { type: 'save-report', report });
    await page.getByLabel('Import withdraw keys').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"a": 1}') });
    await page.locator('.owner-keys [role=alert]').getByText('This is not a withdraw-keys file from Sounds Local. Nothing was imported.').waitFor();
    await page.getByRole('button', { name: 'Export withdraw keys' }).click();
    await page.getByText('No report has been uploaded from this browser, so there are no withdraw keys to export.').waitFor();
    expect(await axeInBothSchemes(page)).toEqual([]);
  });
});
