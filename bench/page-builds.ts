// `npm run bench:page-builds` — bench:page's page under several builds in the same run, for a
// before/after on one machine: each round runs every variant once, rotating which goes first;
// prints ScriptDuration per run and the medians (printed only, nothing recorded).
//
// VARIANTS: name=<dir of a Chrome build>, comma-separated; an empty dir is "no extension"
// (default: before=.output/chrome-mv3-before,after=.output/chrome-mv3,none=). Build an older
// commit with `git worktree add` / `git archive`, then `wxt build -b chrome` there.
// ROUNDS (default 3), T (tokens, default 2000), CLIENT (append | rerender),
// TRACE=1 traces each extension run and prints our script's CPU (load / stream / after),
// DUMP=1 with TRACE=1 also lists every entry into our script (function, CPU, wall).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { launchWithExtension, serveAt } from '../tests/e2e/chromium';
import { conversationPage } from '../bench/fixtures/conversation';
import { attribute, startTracing, stopTracing } from '../bench/lib/trace';

const TOKENS = Number(process.env.T ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TRACE = process.env.TRACE === '1';
const variants: Array<{ name: string; build?: string }> = (process.env.VARIANTS ?? 'before=.output/chrome-mv3-before,after=.output/chrome-mv3,none=')
  .split(',')
  .map((v) => {
    const [name, dir] = v.split('=');
    return { name: name!, build: dir ? resolve(dir) : undefined };
  });
const page = conversationPage({ answers: 300, tokens: TOKENS, tokenMs: 18, startDelayMs: 500, client: (process.env.CLIENT as any) ?? 'append' });

async function once(v: { name: string; build?: string }, trace: boolean) {
  const browser = await launchWithExtension(v.build ? { build: v.build } : { extension: false });
  try {
    await serveAt(browser.context, 'https://chatgpt.com/bench-start', '<!doctype html><title>s</title>');
    await serveAt(browser.context, 'https://chatgpt.com/c/bench', page.html);
    const tab = await browser.context.newPage();
    await tab.goto('https://chatgpt.com/bench-start');
    const cdp = await browser.context.newCDPSession(tab);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (trace) await startTracing(cdp);
    const m = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    const before = await m();
    await tab.goto('https://chatgpt.com/c/bench');
    await tab.waitForFunction(() => (window as any).__benchStream?.endedAt > 0, null, { timeout: 300000, polling: 250 });
    await tab.waitForTimeout(1500);
    const after = await m();
    const buttons = await tab.evaluate(() => document.querySelectorAll('sounds-local-button').length);
    let ours = '';
    if (trace) {
      const events = await stopTracing(cdp);
      const a = attribute(events, 'https://chatgpt.com/c/bench', `chrome-extension://${browser.extensionId}/`);
      if (process.env.DUMP) {
        const prefix = `chrome-extension://${browser.extensionId}/`;
        const mine = events
          .filter(
            (e) => e.ph === 'X' && ['EvaluateScript', 'FunctionCall', 'v8.compile'].includes(e.name) && String(e.args?.data?.url ?? '').startsWith(prefix),
          )
          .sort((x, y) => x.ts - y.ts);
        const ss = events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === 'bench:stream-start')?.ts ?? 0;
        for (const e of mine)
          console.log(
            `  ${((e.ts - ss) / 1000).toFixed(0).padStart(7)} ms  ${e.name.padEnd(14)} cpu ${((e.tdur ?? 0) / 1000).toFixed(2).padStart(6)} wall ${((e.dur ?? 0) / 1000).toFixed(2).padStart(6)} ${e.args?.data?.functionName ?? ''}:${e.args?.data?.lineNumber ?? ''}:${e.args?.data?.columnNumber ?? ''}`,
          );
      }
      ours = `ours ${a.oursTotalMs.toFixed(1)} (load ${a.oursLoadMs.toFixed(1)} stream ${a.oursStreamMs.toFixed(1)} after ${a.oursAfterMs.toFixed(1)}) max ${a.maxOurs?.oursMs.toFixed(1)} calls ${a.calls}`;
    }
    return { script: ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000, buttons, ours };
  } finally {
    await browser.close();
  }
}

async function main() {
  const results = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    const order = [...variants.slice(r % variants.length), ...variants.slice(0, r % variants.length)];
    for (const v of order) {
      const res = await once(v, TRACE && !!v.build);
      (results.get(v.name) ?? results.set(v.name, []).get(v.name)!).push(res.script);
      console.log(`round ${r + 1} ${v.name.padEnd(6)} script ${res.script.toFixed(1)} ms buttons ${res.buttons} ${res.ours} load ${loadavg()[0]!.toFixed(1)}`);
    }
  }
  const med = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  for (const [name, xs] of results) console.log(name, 'median', med(xs).toFixed(1), xs.map((x) => x.toFixed(0)).join(' '));
}
main();
