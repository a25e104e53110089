// Screenshots of the popup and options page in real Chromium with the built extension:
// `npm run build && npx tsx scripts/screenshot-ui.ts` → tmp/screenshots/ui-*.png.
// Reports are seeded by import-reports sent from the extension's own page, like the UI does.
//
// `npx tsx scripts/screenshot-ui.ts --languages` instead shoots, in zh-TW, ar and de (Chromium
// started with --lang and that Accept-Language), light and dark, the screens the language
// e2e tests don't: the popup's first-run question and drift notice ("can't read this page
// yet", on a chatbot page served locally that the adapter can't read), the options' drive join
// dialog and a joined drive's card (its glossary unreadable), and the reference receiver's drive
// page and review page (a real receiver process on 127.0.0.1) → tmp/screenshots/lang-<lang>-<scheme>-*.png.
// Selectors there are structural (classes, ids), never English words.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PROTOCOL } from '../lib/protocol';
import { runDriveCli, startReceiver } from '../server/testing';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';

// The extension page's own API, reached through page.evaluate.
declare const chrome: { runtime: { sendMessage(message: unknown): Promise<{ ok: boolean; problems: string[] }> } };

const ROOT = resolve(import.meta.dirname, '..');
const BUILD = resolve(ROOT, '.output/chrome-mv3');
const OUT = resolve(ROOT, 'tmp/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function report(fields: Record<string, unknown>, minutesAgo: number) {
  const time = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    schema_version: 1,
    id: crypto.randomUUID(),
    created_at: time,
    updated_at: time,
    status: 'draft',
    site: 'chatgpt',
    model: { source: 'unknown' },
    expected_locale: 'en-GB',
    include_prompt: false,
    highlights: [],
    client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
    ...fields,
  };
}

function mark(answer: string, exact: string, fields: Record<string, unknown>) {
  const start = answer.indexOf(exact);
  const end = start + exact.length;
  return {
    id: crypto.randomUUID(),
    start,
    end,
    exact,
    prefix: answer.slice(Math.max(0, start - 32), start),
    suffix: answer.slice(end, end + 32),
    severity: 'minor',
    source: 'user',
    ...fields,
  };
}

const zhAnswer =
  '要在電腦上播放這個視頻，請先下載最新版本的軟件。\n\n1. 打開軟件，點擊「設置」。\n2. 在「網絡」頁面中輸入你的信息。\n3. 保存後重新啟動程序即可。\n\n如果還有問題，可以發郵件給客服。';
