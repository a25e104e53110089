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
// With vs without: BENCH_BASELINE=<another Chrome build's directory> (e.g. the previous
// commit's `.output/chrome-mv3`, copied aside) measures that build in the same run, each side
// in its own browser with its own 10,000 reports; the two alternate open by open (which goes
// first alternates too), so both see the same machine load.
//
// Environment: BENCH_REPORTS (default 10000), BENCH_RUNS (default 8), BENCH_BUILD, BENCH_BASELINE, BENCH_DRY=1
// prints only. A run with a baseline is recorded in bench/results/popup-compare.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROME_BUILD, launchWithExtension, openExtensionPage, sendFromExtension, type ExtensionBrowser } from '../tests/e2e/chromium';
import { makeReport, markPhrase } from '../tests/helpers/reports';
import { reportsToJsonl } from '../lib/jsonl';
import { firstOf, stopServiceWorker } from './lib/browser';
import { describeMachine } from './lib/machine';
import { median, round } from './lib/stats';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 8);
/** BENCH_BUILD: measure another Chrome build than .output/chrome-mv3 as "this build". */
const BUILD = process.env.BENCH_BUILD ? resolve(process.env.BENCH_BUILD) : CHROME_BUILD;
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;

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

/** One build under test: its own browser, its options page as the control page. */
interface Side {
  name: string;
  build: string;
  browser: ExtensionBrowser;
  options: Page;
  empty?: ListTimes;
  full?: ListTimes;
  import_ms?: number;
  stored?: number;
}

interface ListTimes {
  warm_median_ms: number;
  warm_max_ms: number;
  cold_median_ms: number;
  cold_max_ms: number;
  warm: number[];
  cold: number[];
}

async function firstPage(browser: ExtensionBrowser, control: Page, cold: boolean): Promise<number> {
  if (cold) await stopServiceWorker(browser, control);
  // Each open starts on an idle extension: the last popup's count of the reports by status
  // (asked for after its first page) must not be what this one waits for.
  await new Promise((r) => setTimeout(r, cold ? 0 : 1_500));
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  // The observer is in place before any of the page's own script runs: the first report row
  // (or the empty list's text).
  await popup.addInitScript(firstOf('.report-row, .empty'));
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const ms = (await popup.evaluate('window.__first')) as number;
  await popup.close();
  return ms;
}

function summary(warm: number[], cold: number[]): ListTimes {
  return {
    warm_median_ms: round(median(warm)),
    warm_max_ms: round(Math.max(...warm)),
    cold_median_ms: round(median(cold)),
    cold_max_ms: round(Math.max(...cold)),
    warm,
    cold,
  };
}

/** Warm then cold opens, RUNS times per side, the sides alternating open by open. */
async function measureLists(sides: Side[]): Promise<ListTimes[]> {
  for (const side of sides) await firstPage(side.browser, side.options, false); // the first open compiles the bundle: not counted
  const warm = sides.map(() => [] as number[]);
  const cold = sides.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    const order = sides.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) warm[k]!.push(await firstPage(sides[k]!.browser, sides[k]!.options, false));
    for (const k of order) cold[k]!.push(await firstPage(sides[k]!.browser, sides[k]!.options, true));
  }
  return sides.map((_, k) => summary(warm[k]!, cold[k]!));
}

/** Import through the options page's own file input, as a user does. */
async function importFile(side: Side, file: string) {
  const input = side.options.getByRole('button', { name: 'Import reports (JSONL)', exact: true });
  const started = Date.now();
  await input.setInputFiles(file);
  await side.options.getByText(/^Added or updated [\d,]+ reports/).waitFor({ timeout: 120_000 });
  side.import_ms = Date.now() - started;
  const counts = (await sendFromExtension(side.options, { type: 'get-state' })).counts;
  side.stored = Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0);
}

async function openSide(name: string, build: string): Promise<Side> {
  const browser = await launchWithExtension({ build });
  const options = await openExtensionPage(browser, 'options.html');
  await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'zh-TW' } });
  await options.reload();
  return { name, build, browser, options };
}

const times = (t: ListTimes) => `warm ${t.warm_median_ms} ms (max ${t.warm_max_ms}), cold ${t.cold_median_ms} ms (max ${t.cold_max_ms})`;

async function main() {
  const jsonl = corpus(REPORTS);
  const file = resolve(tmpdir(), `sounds-local-bench-${REPORTS}.jsonl`);
  writeFileSync(file, jsonl);
  console.log(`${REPORTS.toLocaleString('en')} reports, ${(Buffer.byteLength(jsonl) / 1e6).toFixed(1)} MB of JSONL`);
  const loadBefore = loadavg()[0]!;

  const sides: Side[] = [];
  try {
    sides.push(await openSide('this build', BUILD));
    if (BASELINE) sides.push(await openSide('baseline', BASELINE));

    const empty = await measureLists(sides);
    sides.forEach((side, k) => {
      side.empty = empty[k];
      console.log(`${side.name}, empty store: first page ${times(side.empty!)}`);
    });

    // One import after the other, the baseline first (the machine warms up as it goes).
    for (const side of [...sides].reverse()) {
      await importFile(side, file);
      console.log(`${side.name}, import: ${REPORTS.toLocaleString('en')} reports in ${side.import_ms} ms (${side.stored} stored)`);
    }

    const full = await measureLists(sides);
    sides.forEach((side, k) => {
      side.full = full[k];
      console.log(`${side.name}, ${side.stored!.toLocaleString('en')} reports: first page ${times(side.full!)}`);
      console.log(
        `${side.name}, ratio with / without reports: warm ${round(side.full!.warm_median_ms / side.empty!.warm_median_ms, 2)}, cold ${round(side.full!.cold_median_ms / side.empty!.cold_median_ms, 2)}`,
      );
    });
    const [current, baseline] = sides;
    if (current && baseline) {
      console.log(
        `this build ÷ baseline, medians with ${REPORTS.toLocaleString('en')} reports: warm ${round(current.full!.warm_median_ms / baseline.full!.warm_median_ms, 2)}, cold ${round(current.full!.cold_median_ms / baseline.full!.cold_median_ms, 2)}, import ${round(current.import_ms! / baseline.import_ms!, 2)}`,
      );
    }
    const load: [number, number] = [round(loadBefore, 2), round(loadavg()[0]!, 2)];
    console.log(`Load average (1 min) before/after: ${load.join(' / ')}`);

    if (!process.env.BENCH_DRY) {
      const dir = resolve(__dirname, 'results');
      mkdirSync(dir, { recursive: true });
      const record = ({ import_ms, stored, empty: e, full: f }: Side) => ({ import_ms, stored, empty: e, full: f });
      const machine = { ...describeMachine(), load_average: load };
      // A comparison goes to its own file: popup.json stays this build's plain measurement.
      const [name, result] = baseline
        ? ['popup-compare.json', { machine, reports: REPORTS, runs: RUNS, current: record(current!), baseline: { build: baseline.build, ...record(baseline) } }]
        : ['popup.json', { machine, reports: REPORTS, runs: RUNS, ...record(current!) }];
      writeFileSync(resolve(dir, name), JSON.stringify(result, null, 2) + '\n');
    }
  } finally {
    for (const side of sides) await side.browser.close();
  }
}

void main();
