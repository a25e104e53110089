// Screenshots of the popup and options page in real Chromium with the built extension:
// `npm run build && npx tsx scripts/screenshot-ui.ts` → tmp/screenshots/ui-*.png.
// Reports are seeded by import-reports sent from the extension's own page, like the UI does.
import { chromium, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

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

    await page.goto(`${base}/popup.html`);
    await page.getByText('No reports yet').waitFor();
    await shot('01-empty');

    const jsonl = [zh, ar, pt, failed, hostile, en].map((r) => JSON.stringify(r)).join('\n');
    const imported = await page.evaluate((text) => chrome.runtime.sendMessage({ type: 'import-reports', jsonl: text }), jsonl);
    if (!imported?.ok || imported.problems.length) throw new Error(`seeding failed: ${JSON.stringify(imported)}`);

    await page.goto(`${base}/popup.html`);
    await page.getByRole('button', { name: 'Open', exact: true }).first().waitFor();
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
    await page.getByRole('button', { name: 'Mark', exact: true }).click();
    await page.getByRole('dialog', { name: 'New mark' }).waitFor();
    await page.getByRole('combobox', { name: 'Category' }).selectOption('regional_vocabulary');
    await page.getByRole('textbox', { name: 'Suggestion', exact: true }).fill('網路');
    await page.getByRole('dialog', { name: 'New mark' }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('04-mark-form');
    await page.getByRole('button', { name: 'Add mark' }).click();
    await page.getByText('Mark added and saved.').waitFor();
    await shot('05-mark-added');

    await page.getByRole('combobox', { name: 'Expected locale' }).fill('zh_TW');
    await page.getByRole('textbox', { name: 'Comment (optional)' }).fill('x'.repeat(10));
    await page.getByRole('button', { name: 'Save draft' }).click();
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
    await page.getByRole('button', { name: 'Open', exact: true }).first().waitFor();
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

await main();
