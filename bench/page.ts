// `npm run bench:page` — what the content script costs a long ChatGPT conversation
// (DESIGN.md §12): a 300-answer page that then streams a ~2,000-token answer, loaded in real
// Chromium with and without the extension, alternating, several times each.
//
// Scripting time: CDP Performance.getMetrics (ScriptDuration, TaskDuration, thread CPU
// time) between the navigation and a moment after the stream has ended and settled.
// Attribution: one extra traced run with the extension (bench/lib/trace.ts).
//
// Environment: BENCH_CLIENT (append | rerender: how the page's own script streams, see
// bench/fixtures/conversation.ts), BENCH_RUNS (per side, default 5), BENCH_TOKENS (2000), BENCH_TOKEN_MS (18),
// BENCH_KEEP_TRACE=1 keeps the traced run's events in tmp/bench/page-trace.json,
// BENCH_DRY=1 prints without recording the result.
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { CHROME_BUILD, ROOT, launchWithExtension, serveAt } from '../tests/e2e/chromium';
import { conversationPage } from './fixtures/conversation';
import { attribute, startTracing, stopTracing, type Attribution } from './lib/trace';
import { median, round, table } from './lib/stats';
import { describeMachine } from './lib/machine';
import { saveResult, writeDocs, type PageResult, type PageRun } from './lib/results';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ANSWERS = 300;
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const TOKEN_MS = Number(process.env.BENCH_TOKEN_MS ?? 18);
/** After the last token: room for the last throttled reconcile (200 ms + idle ≤ 100 ms). */
const SETTLE_MS = 1500;
const START_URL = 'https://chatgpt.com/bench-start';
const PAGE_URL = 'https://chatgpt.com/c/bench';
/** BENCH_BUILD: measure another Chrome build (e.g. an older commit's, for a before/after on one machine). */
const BUILD = process.env.BENCH_BUILD ? resolve(process.env.BENCH_BUILD) : CHROME_BUILD;
const CONTENT_SCRIPT = resolve(BUILD, 'content-scripts/chatgpt.js');

const CLIENT = process.env.BENCH_CLIENT === 'rerender' ? 'rerender' : 'append';
/** Each page client keeps its own result (docs/benchmarks.md shows both). */
const RESULT = CLIENT === 'rerender' ? 'page-rerender' : 'page';
/**
 * BENCH_WITHOUT=empty-script: the "without" side loads the extension built with
 * `wxt build -b chrome --mode bench-empty`, whose content script returns at once, so the
 * difference is our content script's own work, not the cost of having one (printed only).
 */
const EMPTY_BUILD = resolve(ROOT, '.output/chrome-mv3-bench-empty');
const WITHOUT_EMPTY = process.env.BENCH_WITHOUT === 'empty-script';
const page = conversationPage({ answers: ANSWERS, tokens: TOKENS, tokenMs: TOKEN_MS, startDelayMs: 500, client: CLIENT });

interface Metrics {
  ScriptDuration: number;
  TaskDuration: number;
  LayoutDuration: number;
  RecalcStyleDuration: number;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value])) as unknown as Metrics;
}

async function waitForStreamEnd(tab: Page) {
  const timeout = 60_000 + TOKENS * TOKEN_MS * 3;
  await tab.waitForFunction(() => (window as any).__benchStream?.endedAt > 0, null, { timeout, polling: 250 });
  await tab.waitForTimeout(SETTLE_MS);
}

