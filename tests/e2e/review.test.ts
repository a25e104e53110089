// Community review end to end (DESIGN.md §14): the receiver's review page in real Chromium.
// Alice and Bob upload to a drive (each with their contributor pseudonym); the organiser
// makes three reviewer tokens with the real CLI; two reviewers agree on Bob's report by
// keyboard, which validates its marks; the third is shown the next report; Alice, reviewing,
// is never shown her own. axe-core checks the page. In zh-TW, ar and de: the page's words,
// each language's vote keys, the expected locale by name, and the receiver's refusals (a bad
// contributor id, a report withdrawn while on screen) said in the page's language.
import { AxeBuilder } from '@axe-core/playwright';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL, ownerKeyHash } from '../../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../helpers/sample-reports';
import { startReceiver, type ReceiverProcess } from '../../server/testing';

const ROOT = resolve(__dirname, '../..');
const SHOTS = resolve(ROOT, 'tmp/screenshots');
const DRIVE = 'rv-2026';
const ALICE = 'alice-contributor-0001';
const BOB = 'bob-contributor-000002';
const MANIFEST = {
  id: DRIVE,
  name: 'Review drive 2026',
  organizer: 'Locale group',
  description: 'Reports to review.',
  locales: ['zh-TW', 'pt-BR'],
  endpoint: 'http://127.0.0.1',
  guidelines: { en: 'Mark what does not sound local.' },
  license: 'CC-BY-4.0',
  privacy_url: 'https://data.example.org/privacy',
  requires_token: false,
  review: { min_votes: 2 },
};

const aliceReport = sampleUploaded(910_000, { drive_id: DRIVE }); // zh-TW
const bobReport = sampleUploaded(910_004, { drive_id: DRIVE }); // zh-TW

let receiver: ReceiverProcess;
let browser: Browser;

function driveCli(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(ROOT, 'server/drive-cli.ts'), ...args], {
      cwd: ROOT,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(out))));
  });
}

async function reviewerToken(locales?: string): Promise<string> {
  const out = JSON.parse(await driveCli(['reviewer-token', DRIVE, '--data-dir', receiver.dataDir, '--json', ...(locales ? ['--locales', locales] : [])])) as {
    reviewer_token: string;
    review_page: string;
  };
  expect(out.review_page).toBe(`http://127.0.0.1/review?drive=${DRIVE}`);
  return out.reviewer_token;
}

