// The outbox in the extension's IndexedDB (lib/storage/db.ts, stores `outbox` and
// `reports`). Every change to a batch and to the statuses of its reports happens in one
// strict-durability transaction: a report is `uploading` exactly while a batch holds it, so
// a closed browser or a stopped service worker never loses a report or leaves it half-sent.
import { MAX_BATCH_BYTES, MAX_BATCH_REPORTS, validateEndpoint } from '../protocol';
import { UploadedReport, describeIssues, toUploaded, type ClientInfo, type Report } from '../report';
import { redactReport } from '../redact';
import { STRICT, type OutboxBatch, type SoundsLocalDb } from '../storage/db';
import { planBatches } from './batching';
import type { OutboxStore, ReportOutcome, UploadBatch } from './types';

/** The stored record is an OutboxBatch; ours always carry the UploadBatch extras. */
const asUploadBatch = (record: OutboxBatch) => record as UploadBatch;

/** Report.status_reason's schema limit: a hostile server's essay must not make the record invalid. */
const MAX_REASON = 2_000;

export function createIdbOutboxStore(db: SoundsLocalDb): OutboxStore {
  return {
    async nextDue(now, exclude) {
      const tx = db.transaction('outbox');
      const index = tx.store.index('by_next_attempt');
      // Key cursor: payloads (up to 1 MB each) are only read for the batch we pick.
      let cursor = await index.openKeyCursor(IDBKeyRange.upperBound(now));
      while (cursor && exclude.has(String(cursor.primaryKey))) cursor = await cursor.continue();
      const record = cursor ? await tx.store.get(cursor.primaryKey) : undefined;
      await tx.done;
      return record ? asUploadBatch(record) : undefined;
    },

    async nextAttemptAt() {
      const tx = db.transaction('outbox');
      const cursor = await tx.store.index('by_next_attempt').openKeyCursor();
      const at = cursor ? Number(cursor.key) : undefined;
      await tx.done;
      return at;
    },

    pendingReports() {
      return db.countFromIndex('reports', 'by_status', 'uploading');
    },

    async settle(batchId, outcomes, requeue) {
      const tx = db.transaction(['outbox', 'reports'], 'readwrite', STRICT);
      const outbox = tx.objectStore('outbox');
      const reports = tx.objectStore('reports');
      const batch = await outbox.get(batchId);
      if (!batch) {
        await tx.done;
        return false;
      }
      const carried = new Set(batch.report_ids);
      for (const outcome of outcomes) {
        if (!carried.has(outcome.id)) continue;
        const report = await reports.get(outcome.id);
        // Deleted by the user while it was on its way: nothing to update.
        if (report) await reports.put(withOutcome(report, outcome));
      }
      await outbox.delete(batchId);
      if (requeue) await outbox.put(requeue);
      await tx.done;
      return true;
    },

    async reschedule(batchId, update) {
      const tx = db.transaction('outbox', 'readwrite', STRICT);
      const batch = await tx.store.get(batchId);
      if (batch) await tx.store.put({ ...batch, ...update });
      await tx.done;
      return Boolean(batch);
    },

    async dueNow(now) {
      const tx = db.transaction('outbox', 'readwrite', STRICT);
      let moved = 0;
      // Same key and body, only sooner: a retry the user asked for is still the same batch.
      for (let cursor = await tx.store.index('by_next_attempt').openCursor(IDBKeyRange.lowerBound(now, true)); cursor; cursor = await cursor.continue()) {
        await cursor.update({ ...cursor.value, next_attempt_at: now });
        moved++;
      }
      await tx.done;
      return moved;
    },

    async replace(batchId, batches) {
      const tx = db.transaction('outbox', 'readwrite', STRICT);
      const batch = await tx.store.get(batchId);
      if (batch) {
        await tx.store.delete(batchId);
        for (const b of batches) await tx.store.put(b);
      }
      await tx.done;
      return Boolean(batch);
    },
  };
}

function withOutcome(report: Report, outcome: ReportOutcome): Report {
  if (outcome.status === 'uploaded') {
    const { status_reason: _dropped, ...rest } = report;
    return { ...rest, status: 'uploaded' };
  }
  const reason = outcome.reason.length > MAX_REASON ? `${outcome.reason.slice(0, MAX_REASON - 1)}…` : outcome.reason;
  return { ...report, status: 'failed', status_reason: reason };
}