/** One page load + stream in a fresh browser. */
async function runOnce(extension: boolean, trace = false): Promise<{ run: PageRun; attribution?: Attribution }> {
  const browser = WITHOUT_EMPTY && !extension ? await launchWithExtension({ build: EMPTY_BUILD }) : await launchWithExtension({ extension, build: BUILD });
  try {
    await serveAt(browser.context, START_URL, '<!doctype html><title>start</title>');
    await serveAt(browser.context, PAGE_URL, page.html);
    const tab = await browser.context.newPage();
    // Start on the same origin, so the conversation loads in the renderer being measured.
    await tab.goto(START_URL);
    const cdp = await browser.context.newCDPSession(tab);
    // Thread time, not wall time: the other core's work (browser process, the extension's
    // service worker) must not count as the page's.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (trace) await startTracing(cdp);
    const before = await metrics(cdp);
    const startedAt = Date.now();
    await tab.goto(PAGE_URL);
    await waitForStreamEnd(tab);
    const after = await metrics(cdp);
    const wallMs = Date.now() - startedAt;
    // Only answers near the viewport get a button (the rest as they scroll near), and every
    // button placed is built (has a size). Count them, check the streamed answer's is built,
    // then scroll to the top and check the first answer's comes (outside the measured window).
    const buttons = await tab.locator('sounds-local-button').count();
    const built = await tab.evaluate(() => [...document.querySelectorAll('sounds-local-button')].filter((h) => h.getBoundingClientRect().width > 0).length);
    const newest = await tab.evaluate(() => {
      const turns = document.querySelectorAll('[data-testid^="conversation-turn-"]');
      const hosts = turns[turns.length - 1]!.querySelectorAll('sounds-local-button');
      return hosts.length === 1 && hosts[0]!.getBoundingClientRect().width > 0;
    });
    const onUserTurns = await tab.evaluate(
      () => [...document.querySelectorAll('sounds-local-button')].filter((h) => h.closest('[data-message-author-role="user"]')).length,
    );
    let first = false;
    if (extension) {
      await tab.evaluate(() => scrollTo(0, 0));
      first = await tab
        .waitForFunction(
          () => (document.querySelector('[data-testid="conversation-turn-2"] sounds-local-button')?.getBoundingClientRect().width ?? 0) > 0,
          null,
          { timeout: 5_000 },
        )
        .then(
          () => true,
          () => false,
        );
    }
    const delta = (key: keyof Metrics) => round((after[key] - before[key]) * 1000, 1);
    const run: PageRun = {
      extension,
      traced: trace,
      wall_ms: wallMs,
      buttons,
      built,
      buttons_ok: buttons > 0 && buttons < ANSWERS && built === buttons && newest && first && onUserTurns === 0,
      script_ms: delta('ScriptDuration'),
      task_ms: delta('TaskDuration'),
      layout_ms: delta('LayoutDuration'),
      style_ms: delta('RecalcStyleDuration'),
    };
    if (!trace) return { run };
    const events = await stopTracing(cdp);
    if (process.env.BENCH_KEEP_TRACE) {
      // Open in DevTools' Performance panel to see what the numbers are made of.
      mkdirSync(resolve(ROOT, 'tmp/bench'), { recursive: true });
      writeFileSync(resolve(ROOT, 'tmp/bench/page-trace.json'), JSON.stringify(events));
    }
    return { run, attribution: attribute(events, PAGE_URL, `chrome-extension://${browser.extensionId}/`) };
  } finally {
    await browser.close();
  }
}

function contentScriptSize() {
  const raw = readFileSync(CONTENT_SCRIPT);
  return { raw_bytes: statSync(CONTENT_SCRIPT).size, gzip_bytes: gzipSync(raw).length };
}

function describeTask(task: Attribution['maxOurs']): string {
  if (!task) return 'none';
  return `${round(task.oursMs)} ms CPU (${round(task.oursWallMs)} ms wall) of ours in a ${round(task.taskMs)} ms task (${task.kinds.join(' + ')}, ${task.phase})`;
}