async function upload(contributor: string, reports: unknown[]) {
  const response = await fetch(`${receiver.url}/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: DRIVE, contributor, reports }),
  });
  expect(response.status).toBe(200);
}

async function openAs(token: string, contributor?: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, locale: 'en-US', viewport: { width: 900, height: 1000 } }); // Accept-Language: en-US
  const page = await context.newPage();
  await page.goto(`${receiver.url}/review?drive=${DRIVE}`);
  await page.getByLabel('Reviewer token').fill(token);
  if (contributor) await page.getByLabel('Your contributor id (optional)').fill(contributor);
  await page.getByRole('button', { name: 'Start reviewing' }).click();
  return page;
}

/** The report the page shows now, by id, once it has loaded. */
async function shownReport(page: Page): Promise<string> {
  const article = page.locator('article.review-report');
  await article.waitFor();
  return (await article.getAttribute('data-report-id'))!;
}

function votesInDb(): Array<{ report_id: string; highlight_id: string; vote: string; suggestion: string | null }> {
  const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
  const rows = db.prepare('SELECT report_id, highlight_id, vote, suggestion FROM votes ORDER BY report_id, highlight_id, vote').all() as never;
  db.close();
  return rows;
}

beforeAll(async () => {
  receiver = await startReceiver({ drives: { [DRIVE]: { manifest: MANIFEST } } });
  await upload(ALICE, [aliceReport]);
  await upload(BOB, [bobReport]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

describe('the review page', () => {
  it('two reviewers validate a mark, a third sees the next report, and nobody sees their own', async () => {
    const [aliceToken, secondToken, thirdToken] = [await reviewerToken('zh-TW'), await reviewerToken(), await reviewerToken()];
    expect(new Set([aliceToken, secondToken, thirdToken]).size).toBe(3);

    // Alice reviews: of the two reports only Bob's is for her.
    const alice = await openAs(aliceToken, ALICE);
    expect(await shownReport(alice)).toBe(bobReport.id);
    await expect.poll(() => alice.locator('.review-answer mark').count()).toBe(3);
    // The answer is shown as text; every mark with its phrase and suggestion.
    await expect.poll(() => alice.locator('.review-answer').textContent()).toContain(bobReport.answer.slice(0, 10));
    await alice.screenshot({ path: join(SHOTS, 'review-light.png'), fullPage: true });
    // Keyboard: A three times (one per mark), then Enter.
    for (const key of ['a', 'a', 'a']) await alice.keyboard.press(key);
    await expect.poll(() => alice.getByRole('radio', { name: /Agree/, checked: true }).count()).toBe(3);
    await alice.keyboard.press('Enter');
    await alice.getByText('Nothing left for you to review in this drive. Thank you!').waitFor();

    // The second reviewer is shown the report with the fewest votes first: Alice's.
    const second = await openAs(secondToken);
    expect(await shownReport(second)).toBe(aliceReport.id);
    for (const key of ['d', 'u', '2']) await second.keyboard.press(key);
    await second.getByRole('button', { name: 'Send votes' }).click();
    await expect.poll(() => second.locator('article.review-report').getAttribute('data-report-id')).toBe(bobReport.id);
    // Sending before voting on every mark is refused with a readable message.
    await second.keyboard.press('a');
    await second.keyboard.press('Enter');
    await second.getByText('Vote on every mark before sending.').waitFor();
    await second.keyboard.press('a');
    await second.keyboard.press('a');
    await second.getByLabel('Better wording (optional)').first().fill('影片（台灣用語）');
    await second.getByRole('button', { name: 'Send votes' }).click();
    await second.getByText('Nothing left for you to review in this drive. Thank you!').waitFor();

    // Bob's marks now have two agreements: validated. The third reviewer gets the next report.
    const votes = votesInDb();
    const onBob = votes.filter((v) => v.report_id === bobReport.id);
    expect(onBob).toHaveLength(6);
    expect(onBob.every((v) => v.vote === 'agree')).toBe(true);
    expect(onBob.map((v) => v.suggestion).filter(Boolean)).toEqual(['影片（台灣用語）']);
    const third = await openAs(thirdToken, undefined, 'dark');
    expect(await shownReport(third)).toBe(aliceReport.id);
    await expect.poll(() => third.locator('#review-remaining').textContent()).toBe('2');
    await third.screenshot({ path: join(SHOTS, 'review-dark.png'), fullPage: true });

    // axe on the page with a report shown (dark): no violations at all.
    const results = await new AxeBuilder({ page: third }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    for (const page of [alice, second, third]) await page.context().close();
  });

  it('asks again for a token the drive does not know, and passes axe on the token form in dark mode', async () => {
    const page = await openAs('not-a-real-token-at-all', undefined, 'dark');
    await page.getByText('This reviewer token was not accepted for this drive.').waitFor();
    await expect.poll(() => page.getByLabel('Reviewer token').isVisible()).toBe(true);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'review-token-dark.png'), fullPage: true });
    await page.context().close();
  });

  it("speaks the browser's language: Traditional Chinese for zh-TW, Arabic right to left for ar", async () => {
    const token = await reviewerToken();
    const zh = await (await browser.newContext({ locale: 'zh-TW', viewport: { width: 900, height: 1000 } })).newPage();
    await zh.goto(`${receiver.url}/review?drive=${DRIVE}`);
    expect(await zh.locator('html').getAttribute('lang')).toBe('zh-TW');
    await zh.getByLabel('審查者權杖').fill(token);
    await zh.getByRole('button', { name: '開始審查' }).click();
    await shownReport(zh);
    // Placeholders filled by the page's formatter: "標記 $NUMBER$" → "標記 1".
    await zh.getByRole('heading', { name: '標記 1' }).waitFor();
    // The expected locale by name in the page's language, its code kept beside it.
    expect(await zh.locator('.review-report-facts dd').first().textContent()).toBe('中文（台灣）（\u2068zh-TW\u2069）');
    // zh-TW votes with 1/2/3 (no initials to press): the keys shown are those.
    expect(await zh.locator('.review-mark').first().locator('kbd').allTextContents()).toEqual(['1', '2', '3']);
    await zh.keyboard.press('1');
    await expect.poll(() => zh.getByRole('radio', { name: /同意/, checked: true }).count()).toBe(1);
    await zh.screenshot({ path: join(SHOTS, 'review-zh-TW.png'), fullPage: true });
    await zh.context().close();

    const ar = await (await browser.newContext({ locale: 'ar', colorScheme: 'dark', viewport: { width: 900, height: 1000 } })).newPage();
    await ar.goto(`${receiver.url}/review?drive=${DRIVE}`);
    expect(await ar.locator('html').getAttribute('dir')).toBe('rtl');
    await expect.poll(() => ar.getByLabel('رمز المراجِع').isVisible()).toBe(true);
    const results = await new AxeBuilder({ page: ar }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    await ar.screenshot({ path: join(SHOTS, 'review-ar-dark.png'), fullPage: true });
    await ar.getByLabel('رمز المراجِع').fill(token);
    await ar.getByRole('button', { name: 'بدء المراجعة' }).click();
    await shownReport(ar);
    expect(await ar.locator('.review-report-facts dd').first().textContent()).toContain('zh-TW');
    expect(await ar.locator('.review-report-facts dd').first().textContent()).toContain('الصينية');
    const withReport = await new AxeBuilder({ page: ar }).analyze();
    expect(withReport.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    await ar.screenshot({ path: join(SHOTS, 'review-ar-report-dark.png'), fullPage: true });
    await ar.context().close();
  });

  it('votes with the German keys (Z zustimmen, A ablehnen, U unsicher) and says in German what the receiver refused', async () => {
    const token = await reviewerToken();
    const de = await (await browser.newContext({ locale: 'de-DE', viewport: { width: 900, height: 1000 } })).newPage();
    await de.goto(`${receiver.url}/review?drive=${DRIVE}`);
    await de.getByLabel('Prüfer-Token').fill(token);
    // A contributor id the receiver refuses (400): the page says why in German, not the receiver's English.
    await de.getByLabel('Ihre Beitragenden-ID (optional)').fill('zu-kurz');
    await de.getByRole('button', { name: 'Prüfung starten' }).click();
    await de.getByText('Diese Beitragenden-ID geht nicht').waitFor();
    expect(await de.locator('#review-app').textContent()).not.toMatch(/contributor must be/);
    await de.getByLabel('Prüfer-Token').fill(token);
    await de.getByRole('button', { name: 'Prüfung starten' }).click();
    await shownReport(de);
    expect(await de.locator('.review-mark').first().locator('kbd').allTextContents()).toEqual(['Z', 'A', 'U']);
    expect(await de.locator('.review-report-facts dd').first().textContent()).toBe('Chinesisch (Taiwan) (\u2068zh-TW\u2069)');
    await de.keyboard.press('z');
    await de.keyboard.press('a');
    await expect.poll(() => de.getByRole('radio', { name: /Zustimmen/, checked: true }).count()).toBe(1);
    await expect.poll(() => de.getByRole('radio', { name: /Ablehnen/, checked: true }).count()).toBe(1);
    await de.screenshot({ path: join(SHOTS, 'review-de.png'), fullPage: true });
    await de.context().close();
  });

  it('moves on, saying so in German, when the report on screen is withdrawn by its author before the votes arrive', async () => {
    const key = randomBytes(32).toString('base64url');
    const doomed = { ...sampleUploaded(910_008, { drive_id: DRIVE }), owner_key_hash: await ownerKeyHash(key) };
    await upload('carol-contributor-00003', [doomed]);
    const token = await reviewerToken();
    const de = await (await browser.newContext({ locale: 'de-DE', viewport: { width: 900, height: 1000 } })).newPage();
    await de.goto(`${receiver.url}/review?drive=${DRIVE}`);
    await de.getByLabel('Prüfer-Token').fill(token);
    await de.getByRole('button', { name: 'Prüfung starten' }).click();
    // Nobody voted on it yet, so it comes first.
    expect(await shownReport(de)).toBe(doomed.id);
    const withdrawn = await fetch(`${receiver.url}/v1/reports/${doomed.id}`, { method: 'DELETE', headers: { 'Owner-Key': key } });
    expect(withdrawn.status).toBe(200);
    for (let i = 0; i < doomed.highlights.length; i++) await de.keyboard.press('z');
    await de.keyboard.press('Enter');
    // The receiver answers 404 in English; the page says what happened in German and shows the next report.
    await de.getByText('Eine Meldung wurde gerade von ihrer Verfasserin oder ihrem Verfasser zurückgezogen').waitFor();
    await expect.poll(() => de.locator('article.review-report').getAttribute('data-report-id')).not.toBe(doomed.id);
    expect(await de.locator('#review-app').textContent()).not.toMatch(/There is no report|withdrawn\)/);
    expect(votesInDb().filter((v) => v.report_id === doomed.id)).toEqual([]);
    await de.context().close();
  });
});

describe('the review page when the receiver refuses', () => {
  it('says in Arabic that the receiver is busy (429), with the receiver’s English words folded away beneath, and no accessibility problem', async () => {
    // A real receiver whose per-client rate limit is tiny: this test drains it, then the page asks.
    const busy = await startReceiver({ drives: { [DRIVE]: { manifest: MANIFEST } }, env: { RATE_LIMIT: '0.01', RATE_BURST: '12' } });
    try {
      const token = JSON.parse(await driveCli(['reviewer-token', DRIVE, '--data-dir', busy.dataDir, '--json'])) as { reviewer_token: string };
      const ar = await (await browser.newContext({ locale: 'ar', viewport: { width: 900, height: 800 } })).newPage();
      await ar.goto(`${busy.url}/review?drive=${DRIVE}`);
      await ar.getByLabel('رمز المراجِع').fill(token.reviewer_token);
      let drained = false;
      for (let i = 0; i < 30 && !drained; i++) drained = (await fetch(`${busy.url}/v1/stats`)).status === 429;
      expect(drained).toBe(true);
      await ar.getByRole('button', { name: 'بدء المراجعة' }).click();
      await ar.getByText('الجهة المستقبِلة مشغولة الآن').waitFor();
      const original = ar.locator('details.review-original');
      expect(await original.locator('bdi').getAttribute('lang')).toBe('en');
      await original.locator('summary').click();
      expect(await original.locator('bdi').textContent()).toMatch(/^Too many requests/);
      const results = await new AxeBuilder({ page: ar }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
      await ar.screenshot({ path: join(SHOTS, 'review-ar-busy.png'), fullPage: true });
      await ar.context().close();
    } finally {
      await busy.stop();
    }
  });
});
