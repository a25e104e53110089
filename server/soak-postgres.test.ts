// @vitest-environment node
// Exactly-once across processes: three receiver processes on different ports share one
// PostgreSQL database, each failing ~30% of uploads (server/fault.ts). Two uploaders (the
// extension's upload engine over fake-indexeddb outboxes) send 1,000 reports at once through
// a fetch that spreads requests over the processes — every retry of a batch goes to another
// process than the try before — and that also sends a third of the requests to a second
// process at the same moment (a proxy that hedges). The database must end with exactly
// 1,000 rows: the same Idempotency-Key arriving at several processes is stored once.
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SoundsLocalDb } from '../lib/storage/db';
import { createIdbOutboxStore, drainOutbox, enqueueReady } from '../lib/upload';
import { StatsResponse } from '../lib/protocol';
import { SAMPLE_CLIENT } from '../tests/helpers/sample-reports';
import { freshDb, saveReady, statuses } from '../tests/helpers/upload';
import { startReceiver, type ReceiverProcess } from './testing';
import { postgresUnavailable, startPostgres, type PostgresCluster } from './testing-postgres';

const REPORTS = 1_000;
const CLIENTS = 2;
const PROCESSES = 3;

const unavailable = postgresUnavailable();
if (unavailable) console.warn(unavailable);

let cluster: PostgresCluster | undefined;
const running: ReceiverProcess[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** Routes each request to the next process; every third one is also sent, at once, to another. */
function spreadOver(receivers: ReceiverProcess[]) {
  let n = 0;
  const hedges: Array<Promise<unknown>> = [];
  const fetchVia: typeof fetch = (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    const i = n++;
    const at = (r: ReceiverProcess) => new URL(original.pathname + original.search, r.url);
    if (i % 3 === 0) {
      const twin = receivers[(i + 1) % receivers.length]!;
      hedges.push(
        fetch(at(twin), { ...init, signal: AbortSignal.timeout(3_000) })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined),
      );
    }
    return fetch(at(receivers[i % receivers.length]!), init);
  };
  return { fetch: fetchVia, settle: () => Promise.all(hedges), requests: () => n };
}

describe.skipIf(unavailable)('several receiver processes on one PostgreSQL database', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('stores exactly 1,000 reports when 1,000 go through three faulty processes at once, retried and hedged across them', async () => {
    const databaseUrl = await cluster!.createDatabase();
    const receivers = await Promise.all(
      Array.from({ length: PROCESSES }, (_, k) =>
        startReceiver({
          env: { DATABASE_URL: databaseUrl, FAULT_RATE: '0.3', FAULT_SEED: String(101 + k), FAULT_RETRY_AFTER: '1', FAULT_STALL_MS: '10000' },
        }),
      ),
    );
    running.push(...receivers);
    expect(new Set(receivers.map((r) => r.port)).size).toBe(PROCESSES);

    const spread = spreadOver(receivers);
    const clients: SoundsLocalDb[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const { db } = await freshDb();
      await saveReady(db, REPORTS / CLIENTS, 300_000 + c * 10_000);
      const queued = await enqueueReady(db, { endpoint: receivers[0]!.url, client: SAMPLE_CLIENT, limits: { maxReports: 25 } });
      expect(queued).toMatchObject({ ok: true, queued: REPORTS / CLIENTS });
      clients.push(db);
    }

    const runs = await Promise.all(
      clients.map((db) =>
        drainOutbox({
          store: createIdbOutboxStore(db),
          fetch: spread.fetch,
          config: { timeoutMs: 500, baseDelayMs: 20, maxDelayMs: 250, maxAttempts: 200 },
        }),
      ),
    );
    await spread.settle();

    for (const [c, run] of runs.entries()) {
      expect(run.failed, `client ${c}`).toBe(0);
      expect(await statuses(clients[c]!)).toEqual({ uploaded: REPORTS / CLIENTS });
    }

    const sql = postgres(databaseUrl, { max: 1 });
    try {
      const [row] = await sql<Array<{ rows: number; ids: number }>>`SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM reports`;
      expect(row).toEqual({ rows: REPORTS, ids: REPORTS });
      // One idempotency record per batch the clients made: 2 × 500 / 25.
      const [keys] = await sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM idempotency`;
      expect(keys!.n).toBe(REPORTS / 25);
    } finally {
      await sql.end();
    }
    // Every process sees the same counts: they live in the database, not in a process.
    for (const receiver of receivers) {
      const stats = StatsResponse.parse(await (await fetch(`${receiver.url}/v1/stats`)).json());
      expect(stats.reports).toBe(REPORTS);
    }

    // The hard cases really happened: every process stored batches, faults struck after
    // storing, and processes replayed answers to keys (some stored by another process).
    const outputs = receivers.map((r) => r.output());
    for (const output of outputs) expect(output).toMatch(/accepted=[1-9]/);
    expect(outputs.join('').match(/fault=(?:drop-after|stall-after)/g)?.length ?? 0).toBeGreaterThan(0);
    expect(outputs.filter((o) => o.includes(' replayed')).length).toBeGreaterThanOrEqual(2);
    expect(spread.requests()).toBeGreaterThan(REPORTS / 25);
  }, 300_000);
});

describe('choosing the store', () => {
  it('explains a DATABASE_URL that is not PostgreSQL instead of starting', async () => {
    await expect(startReceiver({ env: { DATABASE_URL: 'mysql://root:secret@db/reports' } })).rejects.toThrow(
      /DATABASE_URL must be a postgres:\/\/ \(or postgresql:\/\/\) URL, not "mysql:\/\/root:\*\*\*@db\/reports"/,
    );
  });
});