async function main() {
  const machine = describeMachine();
  const size = contentScriptSize();
  console.log(`Content script: ${size.raw_bytes} B, ${size.gzip_bytes} B gzipped`);
  console.log(
    `Page: ${ANSWERS} answers (${(page.bytes / 1e6).toFixed(1)} MB of HTML), then ${page.tokens} tokens every ~${TOKEN_MS} ms (page client: ${CLIENT}); ${RUNS} runs each way`,
  );

  const loadBefore = loadavg()[0]!;
  const runs: PageRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which side goes first, so a drift in the machine's state hits both.
    for (const extension of i % 2 ? [false, true] : [true, false]) {
      const { run } = await runOnce(extension);
      runs.push(run);
      console.log(
        `  run ${i + 1} ${extension ? 'with   ' : 'without'}  script ${run.script_ms} ms  task ${run.task_ms} ms  buttons ${run.buttons}  (${(run.wall_ms / 1000).toFixed(1)} s)`,
      );
    }
  }
  console.log('  traced run with the extension (for attribution; not in the medians)…');
  const traced = await runOnce(true, true);
  const a = traced.attribution!;

  const side = (ext: boolean) => runs.filter((r) => r.extension === ext);
  const med = (ext: boolean, key: 'script_ms' | 'task_ms') => median(side(ext).map((r) => r[key]));
  const scriptWith = med(true, 'script_ms');
  const scriptWithout = med(false, 'script_ms');
  const taskWith = med(true, 'task_ms');
  const taskWithout = med(false, 'task_ms');
  const withRuns = [...side(true), traced.run];
  const result: PageResult = {
    machine: { ...machine, load_average: [round(loadBefore, 2), round(loadavg()[0]!, 2)] },
    config: { answers: ANSWERS, tokens: page.tokens, token_ms: TOKEN_MS, runs_per_side: RUNS, settle_ms: SETTLE_MS, html_bytes: page.bytes, client: CLIENT },
    content_script: size,
    runs: [...runs, traced.run],
    median: {
      script_with_ms: scriptWith,
      script_without_ms: scriptWithout,
      script_ratio: round(scriptWith / scriptWithout, 3),
      task_with_ms: taskWith,
      task_without_ms: taskWithout,
      task_ratio: round(taskWith / taskWithout, 3),
    },
    attribution: a,
    buttons_ok: withRuns.every((r) => r.buttons_ok),
  };

  const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${round((ratio - 1) * 100)} %`;
  console.log(
    '\n' +
      table([
        [`ChatGPT page (${CLIENT}), ${ANSWERS} answers + ${page.tokens}-token stream`, 'with', 'without', 'extra', 'budget'],
        [
          'main-thread scripting, median (ms CPU)',
          `${scriptWith}`,
          `${scriptWithout}`,
          `${pct(result.median.script_ratio)} (${round(scriptWith - scriptWithout)} ms)`,
          '≤ +5 %',
        ],
        ['main-thread tasks, median (ms CPU)', `${taskWith}`, `${taskWithout}`, pct(result.median.task_ratio), ''],
        [
          'our script, traced run (ms CPU)',
          `${round(a.oursTotalMs)}`,
          '',
          `load ${round(a.oursLoadMs)} / stream ${round(a.oursStreamMs)} / after ${round(a.oursAfterMs)}`,
          '',
        ],
        ['most of our code in one task (ms CPU)', `${round(a.maxOurs?.oursMs ?? 0)}`, '', a.maxOurs?.phase ?? '', '≤ 50'],
        ['content script, gzipped (kB)', `${round(size.gzip_bytes / 1000, 2)}`, '', '', '≤ 13 (goal 10)'],
        [
          'buttons at the end (built near the viewport)',
          side(true)
            .map((r) => `${r.buttons} (${r.built})`)
            .join(' / '),
          '',
          result.buttons_ok ? 'ok' : 'WRONG',
          'near the viewport, all built; newest; first after scrolling',
        ],
      ]),
  );
  console.log(`\nMost of our CPU in one task: ${describeTask(a.maxOurs)}`);
  console.log(`Most of our wall time in one task: ${describeTask(a.maxOursWall)}`);
  console.log(`Longest task that ran our code: ${describeTask(a.longestWithUs)}`);
  console.log(
    `Script entries of ours: ${a.calls} in ${a.tasksWithUs} tasks; tasks with over 50 ms of ours: ${a.longTasksOfOurs} CPU, ${a.longTasksOfOursWall} wall; page tasks over 50 ms (anyone's): ${a.longTasksAll}`,
  );
  console.log(`Load average (1 min) before/after: ${result.machine.load_average!.join(' / ')}`);

  if (RUNS < 1 || process.env.BENCH_DRY || WITHOUT_EMPTY || process.env.BENCH_BUILD) return; // a trial or comparison run: printed, not recorded
  saveResult(RESULT, result);
  writeDocs();
  if (!result.buttons_ok) {
    console.error(
      `Sanity check failed: expected buttons on the answers near the viewport only, each built, the streamed answer's among them, none on user turns, and the first answer's after scrolling up`,
    );
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
