// @vitest-environment node
// `npm run migrate-store`: a receiver's populated SQLite database moves to PostgreSQL with no
// row lost — reports, the answers stored under idempotency keys, the stats counters — and a
// receiver on PostgreSQL then answers exactly as the SQLite one did.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL } from '../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { runExport, startReceiver } from './testing';
import { postgresUnavailable, startPostgres, type PostgresCluster } from './testing-postgres';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(unavailable);

function migrateStore(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', resolve(__dirname, 'migrate-store.ts'), ...args], {
      cwd: resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, output }));
  });
}

const DRIVE = {
  id: 'tw-2026',
  name: 'Taiwanese Mandarin 2026',
  organizer: 'g0v',
  locales: ['zh-TW'],
  endpoint: 'http://127.0.0.1',
  license: 'CC-BY-4.0',
  requires_token: false,
};

async function post(url: string, body: string, key: string) {
  const response = await fetch(`${url}/v1/reports`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key }, body });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), json: (await response.json()) as unknown };
}

describe.skipIf(unavailable)('npm run migrate-store', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('copies a populated SQLite database to PostgreSQL with no row lost, and the receiver answers the same on it', async () => {
    // A SQLite receiver with reports in a drive and outside one, duplicates and a rejection.
    const sqlite = await startReceiver({ drives: { 'tw-2026': { manifest: DRIVE } } });
    const dataDir = sqlite.dataDir;
    try {
      const batches: Array<{ key: string; body: string }> = [];
      for (let b = 0; b < 12; b++) {
        const drive = b % 3 === 0 ? 'tw-2026' : undefined;
        const reports: unknown[] = Array.from({ length: 25 }, (_, i) => sampleUploaded(700_000 + b * 25 + i, drive ? { drive_id: drive } : {}));
        if (b === 5) reports.push(sampleUploaded(700_000), { ...sampleUploaded(799_999), answer: '' });
        // Two reports carry an owner key hash; one of them is withdrawn before the move.
        if (b === 1)
          reports.splice(
            0,
            2,
            ...[0, 1].map((i) => sampleUploaded(700_025 + i, { owner_key_hash: createHash('sha256').update(`owner-key-number-${i}`).digest('hex') })),
          );
        const body = JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, drive_id: drive, reports });
        const key = randomUUID();
        expect((await post(sqlite.url, body, key)).status).toBe(200);
        batches.push({ key, body });
      }
      const withdrawn = await fetch(`${sqlite.url}/v1/reports/${sampleUploaded(700_025).id}`, {
        method: 'DELETE',
        headers: { 'Owner-Key': 'owner-key-number-0' },
      });
      expect(withdrawn.status).toBe(200);
      const statsBefore = await (await fetch(`${sqlite.url}/v1/stats`)).json();
      const driveStatsBefore = await (await fetch(`${sqlite.url}/v1/stats?drive=tw-2026`)).json();
      const answerBefore = await post(sqlite.url, batches[5]!.body, batches[5]!.key);
      await sqlite.stop({ keepData: true });

      const databaseUrl = await cluster.createDatabase();
      const moved = await migrateStore(['--data-dir', dataDir, '--to', databaseUrl]);
      expect(moved.output).toMatch(/done: 300 reports, 12 idempotency keys, \d+ counters; verified/);
      expect(moved.code).toBe(0);

      // Both exports, byte for byte.
      const fromSqlite = await runExport(['--format', 'jsonl', '--data-dir', dataDir, '--out', join(dataDir, 'sqlite.jsonl')]);
      const fromPostgres = await runExport(['--format', 'jsonl', '--data-dir', dataDir, '--out', join(dataDir, 'pg.jsonl')], { DATABASE_URL: databaseUrl });
      expect(fromSqlite.code).toBe(0);
      expect(fromPostgres.code).toBe(0);
      const { readFileSync } = await import('node:fs');
      const sqliteLines = readFileSync(join(dataDir, 'sqlite.jsonl'), 'utf8');
      expect(sqliteLines.split('\n').filter(Boolean)).toHaveLength(299);
      expect(readFileSync(join(dataDir, 'pg.jsonl'), 'utf8')).toBe(sqliteLines);

      // A receiver on PostgreSQL: the same stats, and a retried batch is still a replay.
      const pg = await startReceiver({ dataDir, env: { DATABASE_URL: databaseUrl } });
      try {
        expect(await (await fetch(`${pg.url}/v1/stats`)).json()).toEqual(statsBefore);
        expect(await (await fetch(`${pg.url}/v1/stats?drive=tw-2026`)).json()).toEqual(driveStatsBefore);
        const retried = await post(pg.url, batches[5]!.body, batches[5]!.key);
        expect(retried).toEqual({ ...answerBefore, replayed: 'true' });
        // Ownership and withdrawal came along: the withdrawn id stays withdrawn, the other
        // report can still be withdrawn by its owner's key and by no one else.
        const again = await fetch(`${pg.url}/v1/reports/${sampleUploaded(700_025).id}`, { method: 'DELETE', headers: { 'Owner-Key': 'owner-key-number-0' } });
        expect(await again.json()).toMatchObject({ status: 'withdrawn' });
        const stranger = await fetch(`${pg.url}/v1/reports/${sampleUploaded(700_026).id}`, {
          method: 'DELETE',
          headers: { 'Owner-Key': 'owner-key-number-0' },
        });
        expect(stranger.status).toBe(403);
        const owner = await fetch(`${pg.url}/v1/reports/${sampleUploaded(700_026).id}`, { method: 'DELETE', headers: { 'Owner-Key': 'owner-key-number-1' } });
        expect(owner.status).toBe(200);
      } finally {
        await pg.stop();
      }

      // A second run refuses to mix into a database that already holds data.
      const again = await migrateStore(['--data-dir', dataDir, '--to', databaseUrl]);
      expect(again.code).toBe(2);
      expect(again.output).toMatch(/already holds rows in "reports"; migrate into an empty database/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('explains a missing database or target instead of copying nothing', async () => {
    const missing = await migrateStore(['--from', '/nonexistent/reports.sqlite', '--to', await cluster.createDatabase()]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('No SQLite database at /nonexistent/reports.sqlite');
    const noTarget = await migrateStore(['--from', '/nonexistent/reports.sqlite', '--to', 'mysql://x']);
    expect(noTarget.code).toBe(2);
    expect(noTarget.output).toContain('--to (or DATABASE_URL) must be the postgres:// URL of an empty database');
  });
});
