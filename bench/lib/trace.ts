// Which main-thread work is ours: a Chromium performance trace (the DevTools timeline
// categories) records every task the page's renderer runs (`RunTask`) and, inside it, each
// entry into JavaScript with the script's URL — `EvaluateScript` when a script starts,
// `FunctionCall` for each callback (timers, idle callbacks, MutationObserver deliveries).
// The content script's URL is chrome-extension://<id>/content-scripts/<site>.js, so a
// task's time in our code is the sum of those entries with that URL. (A PerformanceObserver
// for 'longtask' can't do this: its attribution names only the frame, not the script.)
//
// Times are thread CPU time (the events' `tdur`), with wall time next to them: on a busy
// 2-core machine the renderer is often descheduled in the middle of a callback, and a
// 0.2 ms callback can then span 100 ms of wall time without doing any more work.
import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number; // µs
  dur?: number; // µs, wall
  tdur?: number; // µs, thread CPU
  pid: number;
  tid: number;
  args?: { data?: Record<string, any>; name?: string; message?: string };
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.console', 'toplevel'];

export async function startTracing(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: CATEGORIES, excludedCategories: ['*'] },
  });
}

export async function stopTracing(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) throw new Error('Chromium returned no trace stream');
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 4 << 20 });
    chunks.push(Buffer.from(chunk.data, chunk.base64Encoded ? 'base64' : 'utf8'));
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

export interface TaskWithUs {
  /** Whole task, wall time (ms). */
  taskMs: number;
  /** Whole task, thread CPU time (ms). */
  taskCpuMs: number;
  /** Our script's share of it, CPU (ms). */
  oursMs: number;
  /** Our script's share of it, wall (ms). */
  oursWallMs: number;
  /** What ran: EvaluateScript (the content script starting) or FunctionCall (a callback). */
  kinds: string[];
  /** ms since the page's navigation started. */
  atMs: number;
  phase: 'load' | 'stream' | 'after';
}

export interface Attribution {
  /** All our script time on the page's main thread (ms, CPU), and by phase. */
  oursTotalMs: number;
  oursLoadMs: number;
  oursStreamMs: number;
  oursAfterMs: number;
  /** The same total in wall time. */
  oursTotalWallMs: number;
  /** Script entries of ours: EvaluateScript + callbacks. */
  calls: number;
  /** Page main-thread tasks that ran any of our code. */
  tasksWithUs: number;
  /** The task with the most of our own CPU time in it. */
  maxOurs: TaskWithUs | undefined;
  /** The task with the most of our own wall time in it (CPU time plus preemption). */
  maxOursWall: TaskWithUs | undefined;
  /** The longest task (wall) that ran any of our code; the rest of it may be the page's. */
  longestWithUs: TaskWithUs | undefined;
  /** Tasks where our own CPU time exceeds 50 ms. */
  longTasksOfOurs: number;
  /** Tasks where our own wall time exceeds 50 ms. */
  longTasksOfOursWall: number;
  /** Tasks over 50 ms (wall) on the page's main thread, whoever's. */
  longTasksAll: number;
  streamMs: number;
}

/**
 * Attribute the page's main-thread tasks in `events` to the script(s) whose URL starts
 * with `ourUrlPrefix` (an empty prefix attributes nothing: the run without the extension).
 */
