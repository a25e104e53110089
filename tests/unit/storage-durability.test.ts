// Since Chrome 121 an IndexedDB write commits with relaxed durability unless asked otherwise:
// a crash or power cut right after "saved" can lose it. Every write of a report, of the
// outbox and of settings must open its transaction with { durability: 'strict' }
// (ENVIRONMENT.md, DESIGN.md §12). fake-indexeddb accepts the option, so we record what the
// real storage, outbox and background code pass when they open each transaction.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteReports, saveReport } from '../../lib/storage/reports';
import { writeSettings, installSalt } from '../../lib/settings';
import { createIdbOutboxStore, enqueueReady } from '../../lib/upload';
import { reportsToJsonl } from '../../lib/jsonl';
import { makeReport } from '../helpers/reports';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { freshDb, outbox, saveReady } from '../helpers/upload';
import { CHATGPT_TAB, POPUP, startBackground } from '../helpers/background';
import type { SoundsLocalDb } from '../../lib/storage/db';

interface Opened {
  stores: string[];
  mode: string;
  durability: string | undefined;
}

let opened: Opened[] = [];

beforeEach(() => {
  opened = [];
  const original = IDBDatabase.prototype.transaction;
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (
    this: IDBDatabase,
    stores: string | Iterable<string>,
    mode?: IDBTransactionMode,
    options?: IDBTransactionOptions,
  ) {
    opened.push({ stores: typeof stores === 'string' ? [stores] : [...stores], mode: mode ?? 'readonly', durability: options?.durability });
    return original.call(this, stores, mode, options);
  });
});

afterEach(() => vi.restoreAllMocks());

/** Runs `action` and returns the write transactions it opened. */
async function writesDuring(action: () => Promise<unknown>): Promise<Opened[]> {
  opened = [];
  await action();
  return opened.filter((t) => t.mode === 'readwrite');
}

function expectAllStrict(writes: Opened[]) {
  // An action that wrote nothing would prove nothing.
  expect(writes.length).toBeGreaterThan(0);
  for (const w of writes) expect(w, `a write to ${w.stores.join('+')}`).toMatchObject({ durability: 'strict' });
}

async function queuedBatch(db: SoundsLocalDb) {
  await saveReady(db, 2);
  const queued = await enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, now: () => 1_000 });
  if (!queued.ok) throw new Error(queued.error);
  return (await outbox(db))[0]!;
}

describe('strict durability on report writes', () => {
  it('saves a report in a strict transaction', async () => {
    const { db } = await freshDb();
    expectAllStrict(await writesDuring(() => saveReport(db, makeReport())));
  });

  it('deletes reports in a strict transaction', async () => {
    const { db } = await freshDb();
    const report = await saveReport(db, makeReport());
    expectAllStrict(await writesDuring(() => deleteReports(db, [report.id])));
  });

  it('writes settings and the install salt in strict transactions', async () => {
    const { db } = await freshDb();
    expectAllStrict(await writesDuring(() => writeSettings(db, { default_locale: 'pt-BR' })));
    expectAllStrict(await writesDuring(() => installSalt(db)));
  });
});

describe('strict durability on outbox writes', () => {
  it('queues reports for upload in a strict transaction', async () => {
    const { db } = await freshDb();
    await saveReady(db, 2);
    expectAllStrict(await writesDuring(() => enqueueReady(db, { endpoint: 'https://example.org', client: SAMPLE_CLIENT, now: () => 1_000 })));
  });

  it('settles a batch (report statuses, upload receipts and the outbox together) strictly', async () => {
    const { db } = await freshDb();
    const batch = await queuedBatch(db);
    const store = createIdbOutboxStore(db);
    const writes = await writesDuring(() =>
      store.settle(
        batch.id,
        batch.report_ids.map((id) => ({ id, status: 'uploaded' as const })),
      ),
    );
    expectAllStrict(writes);
    // Receipts (where each report went, with its owner key) settle in the same transaction.
    expect(writes[0]!.stores.sort()).toEqual(['outbox', 'receipts', 'reports']);
  });

  it('reschedules, retries now and splits batches strictly', async () => {
    const { db } = await freshDb();
    const batch = await queuedBatch(db);
    const store = createIdbOutboxStore(db);
    expectAllStrict(await writesDuring(() => store.reschedule(batch.id, { attempts: 1, next_attempt_at: 50_000, last_error: 'x' })));
    expectAllStrict(await writesDuring(() => store.dueNow(2_000)));
    const halves = [0, 1].map((i) => ({ ...batch, id: `${batch.id.slice(0, -1)}${i}`, report_ids: [batch.report_ids[i]!], payload: [batch.payload[i]!] }));
    expectAllStrict(await writesDuring(() => store.replace(batch.id, halves)));
  });
});

describe("strict durability on the background's writes", () => {
  it('captures, saves, deletes, restores and imports reports strictly', async () => {
    const { send } = await startBackground();
    const capture = { type: 'capture', site: 'chatgpt', answer: 'The colour is grey.', page_url: 'https://chatgpt.com/c/1' };
    let reportId = '';
    expectAllStrict(await writesDuring(async () => (reportId = ((await send(capture, CHATGPT_TAB)) as unknown as { report_id: string }).report_id)));
    const { report } = (await send({ type: 'get-report', id: reportId }, POPUP)) as unknown as { report: ReturnType<typeof makeReport> };
    expectAllStrict(await writesDuring(() => send({ type: 'save-report', report: { ...report, comment: 'grey' } }, POPUP)));
    expectAllStrict(await writesDuring(() => send({ type: 'delete-reports', ids: [reportId] }, POPUP)));
    expectAllStrict(await writesDuring(() => send({ type: 'restore-reports', reports: [report] }, POPUP)));
    const other = makeReport();
    expectAllStrict(await writesDuring(() => send({ type: 'import-reports', jsonl: reportsToJsonl([other]) }, POPUP)));
  });

  it('changes settings and clears the report in focus strictly', async () => {
    const { send } = await startBackground();
    expectAllStrict(await writesDuring(() => send({ type: 'set-settings', settings: { default_locale: 'pt-BR' } }, POPUP)));
    expectAllStrict(await writesDuring(() => send({ type: 'clear-focus' }, POPUP)));
  });
});
