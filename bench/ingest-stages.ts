// `npm run bench:ingest-stages` — where the receiver's CPU goes for one upload of 100 reports,
// stage by stage, next to raw inserts of the same rows (docs/benchmarks.md, "Why SQLite over
// HTTP stays below 50 % of raw inserts"). In-process and in CPU time (process.cpuUsage), not
// wall time: on a shared machine CPU time is what the load moves least, and waiting for the
// fsync is common to both sides. The store and raw use the receiver's own pragmas
// (synchronous = FULL); each on a fresh database. BENCH_BATCHES (default 200) and
// BENCH_ROUNDS (default 3) change the size; the table shows medians of the rounds.
//
// bench/ runs as CommonJS (bench/package.json), hence main() instead of top-level await.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { compile } from 'zod/v4/core';
import { PROTOCOL, UploadRequest } from '../lib/protocol';
import { UploadedReport } from '../lib/report';
import { z } from '../lib/zod';
import { storedBody } from '../server/store';
import { SQLITE_PRAGMAS, SqliteStore } from '../server/store-sqlite';
import { median, table } from './lib/stats';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';

// As server/main.ts does: the receiver runs with zod's JIT on.
z.config({ jitless: false });
const ReportOnReceiver = compile(UploadedReport);

const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function round(offset: number): Promise<Record<string, number>> {
  const rows = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: 100 }, (_, i) => sampleUploaded(offset + b * 100 + i)));
  const bodies = rows.map((reports) => Buffer.from(JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports })));
  const dir = mkdtempSync(join(tmpdir(), 'sounds-local-stages-'));
  const store = new SqliteStore(join(dir, 'receiver.sqlite'));
  new SqliteStore(join(dir, 'raw.sqlite')).close();
  const raw = new DatabaseSync(join(dir, 'raw.sqlite'));
  raw.exec(SQLITE_PRAGMAS);
  const insert = raw.prepare('INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const spent: Record<string, number> = {};
  const time = <T>(stage: string, work: () => T): T => {
    const started = cpuMs();
    const result = work();
    spent[stage] = (spent[stage] ?? 0) + cpuMs() - started;
    return result;
  };
  for (const [b, body] of bodies.entries()) {
    const text = time('body bytes → string (UTF-8)', () => body.toString('utf8'));
    const json = time('JSON.parse', () => JSON.parse(text) as unknown);
    const envelope = time('envelope (UploadRequest)', () => UploadRequest.parse(json));
    const items = time('compiled report schema × 100', () => envelope.reports.map((candidate) => ({ report: ReportOnReceiver.parse(candidate) })));
    const bodyHash = time('SHA-256 of the body', () => createHash('sha256').update(body).digest('hex'));
    time('(stored JSON of each report, inside the store)', () => items.map(({ report }) => storedBody(report)));
    const receivedAt = new Date().toISOString();
    const started = cpuMs();
    const outcome = await store.submit({ idempotencyKey: `stages-${offset}-${b}`, bodyHash, driveId: null, items, receivedAt, contributor: null });
    spent['SqliteStore.submit (inserts, stored JSON, counters, idempotency row, commit)'] =
      (spent['SqliteStore.submit (inserts, stored JSON, counters, idempotency row, commit)'] ?? 0) + cpuMs() - started;
    time('response JSON', () => JSON.stringify(outcome.kind === 'key_conflict' ? {} : outcome.response));
    time('raw: 100 inserts of the same rows, commit', () => {
      raw.exec('BEGIN IMMEDIATE');
      for (const r of rows[b]!) insert.run(r.id, r.drive_id ?? null, r.expected_locale, receivedAt, JSON.stringify(r));
      raw.exec('COMMIT');
    });
  }
  await store.close();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
  return Object.fromEntries(Object.entries(spent).map(([stage, ms]) => [stage, ms / BATCHES]));
}

async function main() {
  console.log(`receiver ingest by stage — CPU ms per batch of 100 (${BATCHES} batches, median of ${ROUNDS} rounds); load average ${loadavg()[0]!.toFixed(2)}`);
  const rounds: Array<Record<string, number>> = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round((r + 1) * 10_000_000));
  const stages = Object.keys(rounds[0]!);
  const m = (stage: string) => median(rounds.map((r) => r[stage]!));
  const receiver = stages.filter((s) => !s.startsWith('raw') && !s.startsWith('(')).reduce((sum, s) => sum + m(s), 0);
  const rawMs = m('raw: 100 inserts of the same rows, commit');
  console.log(
    table([
      ['stage', 'CPU ms per batch', 'per round'],
      ...stages.map((s) => [s, m(s).toFixed(3), rounds.map((r) => r[s]!.toFixed(2)).join(', ')]),
      ['receiver stages above, summed (no HTTP, no GC outside them)', receiver.toFixed(3), ''],
      ['receiver ÷ raw', `${(receiver / rawMs).toFixed(2)}×`, ''],
    ]),
  );
  console.log(`load average after: ${loadavg()[0]!.toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
