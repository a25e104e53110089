// One upload end to end in Firefox ESR (MV2 build, optional_permissions): the popup (opened
// in a tab by the e2e-mode build) reviews two reports, one redaction is undone, consent is
// ticked and Upload clicked; the reference receiver (a real child process) exports them.
//
// The permission prompt: headless Firefox shows a doorhanger nothing can answer, so this
// profile sets `extensions.webextOptionalPermissionPrompts=false` (Mozilla's own test
// preference), which grants optional permissions without the doorhanger. Firefox still
// requires the call to come from a user input handler with the preference set — the test
// checks that a request without one is refused, so the Upload click's grant shows the
// request ran synchronously inside that click. The same click asks for the optional
// `websiteContent` data collection the Firefox manifest declares: held afterwards, not before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../lib/report';
import { runExport, startReceiver, type ReceiverProcess } from '../../server/testing';
import { makeReport, markPhrase } from '../helpers/reports';
import { SCREENSHOTS, until } from './chromium';
import { launchFirefox, sendFromFirefoxExtension, type FirefoxWithExtension } from './firefox';

let firefox: FirefoxWithExtension;
let receiver: ReceiverProcess;

beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
  firefox = await launchFirefox({ prefs: { 'extensions.webextOptionalPermissionPrompts': false } });
});
afterAll(async () => {
  await firefox?.close();
  await receiver?.stop();
});

const PATTERN = 'http://127.0.0.1/*';

describe('uploading in Firefox ESR', () => {
  it('reviews, asks for the endpoint from the click, uploads, and the receiver exports what was reviewed', async () => {
    const page = firefox.extensionPage;
    await page.setViewport({ width: 400, height: 860 });
    const answer = 'Mail ana.silva@example.com.br about the autocarro.';
    const reports: Report[] = [
      makeReport({
        id: crypto.randomUUID(),
        status: 'ready',
        expected_locale: 'pt-BR',
        answer,
        highlights: [markPhrase(answer, 'autocarro', 'ônibus', 0, { id: crypto.randomUUID() })],
      }),
      makeReport({ id: crypto.randomUUID(), status: 'ready' }),
    ];
    expect(await sendFromFirefoxExtension(page, { type: 'set-settings', settings: { endpoint: receiver.url } })).toMatchObject({ ok: true });
    for (const report of reports) expect(await sendFromFirefoxExtension(page, { type: 'save-report', report })).toMatchObject({ ok: true });

    // Without a user gesture Firefox refuses, even with the doorhanger switched off.
    expect(
      await page.evaluate((origin) => (globalThis as any).browser.permissions.request({ origins: [origin] }).then(String, (e: Error) => e.message), PATTERN),
    ).toBe('permissions.request may only be called from a user input handler');
    expect(await page.evaluate((origin) => (globalThis as any).browser.permissions.contains({ origins: [origin] }), PATTERN)).toBe(false);
    expect(await page.evaluate(() => (globalThis as any).browser.permissions.contains({ data_collection: ['websiteContent'] }))).toBe(false);

    // The app reads its state when it opens: reload it (from the page; automation may not navigate here).
    await page.evaluate(() => location.reload());
    const entry = await page.waitForSelector('::-p-aria(Review and upload \\(2 ready\\))', { timeout: 15_000 });
    await entry!.click();
    await page.waitForSelector('::-p-aria(Reports to upload)');
    const outgoing = async () =>
      page.$$eval('.review-item .outgoing-answer', (nodes) => nodes.map((n) => n.textContent).find((text) => text?.includes('autocarro')));
    expect(await outgoing()).toBe('Mail [EMAIL] about the autocarro.');
    const undo = await page.waitForSelector('::-p-aria(Undo: send “ana.silva@example.com.br” \\(e-mail address, in the answer\\) as written)');
    await undo!.click();
    await until(async () => (await outgoing()) === 'Mail ana.silva@example.com.br about the autocarro.', 'the undone e-mail address in the review');

    const consent = await page.waitForSelector(`::-p-aria(Send these reports to ${receiver.url.replace(/[.:]/g, (c) => `\\${c}`)})`);
    await consent!.click();
    const upload = await page.waitForSelector('::-p-aria(Upload 2 reports)');
    await upload!.click();

    const summary = () => page.evaluate(() => document.querySelector('.upload-summary')?.textContent ?? '');
    await until(async () => (await summary()) === '2 uploaded, 0 failed', '"2 uploaded, 0 failed"', 20_000);
    const bar = await page.waitForSelector('::-p-aria([role="progressbar"])');
    expect(await bar!.evaluate((el) => [el.getAttribute('aria-valuenow'), el.getAttribute('aria-valuemax')])).toEqual(['2', '2']);
    expect(await page.evaluate((origin) => (globalThis as any).browser.permissions.contains({ origins: [origin] }), PATTERN)).toBe(true);
    // The same click asked for Firefox's optional websiteContent data collection (the manifest's).
    expect(await page.evaluate(() => (globalThis as any).browser.permissions.contains({ data_collection: ['websiteContent'] }))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'upload-firefox-finished.png') });

    const stored = (await sendFromFirefoxExtension(page, { type: 'list-reports' })).reports as Report[];
    expect(stored.map((r) => r.status)).toEqual(['uploaded', 'uploaded']);

    const dir = mkdtempSync(join(tmpdir(), 'upload-firefox-'));
    try {
      const out = join(dir, 'reports.jsonl');
      const result = await runExport(['--format', 'jsonl', '--out', out], { DATA_DIR: receiver.dataDir });
      expect(result.code, result.output).toBe(0);
      const exported = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(exported.map((r) => r.id).sort()).toEqual(reports.map((r) => r.id).sort());
      const pt = exported.find((r) => r.id === reports[0]!.id);
      expect(pt.answer).toBe('Mail ana.silva@example.com.br about the autocarro.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
