// @vitest-environment node
// Fault soak: 1,000 reports uploaded by the extension's upload engine (lib/upload with a
// fake-indexeddb outbox) through a receiver that fails ~30% of requests — 500, 503, 429
// with Retry-After, dropped connections and stalls, some after the batch was stored.
// Afterwards the receiver must hold exactly 1,000 distinct reports and the client must
// mark all 1,000 uploaded. Then again with the uploader stopped twice on the way.
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openSoundsLocalDb, type SoundsLocalDb } from '../lib/storage/db';
import { createIdbOutboxStore, drainOutbox, enqueueReady, runOutbox, type UploadDeps, type UploadProgress } from '../lib/upload';
import { SAMPLE_CLIENT } from '../tests/helpers/sample-reports';
import { freshDb, saveReady, statuses } from '../tests/helpers/upload';
import { startReceiver, type ReceiverProcess } from './testing';

const REPORTS = 1_000;
const running: ReceiverProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function faultyReceiver(seed: number) {
  const receiver = await startReceiver({
    env: { FAULT_RATE: '0.3', FAULT_SEED: String(seed), FAULT_RETRY_AFTER: '1', FAULT_STALL_MS: '10000' },
  });
  running.push(receiver);
  return receiver;
}

/** Small backoff and timeout, injected, so the soak takes seconds rather than hours. */
function deps(db: SoundsLocalDb, extra: Partial<UploadDeps> = {}): UploadDeps {
  return {
    store: createIdbOutboxStore(db),
    fetch,
    config: { timeoutMs: 500, baseDelayMs: 20, maxDelayMs: 250, maxAttempts: 200 },
    ...extra,
  };
}

function receiverHolds(receiver: ReceiverProcess): { rows: number; distinct: number } {
  const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
  const row = db.prepare('SELECT count(*) AS rows, count(DISTINCT id) AS distinct_ids FROM reports').get() as { rows: number; distinct_ids: number };
  db.close();
  return { rows: row.rows, distinct: row.distinct_ids };
}

function faultsSeen(receiver: ReceiverProcess): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const m of receiver.output().matchAll(/fault=([\w-]+)/g)) seen[m[1]!] = (seen[m[1]!] ?? 0) + 1;
  return seen;
}

async function queueReports(db: SoundsLocalDb, receiver: ReceiverProcess) {
  await saveReady(db, REPORTS, 100_000);
  // 25 per batch: 40 batches, so the ~30% fault rate lands on many of them.
  const queued = await enqueueReady(db, { endpoint: receiver.url, client: SAMPLE_CLIENT, limits: { maxReports: 25 } });
  expect(queued).toMatchObject({ ok: true, queued: REPORTS });
}

describe('fault soak', () => {
  it('uploads 1,000 reports through ~30% faults: the receiver holds exactly 1,000, the client marks all uploaded', async () => {
    const receiver = await faultyReceiver(7);
    const { db } = await freshDb();
    await queueReports(db, receiver);

    // drainOutbox runs the engine several times (sleeping until a backed-off batch is due);
    // each run reports `done` from 0 and `total` = what was still queued when it started.
    // Runs are told apart by the sleeps between them, then checked run by run.
    const runs: UploadProgress[][] = [[]];
    const run = await drainOutbox(deps(db, { onProgress: (p) => runs.at(-1)!.push(p) }), {
      sleep: (ms) => {
        runs.push([]);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });

    expect(run.failed).toBe(0);
    expect(await statuses(db)).toEqual({ uploaded: REPORTS });
    expect(await db.count('outbox')).toBe(0);
    expect(receiverHolds(receiver)).toEqual({ rows: REPORTS, distinct: REPORTS });
    // The faults really happened, including ones after the batch was stored.
    const faults = faultsSeen(receiver);
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
    expect((faults['drop-after'] ?? 0) + (faults['stall-after'] ?? 0)).toBeGreaterThan(0);
    expect(receiver.output()).toContain(' replayed');
    // Progress adds up across runs: each run starts at 0 of what was left, counts up by
    // whole batches without going back, and the runs' final counts sum to every report.
    let left = REPORTS;
    for (const events of runs) {
      expect(events[0]).toEqual({ done: 0, total: left });
      const done = events.map((p) => p.done);
      expect(done).toEqual([...done].sort((a, b) => a - b));
      left -= done.at(-1)!;
    }
    expect(left).toBe(0);
  });

  it('loses and duplicates nothing when the uploader is stopped mid-way and a fresh one resumes on the same database', async () => {
    const receiver = await faultyReceiver(11);
    const { db, name } = await freshDb();
    await queueReports(db, receiver);

    // Stop 1: the service worker dies right after the receiver answered a batch, before the
    // answer reaches IndexedDB (the engine instance and its connection are gone).
    let answered = 0;
    const dying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 200 && ++answered === 3) {
        db.close();
        throw new Error('service worker stopped');
      }
      return response;
    };
    await expect(drainOutbox(deps(db, { fetch: dying }))).rejects.toThrow();

    // Stop 2: a fresh uploader on the same database is stopped while a request is in flight.
    const second = await openSoundsLocalDb(name);
    const mid = await statuses(second);
    expect(mid.uploaded ?? 0).toBeGreaterThan(0);
    expect((mid.uploaded ?? 0) + (mid.uploading ?? 0)).toBe(REPORTS);
    const stop = new AbortController();
    let inFlight = 0;
    const stopping: typeof fetch = (input, init) => {
      if (++inFlight === 5) setTimeout(() => stop.abort(), 5);
      return fetch(input, init);
    };
    const stopped = await runOutbox(deps(second, { fetch: stopping, signal: stop.signal }));
    expect(stopped.stopped).toBe(true);
    second.close();

    // Resume: a third uploader finishes the job.
    const third = await openSoundsLocalDb(name);
    const run = await drainOutbox(deps(third));
    expect(run.failed).toBe(0);
    expect(await statuses(third)).toEqual({ uploaded: REPORTS });
    expect(await third.count('outbox')).toBe(0);
    expect(receiverHolds(receiver)).toEqual({ rows: REPORTS, distinct: REPORTS });
  });
});