const zh = report(
  {
    answer: zhAnswer,
    expected_locale: 'zh-TW',
    prompt: '我要怎麼播放這個影片？',
    page_url: 'https://chatgpt.com/c/6720-demo',
    model: { label: 'GPT-5', source: 'page' },
    highlights: [
      mark(zhAnswer, '視頻', { category: 'regional_vocabulary', suggestion: '影片', severity: 'major' }),
      mark(zhAnswer, '軟件', { category: 'regional_vocabulary', suggestion: '軟體', alternatives: ['程式'] }),
      mark(zhAnswer, '信息', { category: 'regional_vocabulary', suggestion: '資訊', severity: 'preference' }),
    ],
  },
  3,
);
const arAnswer = 'سأرسل لك الفيديو على الإيميل غداً إن شاء الله.\nالسعر هو 20 دولار فقط، أي حوالي 75 ريال.';
const ar = report(
  {
    answer: arAnswer,
    expected_locale: 'ar-SA',
    site: 'gemini',
    highlights: [mark(arAnswer, 'الإيميل', { category: 'regional_vocabulary', suggestion: 'البريد الإلكتروني' })],
  },
  30,
);
const pt = report(
  { answer: 'Para chegar ao centro, apanhe o autocarro na paragem em frente ao hotel.', expected_locale: 'pt-BR', status: 'ready', site: 'claude' },
  60 * 5,
);
const failed = report(
  {
    answer: 'In an emergency in Berlin, dial 911 immediately.',
    expected_locale: 'de-DE',
    status: 'failed',
    status_reason: 'rejected: the endpoint answered 422 (drive closed)',
  },
  60 * 26,
);
const hostile = report(
  { answer: 'Use <img src=x onerror=alert(1)> and <script>alert(2)</script> to embed it.', expected_locale: 'en-US', status: 'uploaded', site: 'perplexity' },
  60 * 50,
);
const en = report(
  { answer: 'The colour of the lorry was grey, and it cost £20 per gallon of petrol.', expected_locale: 'en-US', preselected: { start: 4, end: 10 } },
  1,
);

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(resolve(BUILD, 'manifest.json'))) throw new Error('No build: run `npm run build` first');
  mkdirSync(OUT, { recursive: true });
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 400, height: 600 },
    args: [
      `--disable-extensions-except=${BUILD}`,
      `--load-extension=${BUILD}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const base = `chrome-extension://${new URL(worker.url()).host}`;
    const page = await context.newPage();
    // What the popup shows (600 px high, like Chrome's popup limit); `full` adds the whole page.
    const shot = async (name: string, options: { p?: Page; full?: boolean } = {}) => {
      const p = options.p ?? page;
      await p.screenshot({ path: resolve(OUT, `ui-${name}.png`) });
      if (options.full) await p.screenshot({ path: resolve(OUT, `ui-${name}-full.png`), fullPage: true });
    };

    // A fresh profile asks the first-run question before the empty list (components/PopupApp.tsx).
    await page.goto(`${base}/popup.html`);
    await page.locator('.first-run').waitFor();
    await shot('00-first-run');
    await page.locator('.first-run-confirm').click();
    await page.getByText('No reports yet').waitFor();
    await shot('01-empty');

    const jsonl = [zh, ar, pt, failed, hostile, en].map((r) => JSON.stringify(r)).join('\n');
    const imported = await page.evaluate((text) => chrome.runtime.sendMessage({ type: 'import-reports', jsonl: text }), jsonl);
    if (!imported?.ok || imported.problems.length) throw new Error(`seeding failed: ${JSON.stringify(imported)}`);

    await page.goto(`${base}/popup.html`);
    await page.locator('.report-open').first().waitFor();
    await shot('02-list', { full: true });

    await page.goto(`${base}/popup.html?report=${zh.id}`);
    await page.getByRole('region', { name: 'Answer' }).waitFor();
    await shot('03-editor-marks', { full: true });

    // Select 「網絡」's 網絡 with a real drag-like selection and press Mark.
    await page.evaluate((phrase) => {
      const region = document.querySelector('.answer')!;
      const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        const at = n.data.indexOf(phrase);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + phrase.length);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
        return;
      }
    }, '網絡');
    await page.locator('.mark-bar button.primary').click();
    await page.getByRole('dialog', { name: 'New mark' }).waitFor();
    await page.getByRole('radio', { name: 'Word from another region' }).click();
    await page.getByRole('textbox', { name: /^What would a local say\?/ }).fill('網路');
    await page.getByRole('dialog', { name: 'New mark' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('04-mark-form');
    await page.getByRole('button', { name: 'Add mark' }).click();
    await page.getByText('Mark added and saved.').waitFor();
    await shot('05-mark-added');

    // Reports save as they are edited: a locale written with "_" is refused with a field error.
    await page.getByRole('button', { name: 'Change the expected locale' }).click();
    await page.getByRole('combobox', { name: 'Expected locale' }).fill('zh_TW');
    await page.getByRole('textbox', { name: 'Comment (optional)' }).fill('x'.repeat(10));
    await page.getByRole('alert').first().waitFor();
    await shot('06-errors', { full: true });

    await page.goto(`${base}/popup.html?report=${en.id}`);
    await page.getByRole('dialog', { name: 'New mark' }).waitFor();
    await page.getByRole('button', { name: 'Add mark' }).click();
    await shot('07-preselected-with-errors', { full: true });

    await page.goto(`${base}/popup.html?report=${ar.id}`);
    await page.getByRole('region', { name: 'Answer' }).waitFor();
    await shot('08-editor-rtl');

    await page.goto(`${base}/popup.html?report=${hostile.id}`);
    await page.getByRole('region', { name: 'Answer' }).waitFor();
    await shot('09-editor-uploaded-markup-as-text');

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${base}/popup.html`);
    await page.locator('.report-open').first().waitFor();
    await shot('10-list-dark');
    await page.goto(`${base}/popup.html?report=${zh.id}`);
    await page.getByRole('region', { name: 'Answer' }).waitFor();
    await shot('11-editor-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.goto(`${base}/options.html`);
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    await shot('12-options', { full: true });
    await page.getByRole('combobox', { name: 'Default expected locale' }).fill('pt');
    await page.getByRole('button', { name: 'Save locale' }).click();
    await page.getByRole('button', { name: 'Delete all reports…' }).click();
    await shot('13-options-pt-and-confirm', { full: true });

    const wide = await context.newPage();
    await wide.setViewportSize({ width: 1100, height: 800 });
    await wide.goto(`${base}/popup.html?report=${zh.id}&tab=1`);
    await wide.getByRole('region', { name: 'Answer' }).waitFor();
    await shot('14-editor-in-tab', { p: wide, full: true });
    console.log(`screenshots in ${OUT}`);
  } finally {
    await context.close();
  }
}

/** A chatbot page whose answers this adapter can't find: long text in <main>, no answer markup (lib/content/injector.ts). */
const UNREADABLE_PAGE = `<!doctype html><html><head><title>ChatGPT</title></head><body><main><div class="renamed-thread">${'<div class="renamed-turn"><p>This conversation is rendered by markup the adapter does not know yet, so no answer can be found in it. </p></div>'.repeat(6)}</div></main></body></html>`;

async function launch(lang: string, colorScheme: 'light' | 'dark'): Promise<{ context: BrowserContext; base: string }> {
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    locale: lang,
    colorScheme,
    viewport: { width: 400, height: 600 },
    args: [
      `--lang=${lang}`,
      `--disable-extensions-except=${BUILD}`,
      `--load-extension=${BUILD}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return { context, base: `chrome-extension://${new URL(worker.url()).host}` };
}

async function languageScreens() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!existsSync(resolve(BUILD, 'manifest.json'))) throw new Error('No build: run `npm run build` first');
  mkdirSync(OUT, { recursive: true });
  const receiver = await startReceiver({ env: { LOG: 'quiet' } });
  try {
    const id = 'winter-2026';
    const manifest = {
      id,
      name: 'Does it sound local? Winter 2026',
      organizer: 'Locale Commons — volunteers in Taipei, Cairo and Köln',
      description: 'Mark where chatbot answers use another country’s words, spellings and dates, and write what a local would say.',
      locales: ['zh-TW', 'ar-EG', 'de-DE'],
      endpoint: receiver.url,
      guidelines: { en: 'Mark one phrase at a time and say what a local would write instead.', 'zh-TW': '一次標記一個詞語，並寫下在地的說法。' },
      license: 'CC-BY-4.0',
      privacy_url: `${receiver.url}/privacy`,
      requires_token: false,
      goal_reports: 40,
      ends_at: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      // Nothing is served there: the joined drive's card says its glossary can't be read.
      glossary_url: `${receiver.url}/glossary-missing.csv`,
    };
    const file = join(receiver.dataDir, `${id}.json`);
    writeFileSync(file, JSON.stringify(manifest));
    const created = await runDriveCli(['create', file], receiver.dataDir);
    if (created.code !== 0) throw new Error(created.stderr);
    const joinLink = /^join link: (\S+)$/m.exec(created.stdout)![1]!;
    const drivePage = /^drive page: (\S+)$/m.exec(created.stdout)![1]!;
    const reports = Array.from({ length: 14 }, (_, i) => sampleUploaded(950_000 + i, { drive_id: id }));
    const uploaded = await fetch(`${receiver.url}/v1/reports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: id, contributor: 'screens-contributor-0001', reports }),
    });
    if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.status} ${await uploaded.text()}`);
    const reviewer = await runDriveCli(['reviewer-token', id, '--json'], receiver.dataDir);
    const reviewerToken = (JSON.parse(reviewer.stdout) as { reviewer_token: string }).reviewer_token;

    for (const lang of ['zh-TW', 'ar', 'de']) {
      for (const scheme of ['light', 'dark'] as const) {
        const { context, base } = await launch(lang, scheme);
        const shot = (p: Page, name: string, fullPage = false) => p.screenshot({ path: resolve(OUT, `lang-${lang}-${scheme}-${name}.png`), fullPage });
        try {
          // A supported site the adapter can't read: its tab tells the background, the popup says so.
          await context.route('https://chatgpt.com/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: UNREADABLE_PAGE }));
          const chat = await context.newPage();
          await chat.goto('https://chatgpt.com/c/screens');
          await chat.waitForTimeout(2_500);

          const popup = await context.newPage();
          await popup.goto(`${base}/popup.html`);
          await popup.locator('.first-run').waitFor();
          await shot(popup, 'first-run');
          await popup.locator('.first-run-confirm').click();
          await popup.locator('.drift-notice').waitFor();
          await shot(popup, 'drift');

          // The endpoint's host permission, granted ahead as chrome://extensions would (a headless browser shows no prompt).
          const extensions = await context.newPage();
          await extensions.goto(`chrome://extensions/?id=${new URL(base).host}`);
          await extensions.evaluate(
            ([extensionId, origin]) => (globalThis as any).chrome.developerPrivate.addHostPermission(extensionId, origin),
            [new URL(base).host, 'http://127.0.0.1/*'],
          );
          await extensions.close();
          const options = await context.newPage();
          await options.setViewportSize({ width: 900, height: 1000 });
          await options.goto(`${base}/options.html`);
          await options.locator('#drive-join-input').fill(joinLink);
          await options.locator('.join-form button[type=submit]').click();
          const dialog = options.locator('.join-dialog');
          await dialog.waitFor();
          await dialog.evaluate((el) => el.scrollIntoView({ block: 'start' }));
          await shot(options, 'join-dialog');
          await dialog.locator('.actions button.primary').click();
          const card = options.locator('.drive-card');
          await card.locator('.drive-glossary-error').waitFor({ timeout: 15_000 });
          await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
          await shot(options, 'drive-card');

          const web = await context.newPage();
          await web.setViewportSize({ width: 1100, height: 900 });
          await web.goto(drivePage);
          await shot(web, 'drive-page', true);
          await web.setViewportSize({ width: 900, height: 1000 });
          await web.goto(`${receiver.url}/review?drive=${id}`);
          await web.locator('#review-token').fill(reviewerToken);
          await web.locator('.review-token-form button[type=submit]').click();
          await web.locator('article.review-report').waitFor();
          await shot(web, 'review', true);
        } finally {
          await context.close();
        }
      }
    }
    console.log(`screenshots in ${OUT} (lang-*-first-run, -drift, -join-dialog, -drive-card, -drive-page, -review)`);
  } finally {
    await receiver.stop();
  }
}

if (process.argv.includes('--languages')) await languageScreens();
else await main();
