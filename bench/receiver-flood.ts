// `npm run bench:flood` — what the receiver's limits (server/guard.ts) buy, measured on the
// real process with and without them:
//   1. an honest uploader (127.0.0.2) sending 10-report batches while 20 clients
//      (127.0.0.1) send 2 MB invalid batches in a loop: the honest upload's latency;
//   2. 400 connections from 40 addresses (127.0.0.11–50) that send headers and most of a
//      ~2 MB body, then stall: the receiver's resident memory, and how many it still holds.
// "Without" is the same receiver with every limit off and Node's default timeouts
// (RATE_LIMIT=0, MAX_*=0, IDLE_TIMEOUT_MS=3600000, …). `--before <dir>` adds a third
// receiver: server/main.ts of another checkout (e.g. `git archive` of the commit before the
// limits, with node_modules linked), for the numbers from before the limits existed.
// docs/receiver.md keeps the results. Linux only (loopback source addresses, /proc).
//
// bench/ runs as CommonJS (bench/package.json), hence main() instead of top-level await.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROTOCOL } from '../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';

const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 10);
const STALL_SECONDS = Number(process.env.STALL_SECONDS ?? 20);
const FLOOD_CLIENTS = 20;
const STALLED = 400;

const UNGUARDED = {
  RATE_LIMIT: '0',
  MAX_CONNECTIONS: '0',
  MAX_CONNECTIONS_PER_IP: '0',
  MAX_UPLOADS: '0',
  MAX_UPLOADS_PER_IP: '0',
  HEADERS_TIMEOUT_MS: '60000',
  REQUEST_TIMEOUT_MS: '300000',
  IDLE_TIMEOUT_MS: '3600000',
};

interface Receiver {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** server/main.ts of `root` on 127.0.0.1, a free port and a fresh data directory. */
async function start(root: string, env: Record<string, string>): Promise<Receiver> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sounds-local-flood-'));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG: 'quiet', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const port = await new Promise<number>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) done(Number(match[1]));
    });
    child.once('exit', (code) => fail(new Error(`receiver exited (${code}):\n${output}`)));
  });
  return {
    port,
    pid: child.pid!,
    async stop() {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function post(port: number, body: string, from: string): Promise<number> {
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/reports',
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', () => done(-1));
      },
    );
    req.on('error', () => done(-1));
    req.setTimeout(60_000, () => req.destroy());
    req.end(body);
  });
}

function junk(bytes: number): string {
  const each = Math.floor(bytes / 100) - 20;
  return JSON.stringify({
    protocol: PROTOCOL,
    client: SAMPLE_CLIENT,
    reports: Array.from({ length: 100 }, (_, i) => ({ id: `junk-${i}`, answer: 'x'.repeat(each) })),
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

let honestId = 50_000_000;
async function honestLatencies(port: number, until: number): Promise<{ ms: number[]; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  while (performance.now() < until) {
    const body = JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: Array.from({ length: 10 }, () => sampleUploaded(honestId++)) });
    const t = performance.now();
    const status = await post(port, body, '127.0.0.2');
    if (status === 200) ms.push(performance.now() - t);
    else failed++;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ms: ms.sort((a, b) => a - b), failed };
}

async function flood(receiver: Receiver) {
  // Quiet baseline first, then the same honest uploads under the flood.
  const quiet = await honestLatencies(receiver.port, performance.now() + 3_000);
  const near = junk(1_990_000);
  const over = junk(2_100_000);
  const statuses: Record<string, number> = {};
  const until = performance.now() + FLOOD_SECONDS * 1000;
  const flooders = Array.from({ length: FLOOD_CLIENTS }, async (_, i) => {
    while (performance.now() < until) {
      const s = await post(receiver.port, i % 2 ? over : near, '127.0.0.1');
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  const loud = await honestLatencies(receiver.port, until);
  await Promise.all(flooders);
  return { quiet, loud, statuses };
}

async function stall(receiver: Receiver) {
  const before = rssMb(receiver.pid);
  const sockets: Socket[] = [];
  let closedByServer = 0;
  const body = 'x'.repeat(1_900_000);
  for (let i = 0; i < STALLED; i++) {
    const socket = connect({ host: '127.0.0.1', port: receiver.port, localAddress: `127.0.0.${11 + (i % 40)}` });
    socket.on('error', () => {});
    socket.on('close', () => closedByServer++);
    socket.on('data', () => {});
    socket.write(
      `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nIdempotency-Key: stalled-${i}-key\r\nContent-Length: 1990000\r\n\r\n{"protocol":"${body}`,
    );
    sockets.push(socket);
  }
  let peak = before;
  const samples: Array<[number, number, number]> = [];
  const started = performance.now();
  while (performance.now() - started < STALL_SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 250));
    const rss = rssMb(receiver.pid);
    peak = Math.max(peak, rss);
    samples.push([Math.round((performance.now() - started) / 1000), rss, STALLED - closedByServer]);
  }
  const end = rssMb(receiver.pid);
  const open = STALLED - closedByServer;
  for (const s of sockets) s.destroy();
  return { before, peak, end, open };
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '—');

async function measure(label: string, root: string, env: Record<string, string>) {
  let receiver = await start(root, env);
  const f = await flood(receiver);
  await receiver.stop();
  receiver = await start(root, env);
  const s = await stall(receiver);
  await receiver.stop();
  return { label, ...f, ...s };
}

async function main() {
  const { values } = parseArgs({ options: { before: { type: 'string' } } });
  const here = resolve(__dirname, '..');
  console.log(`receiver flood benchmark — ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`);
  console.log(
    `flood: ${FLOOD_CLIENTS} clients × 2 MB invalid batches for ${FLOOD_SECONDS} s; honest: 10 reports per batch, one every 200 ms from another address`,
  );
  console.log(`stall: ${STALLED} connections from 40 addresses, ~1.9 MB of a 1.99 MB body each, then silence, watched for ${STALL_SECONDS} s\n`);
  const runs = [await measure('with limits (defaults)', here, {}), await measure('limits off', here, UNGUARDED)];
  if (values.before) runs.push(await measure(`before (${values.before})`, resolve(values.before), {}));
  for (const r of runs) {
    console.log(`${r.label}`);
    console.log(
      `  honest upload, quiet:      median ${f0(quantile(r.quiet.ms, 0.5))} ms, p95 ${f0(quantile(r.quiet.ms, 0.95))} ms (${r.quiet.ms.length} ok, ${r.quiet.failed} failed)`,
    );
    console.log(
      `  honest upload, under flood: median ${f0(quantile(r.loud.ms, 0.5))} ms, p95 ${f0(quantile(r.loud.ms, 0.95))} ms, max ${f0(r.loud.ms.at(-1) ?? NaN)} ms (${r.loud.ms.length} ok, ${r.loud.failed} failed)`,
    );
    console.log(`  flood answers: ${JSON.stringify(r.statuses)}`);
    console.log(
      `  400 stalled: RSS ${f0(r.before)} MB before, peak ${f0(r.peak)} MB, ${f0(r.end)} MB after ${STALL_SECONDS} s; ${r.open} connections still open`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