export function attribute(events: TraceEvent[], pageUrl: string, ourUrlPrefix: string): Attribution {
  const pid = pageProcess(events, pageUrl);
  const tid = events.find((e) => e.pid === pid && e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')?.tid;
  if (tid === undefined) throw new Error(`no renderer main thread for ${pageUrl} in the trace`);
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid).sort((a, b) => a.ts - b.ts);

  const navigationStart = onMain.find((e) => e.name === 'ParseHTML' && e.args && (e.args as any).beginData?.url === pageUrl)?.ts ?? onMain[0]!.ts;
  const mark = (label: string) => onMain.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === label)?.ts;
  const streamStart = mark('bench:stream-start') ?? Infinity;
  const streamEnd = mark('bench:stream-end') ?? Infinity;
  const phaseAt = (ts: number): TaskWithUs['phase'] => (ts < streamStart ? 'load' : ts <= streamEnd ? 'stream' : 'after');

  const tasks = outermost(onMain.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.ts >= navigationStart));
  const ours = ourUrlPrefix
    ? outermost(
        onMain.filter(
          (e) => e.ph === 'X' && ['EvaluateScript', 'FunctionCall', 'v8.compile'].includes(e.name) && String(e.args?.data?.url ?? '').startsWith(ourUrlPrefix),
        ),
      )
    : [];

  const perTask = new Map<TraceEvent, TaskWithUs>();
  const totals = { load: 0, stream: 0, after: 0 };
  let wall = 0;
  let t = 0;
  for (const event of ours) {
    while (t < tasks.length && end(tasks[t]!) < event.ts) t++;
    const task = tasks[t] && tasks[t]!.ts <= event.ts ? tasks[t]! : undefined;
    const ms = cpu(event);
    totals[phaseAt(event.ts)] += ms;
    wall += (event.dur ?? 0) / 1000;
    if (!task) continue; // ran outside any task (not seen here, but never counted twice)
    const entry = perTask.get(task) ?? {
      taskMs: (task.dur ?? 0) / 1000,
      taskCpuMs: cpu(task),
      oursMs: 0,
      oursWallMs: 0,
      kinds: [],
      atMs: (task.ts - navigationStart) / 1000,
      phase: phaseAt(task.ts),
    };
    entry.oursMs += ms;
    entry.oursWallMs += (event.dur ?? 0) / 1000;
    if (!entry.kinds.includes(event.name)) entry.kinds.push(event.name);
    perTask.set(task, entry);
  }
  const withUs = [...perTask.values()];
  const maxBy = (key: 'oursMs' | 'oursWallMs' | 'taskMs') =>
    withUs.reduce<TaskWithUs | undefined>((best, x) => (!best || x[key] > best[key] ? x : best), undefined);
  return {
    oursTotalMs: totals.load + totals.stream + totals.after,
    oursLoadMs: totals.load,
    oursStreamMs: totals.stream,
    oursAfterMs: totals.after,
    oursTotalWallMs: wall,
    calls: ours.length,
    tasksWithUs: withUs.length,
    maxOurs: maxBy('oursMs'),
    maxOursWall: maxBy('oursWallMs'),
    longestWithUs: maxBy('taskMs'),
    longTasksOfOurs: withUs.filter((x) => x.oursMs > 50).length,
    longTasksOfOursWall: withUs.filter((x) => x.oursWallMs > 50).length,
    longTasksAll: tasks.filter((x) => (x.dur ?? 0) > 50_000).length,
    streamMs: Number.isFinite(streamEnd - streamStart) ? (streamEnd - streamStart) / 1000 : NaN,
  };
}

function pageProcess(events: TraceEvent[], pageUrl: string): number {
  for (const e of events) {
    if (e.name === 'FrameCommittedInBrowser' && e.args?.data?.url === pageUrl) return e.args.data.processId;
  }
  for (const e of events) {
    const frames = e.name === 'TracingStartedInBrowser' ? (e.args?.data?.frames as any[] | undefined) : undefined;
    const frame = frames?.find((f) => f.url === pageUrl);
    if (frame) return frame.processId;
  }
  throw new Error(`${pageUrl} does not appear in the trace`);
}

const end = (e: TraceEvent) => e.ts + (e.dur ?? 0);
/** Thread CPU time (ms); wall time where Chromium recorded none. */
const cpu = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;

/** Drop events nested in an earlier one (input sorted by start time). */
function outermost(sorted: TraceEvent[]): TraceEvent[] {
  const kept: TraceEvent[] = [];
  for (const e of sorted) {
    const last = kept[kept.length - 1];
    if (last && e.ts < end(last)) continue;
    kept.push(e);
  }
  return kept;
}