export interface EnqueueOptions {
  /** The endpoint's base URL (checked with validateEndpoint). */
  endpoint: string;
  client: ClientInfo;
  /** Bearer token for drives that require one. */
  token?: string;
  /**
   * Queue reports of this drive (`drive_id` equal); without it, reports that belong to no
   * drive. A drive's reports only ever go to that drive's endpoint.
   */
  driveId?: string;
  /**
   * Only these reports (the ones the user reviewed). They may be `ready` or `failed` (a
   * retry the user asked for). Without it: every `ready` report of the drive.
   */
  reportIds?: readonly string[];
  /**
   * Turns a stored report into what is sent. The default drops local fields, keeps the
   * prompt only by opt-in, and applies every redaction; the review screen passes its own
   * to honour the redactions the user undid.
   */
  prepare?: (report: Report) => UploadedReport;
  now?: () => number;
  newId?: () => string;
  limits?: { maxReports?: number; maxBytes?: number };
}

export type EnqueueResult =
  | {
      ok: true;
      /** Reports now `uploading`. */
      queued: number;
      /** Ids (= Idempotency-Keys) of the new batches. */
      batchIds: string[];
      /** Reports left out, each with why (wrong status or drive, or failed validation). */
      skipped: Array<{ id: string; reason: string }>;
    }
  | { ok: false; error: string };

export function defaultPrepare(report: Report): UploadedReport {
  return redactReport(toUploaded(report)).report;
}

/**
 * Moves ready reports into the outbox: prepares and validates each, plans batches (≤ 100
 * reports, ≤ 1 MB), stores them due now, and marks the reports `uploading` — all in one
 * transaction. Then run `runOutbox` to send them.
 */
export async function enqueueReady(db: SoundsLocalDb, options: EnqueueOptions): Promise<EnqueueResult> {
  const endpoint = validateEndpoint(options.endpoint);
  if (!endpoint.ok) return { ok: false, error: endpoint.error };
  const now = (options.now ?? Date.now)();
  const newId = options.newId ?? (() => crypto.randomUUID());
  const prepare = options.prepare ?? defaultPrepare;
  const driveId = options.driveId;

  const tx = db.transaction(['reports', 'outbox'], 'readwrite', STRICT);
  const reports = tx.objectStore('reports');
  const outbox = tx.objectStore('outbox');
  const skipped: Array<{ id: string; reason: string }> = [];

  let candidates: Report[];
  if (options.reportIds) {
    candidates = [];
    for (const id of options.reportIds) {
      const report = await reports.get(id);
      if (!report) skipped.push({ id, reason: 'This report no longer exists.' });
      else if (report.status !== 'ready' && report.status !== 'failed')
        skipped.push({ id, reason: report.status === 'draft' ? 'This report is still a draft.' : `This report is already ${report.status}.` });
      else candidates.push(report);
    }
  } else {
    candidates = await reports.index('by_status').getAll('ready');
  }

  const ready: Array<{ report: Report; payload: UploadedReport }> = [];
  for (const report of candidates) {
    if ((report.drive_id ?? undefined) !== driveId) {
      if (options.reportIds)
        skipped.push({ id: report.id, reason: report.drive_id ? `This report belongs to drive "${report.drive_id}".` : 'This report belongs to no drive.' });
      continue;
    }
    // Preparing is synchronous: awaiting anything but IndexedDB would end the transaction.
    const parsed = UploadedReport.safeParse(prepare(report));
    if (!parsed.success) {
      const reason = `This report can't be uploaded: ${describeIssues(parsed.error).join('; ')}`;
      skipped.push({ id: report.id, reason });
      await reports.put({ ...report, status: 'failed', status_reason: reason.slice(0, MAX_REASON) });
      continue;
    }
    ready.push({ report, payload: parsed.data });
  }
  ready.sort((a, b) => (a.report.created_at < b.report.created_at ? -1 : a.report.created_at > b.report.created_at ? 1 : 0));

  const planned = planBatches(
    ready.map((r) => r.payload),
    options.client,
    driveId,
    {
      maxReports: Math.min(options.limits?.maxReports ?? MAX_BATCH_REPORTS, MAX_BATCH_REPORTS),
      maxBytes: Math.min(options.limits?.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    },
  );
  const batchIds: string[] = [];
  const created = new Date(now).toISOString();
  for (const payload of planned) {
    const batch: UploadBatch = {
      id: newId(),
      report_ids: payload.map((p) => p.id),
      endpoint: endpoint.url,
      ...(driveId ? { drive_id: driveId } : {}),
      created_at: created,
      attempts: 0,
      next_attempt_at: now,
      client: options.client,
      ...(options.token ? { token: options.token } : {}),
      payload,
    };
    await outbox.put(batch);
    batchIds.push(batch.id);
  }
  for (const { report } of ready) {
    const { status_reason: _previous, ...rest } = report;
    await reports.put({ ...rest, status: 'uploading' });
  }
  await tx.done;
  return { ok: true, queued: ready.length, batchIds, skipped };
}
