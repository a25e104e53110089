// Uploading end to end in real Chromium: the endpoint set in the options page, reports
// reviewed in the popup (redactions shown and one undone), consent, the endpoint's host
// permission requested from the Upload click, progress, and the reference receiver
// (a real child process) holding and exporting exactly what the review showed.
//
// The permission prompt: headless Chromium opens the prompt for an optional host and
// nothing can answer it (it stays pending; `--apps-gallery-install-auto-confirm-for-tests`
// does not apply to permissions.request). The first test proves the click asks, and that
// nothing is queued while the prompt is open; then the origin is granted through
// chrome://extensions' own API (`developerPrivate.addHostPermission`, behind its site-access
// settings), after which the same click's `permissions.request` resolves true without a
// prompt, as it does for a user who already allowed the site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import type { Report } from '../../lib/report';
import { runExport, startReceiver, type ReceiverProcess } from '../../server/testing';
import { makeReport, markPhrase } from '../helpers/reports';
import { launchWithExtension, openExtensionPage, screenshot, sendFromExtension, until, type ExtensionBrowser } from './chromium';

let browser: ExtensionBrowser;
let receiver: ReceiverProcess;
/** Each request to the receiver waits this long, so the progress bar can be seen moving. */
const RECEIVER_DELAY_MS = 1_500;

beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
  browser = await launchWithExtension();
  // launchWithExtension refuses every request nobody routes; let the receiver's through.
  await browser.context.route(`${receiver.url}/**`, async (route: Route) => {
    await new Promise((resolve) => setTimeout(resolve, RECEIVER_DELAY_MS));
    await route.continue();
  });
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

const PERMISSION_PATTERN = 'http://127.0.0.1/*';

function readyReports(): Report[] {
  const id = () => crypto.randomUUID();
  const contact = 'Escreva para ana.silva@example.com.br ou ligue para +55 11 91234-5678 e apanhe o autocarro.';
  const colour = 'The color of the truck is gray; it holds 5 gallons.';
  return [
    makeReport({
      id: id(),
      status: 'ready',
      expected_locale: 'pt-BR',
      answer: contact,
      highlights: [markPhrase(contact, 'autocarro', 'ônibus', 0, { id: id() })],
      page_url: 'https://chatgpt.com/c/secret-conversation',
    }),
    makeReport({
      id: id(),
      status: 'ready',
      expected_locale: 'en-GB',
      answer: colour,
      highlights: [
        markPhrase(colour, 'color', 'colour', 0, { id: id(), category: 'spelling_variant' }),
        markPhrase(colour, 'gallons', 'litres', 0, { id: id(), category: 'units' }),
      ],
      prompt: 'What colour is the lorry?',
      include_prompt: true,
      comment: 'US spelling and units.',
    }),
    makeReport({ id: id(), status: 'ready', prompt: 'a question that stays local', include_prompt: false }),
  ];
}

async function grantOrigin(pattern: string) {
  const page = await browser.context.newPage();
  await page.goto(`chrome://extensions/?id=${browser.extensionId}`);
  await page.evaluate(([id, origin]) => (globalThis as any).chrome.developerPrivate.addHostPermission(id, origin), [browser.extensionId, pattern]);
  await page.close();
}

