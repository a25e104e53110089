// `npm run bench:ingest` — the receiver's ingest budget (DESIGN.md §12: ≥ 2,000 reports/s
// with SQLite on this 2-core machine), measured over HTTP against the real receiver
// process, next to raw inserts of the same rows — for SQLite and, side by side, PostgreSQL (a
// throwaway cluster with fsync on, or DATABASE_URL; skipped with a note where PostgreSQL
// isn't installed). Each measure runs BENCH_ROUNDS times (default 5); the table shows medians.
//
// SQLite with 1 client is the issue's comparison (HTTP ÷ raw ≥ 50 %), measured as fairly as
// a shared machine allows: each round starts a fresh receiver and a fresh raw database (same
// schema, same pragmas: WAL, synchronous = FULL) and sends the very same rows to both,
// alternating batch by batch (HTTP then raw, raw then HTTP, …), so a burst of load from other
// processes hits both sides alike. It prints where a batch's time goes: wall and CPU time of
// the raw inserts, CPU time of the receiver process (from /proc) and of the load generator;
// what is neither is waiting (for the fsync, and for a core to run on).
//
// The load generator is node:http with one kept-alive connection per client and bodies
// encoded once up front, so what is measured is the receiver rather than an HTTP client.
// Then the extension's own upload code (lib/upload, fake-indexeddb outbox, fetch) sends
// 10,000 queued reports to a local receiver. Prints a table; docs/benchmarks.md keeps the numbers.
// BENCH_REPORTS, BENCH_ROUNDS and BENCH_UPLOAD_REPORTS change the sizes; BENCH_POSTGRES=0 skips PostgreSQL.
//
// bench/ runs as CommonJS (bench/package.json), hence main() instead of top-level await.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { PROTOCOL } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { openSoundsLocalDb } from '../lib/storage/db';
import { saveReport } from '../lib/storage/reports';
import { createIdbOutboxStore, enqueueReady, runOutbox } from '../lib/upload';
import postgres from 'postgres';
import { SQLITE_PRAGMAS, SqliteStore } from '../server/store-sqlite';
import { PostgresStore } from '../server/store-postgres';
import { startReceiver, type ReceiverProcess } from '../server/testing';
import { postgresUnavailable, startPostgres, type PostgresCluster } from '../server/testing-postgres';
import { median } from './lib/stats';
import { SAMPLE_CLIENT, sampleStored, sampleUploaded } from '../tests/helpers/sample-reports';

const HTTP_REPORTS = Number(process.env.BENCH_REPORTS ?? 20_000);
const UPLOAD_REPORTS = Number(process.env.BENCH_UPLOAD_REPORTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;
const BUDGET = 2_000;
const WARM_UP = 2_000;

let nextOffset = 0;
/** Never-seen rows for each measurement, so no run is answered "duplicate". */
function freshReports(count = HTTP_REPORTS): UploadedReport[] {
  nextOffset += 10_000_000;
  return reports(count, nextOffset);
}

function reports(count: number, offset: number): UploadedReport[] {
  return Array.from({ length: count }, (_, i) => sampleUploaded(offset + i));
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One upload body per batch of 100, encoded once: the load generator should cost as little as it can. */
function uploadBodies(all: UploadedReport[]): Buffer[] {
  return batches(all, BATCH).map((b) => Buffer.from(JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: b })));
}

class IngestFailed extends Error {}

