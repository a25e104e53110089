// The public drive page (GET /drives/<id>) in real Chromium: a real receiver process serving
// a drive made with the organiser's CLI, history seeded through the real SQLite store (twelve
// days of uploads), checked with axe-core (0 violations of any impact) in light and dark, in
// English, German, Arabic and Taiwanese Mandarin, and screenshotted to
// tmp/screenshots/drive-page-*.png for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadedReport } from '../../lib/report';
import { SqliteStore } from '../../server/store-sqlite';
import { runDriveCli, startReceiver, type ReceiverProcess } from '../../server/testing';
import { sampleUploaded } from '../helpers/sample-reports';

const ROOT = resolve(__dirname, '../..');
const SCREENSHOTS = resolve(ROOT, 'tmp/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DAY = 86_400_000;

let dataDir: string;
let receiver: ReceiverProcess;
let browser: Browser;
let token = '';
let openPage = '';
let tokenPage = '';

/** Twelve days of uploads ending today, through the store the receiver itself uses. */
async function seedHistory(dir: string): Promise<number> {
  const store = new SqliteStore(join(dir, 'reports.sqlite'));
  const severities = ['preference', 'minor', 'minor', 'major', 'critical'] as const;
  let n = 0;
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  for (let day = 11; day >= 0; day--) {
    const count = [2, 3, 1, 4, 6, 5, 3, 7, 4, 6, 8, 5][11 - day]!;
    const batch: UploadedReport[] = [];
    for (let i = 0; i < count; i++, n++) {
      const report = sampleUploaded(900 + n, { drive_id: 'community-2026' });
      report.highlights.forEach((h, k) => (h.severity = severities[(n + k) % severities.length]!));
      batch.push(report);
    }
    await store.submit({
      idempotencyKey: randomUUID(),
      bodyHash: randomUUID(),
      driveId: 'community-2026',
      items: batch.map((report) => ({ report })),
      receivedAt: new Date(today - day * DAY + 15 * 3_600_000).toISOString(),
    });
  }
  await store.close();
  return n;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  dataDir = mkdtempSync(join(tmpdir(), 'sounds-local-drive-page-'));
  await seedHistory(dataDir);
  receiver = await startReceiver({ dataDir, env: { LOG: 'quiet' } });
  const base = {
    organizer: 'Locale Commons — volunteers in Taipei, São Paulo, Leeds and Köln',
    locales: ['zh-TW', 'pt-BR', 'en-GB', 'de-DE'],
    endpoint: receiver.url,
    license: 'CC-BY-4.0',
    privacy_url: `${receiver.url}/privacy`,
    goal_reports: 100,
  };
  const open = {
    ...base,
    id: 'community-2026',
    name: 'Does it sound local? Winter 2026',
    description:
      'Four communities mark where chatbot answers use another country’s words, spellings, dates and emergency numbers, and write what a local would say.',
    guidelines: {
      en: 'Mark one phrase at a time and say what a local would write instead.\nUse “preference” when the phrase is not wrong, just not how people here say it.\nNever paste personal data into a comment.',
      'zh-TW': '一次標記一個詞語，並寫下在地的說法。',
    },
    ends_at: new Date(Date.now() + 30 * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    requires_token: false,
  };
  const members = {
    ...base,
    id: 'members-only',
    name: 'Members-only drive',
    description: 'A drive for a closed group.',
    guidelines: 'Be precise.',
    requires_token: true,
  };
  for (const manifest of [open, members]) {
    const file = join(dataDir, `${manifest.id}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    const result = await runDriveCli(['create', file], dataDir);
    if (result.code !== 0) throw new Error(result.stderr);
    const t = /^token: (\S+)$/m.exec(result.stdout)?.[1];
    if (t) token = t;
    if (manifest.id === 'community-2026') openPage = /^drive page: (\S+)$/m.exec(result.stdout)![1]!;
    else tokenPage = /^drive page: (\S+)$/m.exec(result.stdout)![1]!;
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function page(colorScheme: 'light' | 'dark', locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ colorScheme, locale, viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  return context.newPage();
}

/** axe-core's violations of any impact (the issue asks for 0 serious or critical; the page has none at all). */
async function violations(p: Page) {
  const results = await new AxeBuilder({ page: p }).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the drive page in Chromium', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the drive, its progress chart and breakdowns, with no accessibility problem of any impact (${scheme})`, async () => {
      const p = await page(scheme);
      const response = await p.goto(openPage);
      expect(response?.status()).toBe(200);
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Does it sound local? Winter 2026');
      const chart = p.getByRole('img', { name: /^Reports over time: from \d+ on .+ to 54 by / });
      expect(await chart.count()).toBe(1);
      expect(await p.getByRole('progressbar', { name: 'Reports toward the goal' }).getAttribute('aria-valuenow')).toBe('54');
      expect(await p.getByText('54 of 100 reports').count()).toBe(1);
      for (const name of ['Progress', 'By category', 'By locale', 'By severity', 'Guidelines', 'About the data'])
        expect(await p.getByRole('heading', { name, exact: true }).count(), name).toBe(1);
      expect(await p.getByRole('link', { name: 'CC-BY-4.0' }).getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(await violations(p)).toEqual([]);
      await p.screenshot({ path: join(SCREENSHOTS, `drive-page-${scheme}.png`), fullPage: true });
      await p.context().close();
    });
  }

  it('speaks the viewer’s language (the browser’s Accept-Language): German words, numbers and dates', async () => {
    const p = await page('light', 'de-DE');
    await p.goto(openPage);
    expect(await p.locator('html').getAttribute('lang')).toBe('de');
    expect(await p.getByText('54 von 100 Meldungen').count()).toBe(1);
    expect(await p.locator('.state').textContent()).toMatch(/^Läuft bis \d{2}\.\d{2}\.\d{4}$/);
    expect(await p.locator('.locales').textContent()).toContain('Portugiesisch (Brasilien)');
    for (const name of ['Fortschritt', 'Nach Kategorie', 'Nach Sprachvariante', 'Nach Schweregrad', 'Richtlinien', 'Über die Daten'])
      expect(await p.getByRole('heading', { name, exact: true }).count(), name).toBe(1);
    expect(await p.getByRole('progressbar', { name: 'Meldungen bis zum Ziel' }).getAttribute('aria-valuetext')).toBe('54 von 100');
    expect(await p.getByRole('img', { name: /^Meldungen im Zeitverlauf: von \d+ am / }).count()).toBe(1);
    await p.context().close();
    const us = await page('light', 'en-US');
    await us.goto(openPage);
    expect(await us.locator('.state').textContent()).toMatch(/^Open until [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
    await p.context().close();
  });

  for (const [locale, scheme] of [
    ['ar', 'light'],
    ['ar', 'dark'],
    ['zh-TW', 'light'],
    ['zh-TW', 'dark'],
    ['de-DE', 'dark'],
  ] as const) {
    it(`reads as a page written in ${locale} (${scheme}): lang and dir, no English of its own, and no accessibility problem of any impact`, async () => {
      const p = await page(scheme, locale);
      const response = await p.goto(openPage);
      expect(response?.headers()['content-language']).toBe(locale === 'de-DE' ? 'de' : locale);
      expect(await p.locator('html').getAttribute('lang')).toBe(locale === 'de-DE' ? 'de' : locale);
      expect(await p.locator('html').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      // The organiser's name and texts stay as written, isolated from the page's direction.
      expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('Does it sound local? Winter 2026');
      expect(await p.locator('bdi.org').textContent()).toBe('Locale Commons — volunteers in Taipei, São Paulo, Leeds and Köln');
      // None of the page's own English words are left (the organiser's texts, licence, codes and the footer's product name excepted).
      const own = await p.evaluate(() => {
        const clone = document.body.cloneNode(true) as HTMLElement;
        for (const el of clone.querySelectorAll('h1, .lede, bdi, .guidelines, code, a[dir=ltr], svg')) el.remove();
        return clone.textContent ?? '';
      });
      expect(own.replace(/Sounds Local|UTC|HTTP/g, '')).not.toMatch(
        /\b(Progress|By|reports?|Guidelines|About|Licence|Privacy|Open|goal|Reports|Join|marked|locales?)\b/,
      );
      if (locale === 'ar') {
        expect(await p.getByRole('heading', { name: 'التقدّم', exact: true }).count()).toBe(1);
        // Mirrored: the first breakdown card sits at the right, its bars filling from the right.
        const [first, second] = await p.locator('.grid > .card').evaluateAll((cards) => cards.slice(0, 2).map((c) => c.getBoundingClientRect().left));
        expect(first!).toBeGreaterThan(second!);
      }
      if (locale === 'zh-TW') expect(await p.getByText('54 / 100 則回報').count()).toBe(1);
      expect(await violations(p)).toEqual([]);
      await p.screenshot({ path: join(SCREENSHOTS, `drive-page-${locale}-${scheme}.png`), fullPage: true });
      await p.context().close();
    });
  }

  it('keeps a token drive’s numbers private until a member’s ?token= is given, still accessible', async () => {
    const p = await page('light');
    await p.goto(tokenPage);
    expect(await p.getByText('numbers are shown to members only').count()).toBe(1);
    expect(await p.getByRole('progressbar').count()).toBe(0);
    expect(await violations(p)).toEqual([]);
    await p.screenshot({ path: join(SCREENSHOTS, 'drive-page-token-locked.png'), fullPage: true });
    await p.goto(`${tokenPage}?token=${encodeURIComponent(token)}`);
    expect(await p.getByRole('heading', { name: 'By category' }).count()).toBe(1);
    expect(await p.getByText('0 of 100 reports').count()).toBe(1);
    await p.context().close();
  });
});
