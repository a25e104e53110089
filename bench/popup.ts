// `npm run bench:popup` — the popup with 10,000 stored reports, in real Chromium (DESIGN §12:
// first render ≤ 150 ms; issue 9: import of 10,000 ≤ 3 s with progress).
//
// 1. Import: a 10,000-report JSONL file chosen in the options page's real file input, timed
//    from the choice to the "added" result (chunks of 1,000 lines, one message and one
//    background transaction each, progress shown).
// 2. First page of the list: popup.html opened in a new page, timed from navigation start to
//    the first report row in the DOM, warm (service worker running) and cold (the worker
//    stopped through the DevTools protocol first, as after Chrome idles it out). Next to it,
//    the same with an empty store, so the number says what 10,000 reports add.
//
// Environment: BENCH_REPORTS (default 10000), BENCH_RUNS (default 8), BENCH_DRY=1 prints only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, openExtensionPage, sendFromExtension, type ExtensionBrowser } from '../tests/e2e/chromium';
import { makeReport, markPhrase } from '../tests/helpers/reports';
import { reportsToJsonl } from '../lib/jsonl';
import { describeMachine } from './lib/machine';
import { median, round } from './lib/stats';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 8);

function corpus(n: number): string {
  const reports = Array.from({ length: n }, (_, i) => {
    const created = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const answer = `第 ${i} 個回答：在台灣，我們通常說影片，而不是視頻。軟件也應該說軟體。`.repeat(3);
    return makeReport({
      created_at: created,
      updated_at: created,
      status: i % 7 === 0 ? 'ready' : 'draft',
      answer,
      highlights: [markPhrase(answer, '視頻', '影片'), markPhrase(answer, '軟件', '軟體')],
    });
  });
  return reportsToJsonl(reports);
}

/** Time from navigation start to the first report row (or the empty list's text). */
const FIRST_ROW = `() => new Promise((resolve) => {
  const done = () => document.querySelector('.report-row, .empty');
  if (done()) return resolve(performance.now());
  new MutationObserver((_, observer) => {
    if (done()) { observer.disconnect(); resolve(performance.now()); }
  }).observe(document, { childList: true, subtree: true });
})`;

async function stopServiceWorker(browser: ExtensionBrowser, page: Page) {
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

async function firstPage(browser: ExtensionBrowser, control: Page, cold: boolean): Promise<number> {
  if (cold) {
    await stopServiceWorker(browser, control);
    await new Promise((r) => setTimeout(r, 300));
  }
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  // The observer is in place before any of the page's own script runs.
  await popup.addInitScript(`window.__firstRow = (${FIRST_ROW})()`);
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const ms = (await popup.evaluate('window.__firstRow')) as number;
  await popup.close();
  return ms;
}

async function measureList(browser: ExtensionBrowser, control: Page) {
  await firstPage(browser, control, false); // the first open compiles the bundle: not counted
  const warm: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    warm.push(await firstPage(browser, control, false));
    cold.push(await firstPage(browser, control, true));
  }
  return {
    warm_median_ms: round(median(warm)),
    warm_max_ms: round(Math.max(...warm)),
    cold_median_ms: round(median(cold)),
    cold_max_ms: round(Math.max(...cold)),
    warm,
    cold,
  };
}

async function main() {
  const jsonl = corpus(REPORTS);
  const file = resolve(tmpdir(), `sounds-local-bench-${REPORTS}.jsonl`);
  writeFileSync(file, jsonl);
  console.log(`${REPORTS.toLocaleString('en')} reports, ${(Buffer.byteLength(jsonl) / 1e6).toFixed(1)} MB of JSONL`);

  const browser = await launchWithExtension();
  try {
    const options = await openExtensionPage(browser, 'options.html');
    await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'zh-TW' } });
    await options.reload();

    const empty = await measureList(browser, options);
    console.log(
      `empty store: first page warm ${empty.warm_median_ms} ms (max ${empty.warm_max_ms}), cold ${empty.cold_median_ms} ms (max ${empty.cold_max_ms})`,
    );

    // Import through the options page's own file input, as a user does.
    const input = options.locator('input[type="file"]');
    const started = Date.now();
    await input.setInputFiles(file);
    await options.getByText(/^Added or updated [\d,]+ reports/).waitFor({ timeout: 120_000 });
    const import_ms = Date.now() - started;
    const counts = (await sendFromExtension(options, { type: 'get-state' })).counts;
    const stored = Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0);
    console.log(`import: ${REPORTS.toLocaleString('en')} reports in ${import_ms} ms (${stored} stored)`);

    const full = await measureList(browser, options);
    console.log(
      `${stored.toLocaleString('en')} reports: first page warm ${full.warm_median_ms} ms (max ${full.warm_max_ms}), cold ${full.cold_median_ms} ms (max ${full.cold_max_ms})`,
    );
    console.log(
      `ratio with / without reports: warm ${round(full.warm_median_ms / empty.warm_median_ms, 2)}, cold ${round(full.cold_median_ms / empty.cold_median_ms, 2)}`,
    );

    if (!process.env.BENCH_DRY) {
      const dir = resolve(__dirname, 'results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        resolve(dir, 'popup.json'),
        JSON.stringify({ machine: describeMachine(), reports: REPORTS, runs: RUNS, import_ms, stored, empty, full }, null, 2) + '\n',
      );
    }
  } finally {
    await browser.close();
  }
}

void main();