/** POSTs one batch over the agent's kept-alive connection; throws unless every report was accepted. */
function post(url: string, agent: Agent, body: Buffer): Promise<void> {
  const key = randomUUID();
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        `${url}/v1/reports`,
        { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'Content-Length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const json = JSON.parse(text) as { results?: Array<{ status: string }> };
            if (res.statusCode === 200 && json.results?.every((r) => r.status === 'accepted')) resolve();
            else reject(new IngestFailed(`ingest failed: ${res.statusCode} ${text.slice(0, 200)}`));
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive connection the receiver closed while this process was busy (a raw step
  // blocks it for seconds) fails at once; resend under the same key, as a client would.
  return once().catch((error: unknown) => (error instanceof IngestFailed ? Promise.reject(error) : once()));
}

/**
 * POSTs every batch, `concurrency` requests at a time (a kept-alive connection each), spread
 * over `urls` (several receiver processes on one database); returns reports per second.
 */
async function httpIngest(urls: string | string[], all: UploadedReport[], concurrency: number): Promise<number> {
  const targets = Array.isArray(urls) ? urls : [urls];
  const queue = uploadBodies(all);
  const started = performance.now();
  const worker = async (w: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let body = queue.shift(); body; body = queue.shift()) await post(targets[w % targets.length]!, agent, body);
    agent.destroy();
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return all.length / ((performance.now() - started) / 1000);
}

/** A fresh database with the receiver's schema and its pragmas (WAL, synchronous = FULL), and raw's one insert. */
function rawSqliteDatabase(): { db: DatabaseSync; insert: StatementSync; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sounds-local-raw-'));
  const path = join(dir, 'reports.sqlite');
  new SqliteStore(path).close();
  const db = new DatabaseSync(path);
  db.exec(SQLITE_PRAGMAS);
  const insert = db.prepare('INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  return {
    db,
    insert,
    dispose: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Raw: one transaction of 100 prepared inserts — no HTTP, JSON parsing, validation, idempotency or counter rows. */
function rawBatch(db: DatabaseSync, insert: StatementSync, batch: UploadedReport[]) {
  const now = new Date().toISOString();
  db.exec('BEGIN IMMEDIATE');
  for (const r of batch) insert.run(r.id, r.drive_id ?? null, r.expected_locale, now, JSON.stringify(r));
  db.exec('COMMIT');
}

/** CPU milliseconds this process has used. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU milliseconds another process has used (Linux /proc: utime + stime in 1/100 s); NaN elsewhere. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Per batch of 100, in milliseconds, besides the two rates. */
interface SqliteRound {
  http: number;
  raw: number;
  httpWall: number;
  rawWall: number;
  rawCpu: number;
  receiverCpu: number;
  clientCpu: number;
}

/**
 * The same rows to a receiver over HTTP (1 client) and to a fresh raw database, alternating
 * batch by batch and which side goes first, so both see the same load.
 */
async function sqliteSideBySide(receiver: ReceiverProcess, all: UploadedReport[]): Promise<SqliteRound> {
  const rows = batches(all, BATCH);
  const bodies = uploadBodies(all);
  const raw = rawSqliteDatabase();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pid = receiver.child.pid!;
  const sum = { httpWall: 0, rawWall: 0, rawCpu: 0, clientCpu: 0 };
  const sendHttp = async (i: number) => {
    const wall = performance.now();
    const cpu = ownCpuMs();
    await post(receiver.url, agent, bodies[i]!);
    sum.httpWall += performance.now() - wall;
    sum.clientCpu += ownCpuMs() - cpu;
  };
  const insertRaw = (i: number) => {
    const wall = performance.now();
    const cpu = ownCpuMs();
    rawBatch(raw.db, raw.insert, rows[i]!);
    sum.rawWall += performance.now() - wall;
    sum.rawCpu += ownCpuMs() - cpu;
  };
  const receiverBefore = processCpuMs(pid);
  for (let i = 0; i < rows.length; i++) {
    if (i % 2) insertRaw(i);
    await sendHttp(i);
    if (!(i % 2)) insertRaw(i);
  }
  // The receiver idles while raw inserts run, so its CPU over the round is its HTTP work.
  const receiverCpu = processCpuMs(pid) - receiverBefore;
  agent.destroy();
  raw.dispose();
  const n = rows.length;
  return {
    http: all.length / (sum.httpWall / 1000),
    raw: all.length / (sum.rawWall / 1000),
    httpWall: sum.httpWall / n,
    rawWall: sum.rawWall / n,
    rawCpu: sum.rawCpu / n,
    receiverCpu: receiverCpu / n,
    clientCpu: sum.clientCpu / n,
  };
}

/**
 * The same rows into a fresh PostgreSQL database with the same schema (the store's own
 * migrations) and the store's own statement — one multi-row INSERT … unnest per 100, one
 * transaction each — without HTTP, JSON parsing or validation.
 */
async function rawPostgres(cluster: PostgresCluster, all: UploadedReport[]): Promise<number> {
  const url = await cluster.createDatabase();
  await (await PostgresStore.open(url)).close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const started = performance.now();
  for (const batch of batches(all, BATCH)) {
    const now = new Date().toISOString();
    await sql.begin(
      (tx) => tx`
        INSERT INTO reports (id, drive_id, expected_locale, received_at, body)
        SELECT id, drive_id, expected_locale, ${now}, body
        FROM unnest(${batch.map((r) => r.id)}::text[], ${batch.map((r) => r.drive_id ?? null) as string[]}::text[],
                    ${batch.map((r) => r.expected_locale)}::text[], ${batch.map((r) => JSON.stringify(r))}::text[])
             WITH ORDINALITY AS b (id, drive_id, expected_locale, body, n)
        ORDER BY n
        ON CONFLICT (id) DO NOTHING`,
    );
  }
  const rate = all.length / ((performance.now() - started) / 1000);
  await sql.end();
  return rate;
}

async function extensionUpload(url: string): Promise<{ save: number; enqueue: number; upload: number; requests: number }> {
  const db = await openSoundsLocalDb(`bench-${randomUUID()}`);
  let t = performance.now();
  for (let i = 0; i < UPLOAD_REPORTS; i++) await saveReport(db, sampleStored(5_000_000 + i));
  const save = performance.now() - t;
  t = performance.now();
  const queued = await enqueueReady(db, { endpoint: url, client: SAMPLE_CLIENT });
  if (!queued.ok || queued.queued !== UPLOAD_REPORTS) throw new Error(`enqueue failed: ${JSON.stringify(queued).slice(0, 200)}`);
  const enqueue = performance.now() - t;
  t = performance.now();
  const run = await runOutbox({ store: createIdbOutboxStore(db), fetch });
  const upload = performance.now() - t;
  if (run.uploaded !== UPLOAD_REPORTS) throw new Error(`uploaded ${run.uploaded} of ${UPLOAD_REPORTS}: ${run.lastError}`);
  db.close();
  return { save, enqueue, upload, requests: run.requests };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

type Sample = Record<string, number[]>;

function record(samples: Sample, name: string, value: number) {
  (samples[name] ??= []).push(value);
}

async function main() {
  const sample = reports(100, 0);
  const avgBytes = sample.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0) / sample.length;
  const avgMarks = sample.reduce((n, r) => n + r.highlights.length, 0) / sample.length;
  console.log(
    `ingest benchmark — ${cpus().length} cores, Node ${process.version}, ${HTTP_REPORTS.toLocaleString('en')} reports in batches of ${BATCH}` +
      ` (${fmt(avgBytes)} bytes and ${avgMarks} marks per report), ${ROUNDS} rounds, medians; load average ${loadavg()[0]!.toFixed(2)}`,
  );
  const started = new Set<ReceiverProcess>();
  // One address sends everything as fast as it can: the per-client rate limit would measure
  // itself, not ingest (bench/receiver-flood.ts measures the limits).
  const receiverEnv = { LOG: 'quiet', RATE_LIMIT: '0' };
  const startWarm = async (env: Record<string, string> = {}) => {
    const receiver = await startReceiver({ env: { ...receiverEnv, ...env } });
    started.add(receiver);
    // Warm up (JIT, page caches, connection pools) with reports that are not measured.
    await httpIngest(receiver.url, freshReports(WARM_UP), 1);
    return receiver;
  };
  let cluster: PostgresCluster | undefined;
  const pgMissing = process.env.BENCH_POSTGRES === '0' ? 'BENCH_POSTGRES=0' : process.env.DATABASE_URL ? undefined : postgresUnavailable();
  try {
    let pg: ReceiverProcess[] = [];
    if (!pgMissing) {
      // fsync on: an "accepted" answer must survive a power cut, as with SQLite's synchronous = FULL.
      cluster = process.env.DATABASE_URL ? undefined : await startPostgres({ fsync: true });
      const databaseUrl = process.env.DATABASE_URL ?? (await cluster!.createDatabase());
      pg = await Promise.all([0, 1].map(() => startWarm({ DATABASE_URL: databaseUrl })));
    }

    const sqliteRuns: Sample = {};
    const pgRuns: Sample = {};
    for (let round = 0; round < ROUNDS; round++) {
      record(sqliteRuns, 'load', loadavg()[0]!);
      // A fresh receiver each round: an empty database, like raw's.
      const sqlite = await startWarm();
      const sqliteSteps: Array<() => Promise<void>> = [
        async () => {
          const side = await sqliteSideBySide(sqlite, freshReports());
          for (const [name, value] of Object.entries(side)) record(sqliteRuns, name === 'http' ? 'http1' : name, value);
        },
        async () => record(sqliteRuns, 'http4', await httpIngest(sqlite.url, freshReports(), 4)),
      ];
      // Alternate which measure goes first, so a burst of load elsewhere hits both.
      for (const run of round % 2 ? sqliteSteps.reverse() : sqliteSteps) await run();
      await sqlite.stop();
      started.delete(sqlite);
      if (pg.length) {
        const pgSteps: Array<[string, () => Promise<number>]> = [
          ['http1', () => httpIngest(pg[0]!.url, freshReports(), 1)],
          ['raw', () => (cluster ? rawPostgres(cluster, freshReports()) : Promise.resolve(NaN))],
          ['http4', () => httpIngest(pg[0]!.url, freshReports(), 4)],
          [
            'http4x2',
            () =>
              httpIngest(
                pg.map((r) => r.url),
                freshReports(),
                4,
              ),
          ],
        ];
        for (const [name, run] of round % 2 ? pgSteps.reverse() : pgSteps) record(pgRuns, name, await run());
      }
    }
    const extensionReceiver = await startWarm();
    const ext = await extensionUpload(extensionReceiver.url);

    const m = (s: Sample, k: string) => median(s[k] ?? []);
    const rate = (s: Sample, k: string) => (s[k]?.length && !Number.isNaN(m(s, k)) ? `${fmt(m(s, k))} reports/s` : '—');
    // The ratio is taken per round (HTTP and raw ran side by side, under the same load), then the median.
    const ratios = (s: Sample) => (s.http1 ?? []).map((h, i) => h / (s.raw?.[i] ?? NaN)).filter((r) => !Number.isNaN(r));
    const ratio = (s: Sample) => (ratios(s).length ? `${(median(ratios(s)) * 100).toFixed(1)} %` : '—');
    const pgNote = pgMissing ? `skipped: ${pgMissing}` : cluster ? 'throwaway cluster, fsync on' : 'DATABASE_URL';
    const rows: string[][] = [
      ['', 'SQLite', 'PostgreSQL'],
      ['receiver over HTTP, 1 client', rate(sqliteRuns, 'http1'), rate(pgRuns, 'http1')],
      ['receiver over HTTP, 4 clients', rate(sqliteRuns, 'http4'), rate(pgRuns, 'http4')],
      ['receiver over HTTP, 4 clients, 2 processes', '—', rate(pgRuns, 'http4x2')],
      ['raw inserts of the same rows', rate(sqliteRuns, 'raw'), rate(pgRuns, 'raw')],
      ['HTTP ÷ raw (1 client), median per round', ratio(sqliteRuns), ratio(pgRuns)],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log('');
    for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    console.log(`budget ≥ ${fmt(BUDGET)} reports/s (SQLite, 1 client): ${m(sqliteRuns, 'http1') >= BUDGET ? 'met' : 'NOT MET'}. PostgreSQL: ${pgNote}.`);
    const ms = (k: string) => `${m(sqliteRuns, k).toFixed(2)} ms`;
    console.log(
      `SQLite, per batch of 100 (medians): raw ${ms('rawWall')} (${ms('rawCpu')} CPU, the rest the fsync and waiting for a core);` +
        ` HTTP ${ms('httpWall')} (receiver ${ms('receiverCpu')} CPU, load generator ${ms('clientCpu')} CPU,` +
        ` waiting ${(m(sqliteRuns, 'httpWall') - m(sqliteRuns, 'receiverCpu') - m(sqliteRuns, 'clientCpu')).toFixed(2)} ms)`,
    );
    const list = (values: number[] | undefined, f = fmt) => (values ?? []).map(f).join(', ');
    console.log(
      `runs — SQLite: http1 ${list(sqliteRuns.http1)}; raw ${list(sqliteRuns.raw)}; http4 ${list(sqliteRuns.http4)}` +
        (pg.length ? ` — PostgreSQL: ${['http1', 'raw', 'http4', 'http4x2'].map((k) => `${k} ${list(pgRuns[k])}`).join('; ')}` : ''),
    );
    const pct = (s: Sample) =>
      ratios(s)
        .map((r) => `${(r * 100).toFixed(0)} %`)
        .join(', ');
    console.log(`HTTP ÷ raw per round — SQLite: ${pct(sqliteRuns)}${pg.length ? `; PostgreSQL: ${pct(pgRuns)}` : ''}`);
    console.log(`load average at the start of each round: ${list(sqliteRuns.load, (n) => n.toFixed(1))}`);
    console.log('');
    for (const [a, b, c] of [
      [`extension: save ${fmt(UPLOAD_REPORTS)} reports (fake-indexeddb)`, `${(ext.save / 1000).toFixed(2)} s`, ''],
      [`extension: enqueueReady ${fmt(UPLOAD_REPORTS)}`, `${(ext.enqueue / 1000).toFixed(2)} s`, ''],
      [
        `extension: runOutbox ${fmt(UPLOAD_REPORTS)} → receiver`,
        `${(ext.upload / 1000).toFixed(2)} s`,
        `${ext.requests} requests, ${fmt(UPLOAD_REPORTS / (ext.upload / 1000))} reports/s`,
      ],
    ])
      console.log(`${a!.padEnd(50)}  ${b!.padStart(8)}  ${c}`);
    console.log(`load average after: ${loadavg()[0]!.toFixed(2)}`);
    if (m(sqliteRuns, 'http1') < BUDGET) process.exitCode = 1;
  } finally {
    await Promise.all([...started].map((r) => r.stop()));
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
