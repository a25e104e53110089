// @vitest-environment node
// The receiver's data is owner-only: the data directory 0700, the SQLite file and its WAL
// companions 0600 — checked with fs.stat on what the real receiver process creates.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL } from '../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { startReceiver, type ReceiverProcess } from './testing';

const mode = (path: string) => statSync(path).mode & 0o777;
const cleanup: string[] = [];
const running: ReceiverProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory as a shell with umask 022 would make it: readable by everyone. */
function openDirectory(): string {
  const parent = mkdtempSync(join(tmpdir(), 'sounds-local-perms-'));
  cleanup.push(parent);
  const dir = join(parent, 'data');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  return dir;
}

async function uploadOne(receiver: ReceiverProcess) {
  const response = await fetch(`${receiver.url}/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [sampleUploaded(4242)] }),
  });
  expect(response.status).toBe(200);
}

describe('data file permissions', () => {
  it('creates the SQLite file, its -wal and -shm 0600 and makes the data directory 0700', async () => {
    const dataDir = openDirectory();
    const receiver = await startReceiver({ dataDir });
    running.push(receiver);
    await uploadOne(receiver);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'drives'))).toBe(0o700);
    for (const file of ['reports.sqlite', 'reports.sqlite-wal', 'reports.sqlite-shm']) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
  });

  it('tightens files an older receiver left world-readable', async () => {
    const dataDir = openDirectory();
    const old = new DatabaseSync(join(dataDir, 'reports.sqlite'));
    old.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x)');
    old.close();
    chmodSync(join(dataDir, 'reports.sqlite'), 0o644);
    expect(mode(join(dataDir, 'reports.sqlite'))).toBe(0o644);

    const receiver = await startReceiver({ dataDir });
    running.push(receiver);
    await uploadOne(receiver);
    expect(receiver.output()).toContain('private (0700)');
    expect(mode(dataDir)).toBe(0o700);
    for (const file of ['reports.sqlite', 'reports.sqlite-wal', 'reports.sqlite-shm']) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
  });
});