async function openPopup(): Promise<Page> {
  const popup = await browser.context.newPage();
  // The toolbar popup's size; the app lays out for 400 px.
  await popup.setViewportSize({ width: 400, height: 860 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  return popup;
}

const badgeText = (page: Page) => page.evaluate(() => (globalThis as any).chrome.action.getBadgeText({})) as Promise<string>;
const hasPermission = (page: Page) =>
  page.evaluate((origin) => (globalThis as any).chrome.permissions.contains({ origins: [origin] }), PERMISSION_PATTERN) as Promise<boolean>;

describe('uploading in Chromium', () => {
  it('endpoint from the options, review with an undone redaction, consent, permission from the click, progress, receiver export', async () => {
    const options = await openExtensionPage(browser);
    const section = options.getByRole('region', { name: 'Community endpoint' });
    const address = section.getByRole('textbox', { name: 'Endpoint address' });
    await address.fill('http://example.org/reports');
    await section.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => section.getByText(/Reports are only sent over https/).count()).toBe(1);
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await address.fill(receiver.url);
    await section.getByRole('button', { name: 'Save endpoint' }).click();
    await section.getByText(`Saved. Reports you upload go to ${receiver.url}.`).waitFor();
    expect(await section.locator('code.endpoint').textContent()).toBe(receiver.url);
    await section.scrollIntoViewIfNeeded();
    await screenshot(options, 'upload-options-endpoint');

    const reports = readyReports();
    for (const report of reports) expect(await sendFromExtension(options, { type: 'save-report', report })).toMatchObject({ ok: true });
    await expect.poll(() => badgeText(options)).toBe('3');

    // 1. The click asks for the endpoint's origin; headless Chromium shows a prompt nothing can answer.
    let popup = await openPopup();
    await popup.getByRole('button', { name: 'Review and upload (3 ready)' }).waitFor();
    await screenshot(popup, 'upload-list-entry');
    await popup.getByRole('button', { name: 'Review and upload (3 ready)' }).click();
    await popup.getByRole('list', { name: 'Reports to upload' }).waitFor();
    await popup.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` }).check();
    expect(await hasPermission(options)).toBe(false);
    await popup.getByRole('button', { name: 'Upload 3 reports' }).click();
    await popup.getByText(`Waiting for your permission to contact ${new URL(receiver.url).host}…`).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await sendFromExtension(options, { type: 'upload-status' })).status).toMatchObject({ pending: 0, running: false });
    expect((await sendFromExtension(options, { type: 'list-reports', status: 'ready' })).reports).toHaveLength(3);
    await popup.close();

    // 2. The site allowed (as on chrome://extensions): the same click's request resolves at once.
    await grantOrigin(PERMISSION_PATTERN);
    popup = await openPopup();
    await popup.getByRole('button', { name: 'Review and upload (3 ready)' }).click();
    const list = popup.getByRole('list', { name: 'Reports to upload' });
    await list.waitFor();
    const contact = popup.locator('.review-item', { hasText: 'autocarro' });
    const answer = contact.locator('.outgoing-answer');
    expect(await answer.textContent()).toBe('Escreva para [EMAIL] ou ligue para [PHONE] e apanhe o autocarro.');
    expect(await contact.locator('.chip').count()).toBe(2);
    await screenshot(popup, 'upload-review');

    const undo = contact.getByRole('button', { name: 'Undo: send “ana.silva@example.com.br” (e-mail address, in the answer) as written' });
    await undo.click();
    await expect.poll(() => answer.textContent()).toBe('Escreva para ana.silva@example.com.br ou ligue para [PHONE] e apanhe o autocarro.');
    expect(await contact.getByRole('button', { name: /^Replace “ana\.silva@example\.com\.br”/ }).count()).toBe(1);
    await screenshot(popup, 'upload-review-undone');

    // By keyboard: Space ticks the consent, Enter on the button uploads.
    await popup.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` }).focus();
    await popup.keyboard.press('Space');
    expect(await popup.getByRole('checkbox', { name: `Send these reports to ${receiver.url}` }).isChecked()).toBe(true);
    await popup.getByRole('button', { name: 'Upload 3 reports' }).focus();
    await popup.keyboard.press('Enter');

    const bar = popup.getByRole('progressbar', { name: 'Upload progress' });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuemax')).toBe('3');
    expect(await bar.getAttribute('aria-valuenow')).toBe('0');
    await expect.poll(() => badgeText(options)).toBe('3');
    await screenshot(popup, 'upload-progress');

    await popup.getByText('3 uploaded, 0 failed').waitFor({ timeout: 20_000 });
    expect(await bar.getAttribute('aria-valuenow')).toBe('3');
    expect(await hasPermission(options)).toBe(true);
    await screenshot(popup, 'upload-finished');

    const stored = (await sendFromExtension(options, { type: 'list-reports' })).reports as Report[];
    expect(stored.map((r) => r.status)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    await expect.poll(() => badgeText(options)).toBe('');

    // The receiver's JSONL export holds the three reports exactly as reviewed.
    const dir = mkdtempSync(join(tmpdir(), 'upload-e2e-'));
    try {
      const out = join(dir, 'reports.jsonl');
      const result = await runExport(['--format', 'jsonl', '--out', out], { DATA_DIR: receiver.dataDir });
      expect(result.code, result.output).toBe(0);
      const exported = new Map(
        readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .map((line) => {
            const r = JSON.parse(line);
            return [r.id, r];
          }),
      );
      expect([...exported.keys()].sort()).toEqual(reports.map((r) => r.id).sort());
      const [pt, gb, plain] = reports.map((r) => exported.get(r.id));
      expect(pt.answer).toBe('Escreva para ana.silva@example.com.br ou ligue para [PHONE] e apanhe o autocarro.');
      expect(pt.answer.slice(pt.highlights[0].start, pt.highlights[0].end)).toBe('autocarro');
      expect(pt).not.toHaveProperty('page_url');
      expect(gb.prompt).toBe('What colour is the lorry?');
      expect(gb.comment).toBe('US spelling and units.');
      expect(gb.highlights.map((h: { suggestion: string }) => h.suggestion)).toEqual(['colour', 'litres']);
      expect(plain).not.toHaveProperty('prompt');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await popup.close();
    await options.close();
  });

  it('shows a non-JSON or wrong-shape answer as an error and keeps the reports queued', async () => {
    const endpoint = 'http://127.0.0.1:9';
    let body = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    let contentType = 'text/html';
    await browser.context.route(`${endpoint}/**`, (route: Route) => route.fulfill({ status: 200, contentType, body }));
    await grantOrigin(PERMISSION_PATTERN);

    const options = await openExtensionPage(browser);
    expect(await sendFromExtension(options, { type: 'set-settings', settings: { endpoint } })).toMatchObject({ ok: true });
    const reports = readyReports().slice(1);
    for (const report of reports) await sendFromExtension(options, { type: 'save-report', report });

    const popup = await openPopup();
    await popup.getByRole('button', { name: 'Review and upload (2 ready)' }).click();
    await popup.getByRole('checkbox', { name: `Send these reports to ${endpoint}` }).check();
    await popup.getByRole('button', { name: 'Upload 2 reports' }).click();

    const alert = popup.getByRole('alert').filter({ hasText: 'not with JSON' });
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toContain(
      'The endpoint answered 200 but not with JSON (it began “<html><body><h1>502 Bad Gateway</h1></body></html>”); will retry.',
    );
    expect(await alert.textContent()).toMatch(/Will retry at \d{1,2}:\d\d( [AP]M)? — 2 reports waiting to be sent\./);
    await screenshot(popup, 'upload-retry');
    const stored = (await sendFromExtension(options, { type: 'list-reports' })).reports as Report[];
    expect(stored.filter((r) => reports.some((x) => x.id === r.id)).map((r) => r.status)).toEqual(['uploading', 'uploading']);
    await expect.poll(() => badgeText(options)).toBe('2');

    // Reopened, the popup shows the waiting reports above the list.
    const again = await openPopup();
    const banner = again.getByRole('region', { name: 'Upload' });
    await banner.getByText(/not with JSON/).waitFor();
    await screenshot(again, 'upload-list-retry');
    await again.close();

    body = JSON.stringify({ saved: true });
    contentType = 'application/json';
    await alert.getByRole('button', { name: 'Retry now' }).click();
    await popup.getByRole('alert').filter({ hasText: 'not with upload results' }).waitFor({ timeout: 20_000 });
    await until(async () => {
      const status = (await sendFromExtension(options, { type: 'upload-status' })).status;
      return !status.running && status.pending === 2;
    }, 'the reports to stay queued after the wrong-shape answer');
    await popup.close();
    await options.close();
  });
});
