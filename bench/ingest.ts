// `npm run bench:ingest` — the receiver's ingest budget (DESIGN.md §12: ≥ 2,000 reports/s
// with SQLite on this 2-core machine), measured over HTTP against the real receiver
// process, next to raw inserts of the same rows into the same database in the same run —
// for SQLite and, side by side, PostgreSQL (a throwaway cluster with fsync on, or
// DATABASE_URL; skipped with a note where PostgreSQL isn't installed). Each measure runs
// BENCH_ROUNDS times (default 5) with HTTP and raw alternating, so both see the same load;
// the table shows medians. Then the extension's upload code (lib/upload, fake-indexeddb
// outbox) sending 10,000 queued reports to a local receiver. Prints a table;
// docs/benchmarks.md keeps the numbers.
//
// bench/ runs as CommonJS (bench/package.json), hence main() instead of top-level await.
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
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

/**
 * POSTs every batch, `concurrency` requests at a time, spread over `urls` (several receiver
 * processes on one database); returns reports per second.
 */
async function httpIngest(urls: string | string[], all: UploadedReport[], concurrency: number): Promise<number> {
  const targets = Array.isArray(urls) ? urls : [urls];
  const queue = batches(all, BATCH).map((b) => JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: b }));
  const started = performance.now();
  const worker = async (w: number) => {
    const url = targets[w % targets.length]!;
    for (let body = queue.shift(); body; body = queue.shift()) {
      const key = randomUUID();
      const post = () => fetch(`${url}/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body });
      // A kept-alive connection the receiver closed while this process was busy (the raw
      // step blocks it for seconds) fails at once; resend under the same key, as a client would.
      const response = await post().catch(() => post());
      const json = (await response.json()) as { results: Array<{ status: string }> };
      if (response.status !== 200 || json.results.some((r) => r.status !== 'accepted')) throw new Error(`ingest failed: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return all.length / ((performance.now() - started) / 1000);
}

/** The same rows, same schema, same pragmas, same one-transaction-per-100 — without HTTP, JSON parsing or validation. */
function rawSqlite(all: UploadedReport[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'sounds-local-raw-'));
  const path = join(dir, 'reports.sqlite');
  new SqliteStore(path).close();
  const db = new DatabaseSync(path);
  db.exec(SQLITE_PRAGMAS);
  const insert = db.prepare('INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const started = performance.now();
  for (const batch of batches(all, BATCH)) {
    const now = new Date().toISOString();
    db.exec('BEGIN IMMEDIATE');
    for (const r of batch) insert.run(r.id, r.drive_id ?? null, r.expected_locale, now, JSON.stringify(r));
    db.exec('COMMIT');
  }
  const rate = all.length / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
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
  const started: ReceiverProcess[] = [];
  let cluster: PostgresCluster | undefined;
  const pgMissing = process.env.DATABASE_URL ? undefined : postgresUnavailable();
  try {
    // One address sends everything as fast as it can: the per-client rate limit would measure
    // itself, not ingest (bench/receiver-flood.ts measures the limits).
    const sqlite = await startReceiver({ env: { LOG: 'quiet', RATE_LIMIT: '0' } });
    started.push(sqlite);
    let pg: ReceiverProcess[] = [];
    if (!pgMissing) {
      // fsync on: an "accepted" answer must survive a power cut, as with SQLite's synchronous = FULL.
      cluster = process.env.DATABASE_URL ? undefined : await startPostgres({ fsync: true });
      const databaseUrl = process.env.DATABASE_URL ?? (await cluster!.createDatabase());
      pg = await Promise.all([0, 1].map(() => startReceiver({ env: { LOG: 'quiet', RATE_LIMIT: '0', DATABASE_URL: databaseUrl } })));
      started.push(...pg);
    }
    // Warm up each receiver (JIT, page caches, connection pools) with reports that are not measured.
    for (const r of started) await httpIngest(r.url, freshReports(1_000), 1);

    const sqliteRuns: Sample = {};
    const pgRuns: Sample = {};
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so a burst of load elsewhere hits both.
      const sqliteSteps: Array<[string, () => Promise<number>]> = [
        ['http1', () => httpIngest(sqlite.url, freshReports(), 1)],
        ['raw', async () => rawSqlite(freshReports())],
        ['http4', () => httpIngest(sqlite.url, freshReports(), 4)],
      ];
      for (const [name, run] of round % 2 ? sqliteSteps.reverse() : sqliteSteps) record(sqliteRuns, name, await run());
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
    const ext = await extensionUpload(sqlite.url);

    const m = (s: Sample, k: string) => median(s[k] ?? []);
    const rate = (s: Sample, k: string) => (s[k]?.length && !Number.isNaN(m(s, k)) ? `${fmt(m(s, k))} reports/s` : '—');
    // The ratio is taken per round (HTTP and raw ran back to back, under the same load), then the median.
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
    const each = (s: Sample) =>
      Object.entries(s)
        .map(([k, v]) => `${k} ${v.map(fmt).join(', ')}`)
        .join('; ');
    console.log(`runs — SQLite: ${each(sqliteRuns)}${pg.length ? ` — PostgreSQL: ${each(pgRuns)}` : ''}`);
    const pct = (s: Sample) =>
      ratios(s)
        .map((r) => `${(r * 100).toFixed(0)} %`)
        .join(', ');
    console.log(`HTTP ÷ raw per round — SQLite: ${pct(sqliteRuns)}${pg.length ? `; PostgreSQL: ${pct(pgRuns)}` : ''}`);
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
    await Promise.all(started.map((r) => r.stop()));
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
