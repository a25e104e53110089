// The outbox in the extension's IndexedDB (lib/storage/db.ts, stores `outbox` and
// `reports`). Every change to a batch and to the statuses of its reports happens in one
// strict-durability transaction: a report is `uploading` exactly while a batch holds it, so
// a closed browser or a stopped service worker never loses a report or leaves it half-sent.
// The `receipts` store changes in the same transactions: a report's owner key is stored
// before its first upload leaves, and what the receiver holds is recorded with its answer.
import { MAX_BATCH_BYTES, MAX_BATCH_REPORTS, validateEndpoint } from '../protocol';
import { UploadedReport, describeIssues, toUploaded, type ClientInfo, type Report } from '../report';
import { redactReport } from '../redact';
import { STRICT, type OutboxBatch, type Receipt, type SoundsLocalDb } from '../storage/db';
import { planBatches } from './batching';
import { newOwnerKey } from './credentials';
import { t } from '../i18n';
import type { OutboxStore, ReportOutcome, UploadBatch } from './types';

/** `next_attempt_at` of a held batch: after every real time, so no timer or alarm picks it up. */
export const HELD_AT = Number.MAX_SAFE_INTEGER;

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
      const cursor = await tx.store.index('by_next_attempt').openKeyCursor(IDBKeyRange.upperBound(HELD_AT, true));
      const at = cursor ? Number(cursor.key) : undefined;
      await tx.done;
      return at;
    },

    pendingReports() {
      return db.countFromIndex('reports', 'by_status', 'uploading');
    },

    async settle(batchId, outcomes, requeue) {
      const tx = db.transaction(['outbox', 'reports', 'receipts'], 'readwrite', STRICT);
      const outbox = tx.objectStore('outbox');
      const reports = tx.objectStore('reports');
      const receipts = tx.objectStore('receipts');
      const batch = await outbox.get(batchId);
      if (!batch) {
        await tx.done;
        return false;
      }
      const carried = new Set(batch.report_ids);
      const sent = new Map(asUploadBatch(batch).payload.map((p) => [p.id, p.updated_at]));
      for (const outcome of outcomes) {
        if (!carried.has(outcome.id)) continue;
        const report = await reports.get(outcome.id);
        // Deleted by the user while it was on its way: nothing to update.
        if (report) await reports.put(withOutcome(report, outcome));
        const receipt = await receipts.get(outcome.id);
        if (receipt) {
          const next = receiptAfter(receipt, outcome, sent.get(outcome.id));
          if (next) await receipts.put(next);
        }
      }
      await outbox.delete(batchId);
      if (requeue) await outbox.put(requeue);
      await tx.done;
      return true;
    },

    async hold(batchId, reason) {
      const tx = db.transaction('outbox', 'readwrite', STRICT);
      const batch = await tx.store.get(batchId);
      if (batch) await tx.store.put({ ...batch, next_attempt_at: HELD_AT, held: reason, last_error: reason });
      await tx.done;
      return Boolean(batch);
    },

    async held() {
      const records = await db.getAllFromIndex('outbox', 'by_next_attempt', IDBKeyRange.only(HELD_AT));
      return records.map(asUploadBatch);
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
        const { held: _released, ...rest } = cursor.value;
        await cursor.update({ ...rest, next_attempt_at: now });
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
  if (outcome.status === 'uploaded' || outcome.status === 'withdrawn') {
    const { status_reason: _dropped, ...rest } = report;
    return { ...rest, status: outcome.status };
  }
  if (outcome.status === 'withdraw_failed') {
    // Still uploaded: the receiver keeps serving it. Say why the withdrawal didn't happen.
    return { ...report, status: 'uploaded', status_reason: clip(t('errNotWithdrawn', outcome.reason)) };
  }
  return { ...report, status: 'failed', status_reason: clip(outcome.reason) };
}

/** Why a report that is not ready or failed can't be queued, by its status. */
function notUploadable(status: Report['status']): string {
  if (status === 'draft') return t('errReportStillDraft');
  if (status === 'uploading') return t('errReportAlreadyUploading');
  if (status === 'withdrawn') return t('errReportAlreadyWithdrawn');
  return t('errReportAlreadyUploaded');
}

const clip = (reason: string) => (reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason);

/** The receipt once the receiver answered; undefined: unchanged. */
function receiptAfter(receipt: Receipt, outcome: ReportOutcome, sentUpdatedAt: string | undefined): Receipt | undefined {
  switch (outcome.status) {
    case 'uploaded':
      // `duplicate` on a first upload: the receiver already held this id (with our hash, as the key was made before the first send).
      return {
        ...receipt,
        remote: outcome.remote === 'updated' ? 'updated' : receipt.remote === 'pending' ? 'accepted' : receipt.remote,
        ...(sentUpdatedAt && outcome.remote !== 'duplicate' ? { sent_updated_at: sentUpdatedAt } : {}),
      };
    case 'withdrawn':
      return { ...receipt, remote: 'withdrawn' };
    case 'withdraw_failed':
      return { ...receipt, remote: 'accepted' };
    case 'failed':
      // A first upload that failed leaves nothing on the receiver; the key stays for the next try.
      return undefined;
  }
}

export interface EnqueueOptions {
  /** The endpoint's base URL (checked with validateEndpoint). */
  endpoint: string;
  client: ClientInfo;
  /**
   * Queue reports of this drive (`drive_id` equal); without it, reports that belong to no
   * drive. A drive's reports only ever go to that drive's endpoint, and one batch never
   * mixes drives or endpoints.
   */
  driveId?: string;
  /**
   * The drive's contributor pseudonym (DESIGN §14), put in the envelope of this drive's
   * upload batches. Ignored without `driveId`: reports of no drive never carry one.
   */
  contributor?: string;
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
      /** Reports now `uploading` (new uploads and updates). */
      queued: number;
      /** Of those, reports the receiver already holds that go out as a replacement (PUT). */
      updates: number;
      /** Ids (= Idempotency-Keys) of the new batches. */
      batchIds: string[];
      /** Reports left out, each with why (wrong status or drive, or failed validation). */
      skipped: Array<{ id: string; reason: string }>;
    }
  | { ok: false; error: string };

export function defaultPrepare(report: Report): UploadedReport {
  return redactReport(toUploaded(report)).report;
}

/** A receipt for this endpoint whose report the receiver holds: the next upload replaces it (PUT). */
const holdsReport = (receipt: Receipt | undefined, endpoint: string) =>
  Boolean(receipt && receipt.endpoint === endpoint && (receipt.remote === 'accepted' || receipt.remote === 'updated'));

/**
 * Moves ready reports into the outbox: prepares and validates each, plans batches (≤ 100
 * reports, ≤ 1 MB), stores them due now, and marks the reports `uploading` — all in one
 * transaction. A report sent here for the first time gets its owner key (receipt) in the
 * same transaction; one the endpoint already holds goes out alone, as a PUT. Then run
 * `runOutbox` to send them.
 */
export async function enqueueReady(db: SoundsLocalDb, options: EnqueueOptions): Promise<EnqueueResult> {
  const endpoint = validateEndpoint(options.endpoint);
  if (!endpoint.ok) return { ok: false, error: endpoint.error };
  const now = (options.now ?? Date.now)();
  const newId = options.newId ?? (() => crypto.randomUUID());
  const prepare = options.prepare ?? defaultPrepare;
  const driveId = options.driveId;
  const contributor = driveId ? options.contributor : undefined;

  // Hashing is asynchronous and would end an IndexedDB transaction: make the keys first.
  const ids = options.reportIds ?? (await db.getAllKeysFromIndex('reports', 'by_status', 'ready'));
  const freshKeys = new Map(await Promise.all(ids.map(async (id) => [id, await newOwnerKey()] as const)));

  const tx = db.transaction(['reports', 'outbox', 'receipts'], 'readwrite', STRICT);
  const reports = tx.objectStore('reports');
  const outbox = tx.objectStore('outbox');
  const receipts = tx.objectStore('receipts');
  const skipped: Array<{ id: string; reason: string }> = [];

  let candidates: Report[];
  if (options.reportIds) {
    candidates = [];
    for (const id of options.reportIds) {
      const report = await reports.get(id);
      if (!report) skipped.push({ id, reason: t('errReportGone') });
      else if (report.status !== 'ready' && report.status !== 'failed') skipped.push({ id, reason: notUploadable(report.status) });
      else candidates.push(report);
    }
  } else {
    candidates = await reports.index('by_status').getAll('ready');
  }

  const ready: Array<{ report: Report; payload: UploadBatch['payload'][number]; update: boolean }> = [];
  for (const report of candidates) {
    if ((report.drive_id ?? undefined) !== driveId) {
      if (options.reportIds) skipped.push({ id: report.id, reason: report.drive_id ? t('errReportOfDrive', report.drive_id) : t('errReportOfNoDrive') });
      continue;
    }
    // Preparing is synchronous: awaiting anything but IndexedDB would end the transaction.
    const parsed = UploadedReport.safeParse(prepare(report));
    if (!parsed.success) {
      const reason = t('errReportNotUploadable', describeIssues(parsed.error).join('; '));
      skipped.push({ id: report.id, reason });
      await reports.put({ ...report, status: 'failed', status_reason: reason.slice(0, MAX_REASON) });
      continue;
    }
    let receipt = await receipts.get(report.id);
    const update = holdsReport(receipt, endpoint.url);
    if (!update && !(receipt && receipt.endpoint === endpoint.url)) {
      // First time to this endpoint: the owner key is stored before anything leaves.
      const key = freshKeys.get(report.id);
      if (!key) {
        skipped.push({ id: report.id, reason: t('errReportReadyTooLate') });
        continue;
      }
      receipt = {
        report_id: report.id,
        secret: key.secret,
        owner_key_hash: key.hash,
        endpoint: endpoint.url,
        ...(driveId ? { drive_id: driveId } : {}),
        remote: 'pending',
      };
      await receipts.put(receipt);
    }
    ready.push({ report, payload: { ...parsed.data, owner_key_hash: receipt!.owner_key_hash }, update });
  }
  ready.sort((a, b) => (a.report.created_at < b.report.created_at ? -1 : a.report.created_at > b.report.created_at ? 1 : 0));

  const fresh = ready.filter((r) => !r.update);
  const planned = planBatches(
    fresh.map((r) => r.payload),
    options.client,
    driveId,
    {
      maxReports: Math.min(options.limits?.maxReports ?? MAX_BATCH_REPORTS, MAX_BATCH_REPORTS),
      maxBytes: Math.min(options.limits?.maxBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    },
    contributor,
  );
  const batchIds: string[] = [];
  const created = new Date(now).toISOString();
  const base = {
    endpoint: endpoint.url,
    ...(driveId ? { drive_id: driveId } : {}),
    ...(contributor ? { contributor } : {}),
    created_at: created,
    attempts: 0,
    next_attempt_at: now,
    client: options.client,
  };
  for (const payload of planned) {
    const batch: UploadBatch = { id: newId(), report_ids: payload.map((p) => p.id), ...base, payload };
    await outbox.put(batch);
    batchIds.push(batch.id);
  }
  // An edited report the receiver already holds replaces it: one PUT each (DESIGN §8a).
  for (const { payload } of ready.filter((r) => r.update)) {
    const batch: UploadBatch = { id: newId(), kind: 'update', report_ids: [payload.id], ...base, payload: [payload] };
    await outbox.put(batch);
    batchIds.push(batch.id);
  }
  for (const { report } of ready) {
    const { status_reason: _previous, ...rest } = report;
    await reports.put({ ...rest, status: 'uploading' });
  }
  await tx.done;
  return { ok: true, queued: ready.length, updates: ready.length - fresh.length, batchIds, skipped };
}

export type WithdrawResult = { ok: true; batchId: string } | { ok: false; error: string };

/**
 * Queues the withdrawal of an uploaded report (DELETE with its owner key) in the outbox, so
 * it is retried like an upload until the receiver answers.
 */
export async function enqueueWithdraw(
  db: SoundsLocalDb,
  reportId: string,
  options: { client: ClientInfo; now?: () => number; newId?: () => string },
): Promise<WithdrawResult> {
  const now = (options.now ?? Date.now)();
  const tx = db.transaction(['reports', 'outbox', 'receipts'], 'readwrite', STRICT);
  const report = await tx.objectStore('reports').get(reportId);
  const receipt = await tx.objectStore('receipts').get(reportId);
  let error: string | undefined;
  if (!report) error = t('errReportGone');
  else if (!receipt || receipt.remote === 'pending') error = t('errWithdrawNeverUploaded');
  else if (receipt.remote === 'withdrawn') error = t('errReportAlreadyWithdrawn');
  else if (receipt.remote === 'withdrawing') error = t('errReportBeingWithdrawn');
  else if (report.status === 'uploading') error = t('errWithdrawWhileUploading');
  if (error || !receipt) {
    await tx.done;
    return { ok: false, error: error ?? t('errWithdrawNothing') };
  }
  const batch: UploadBatch = {
    id: (options.newId ?? (() => crypto.randomUUID()))(),
    kind: 'withdraw',
    report_ids: [reportId],
    endpoint: receipt.endpoint,
    ...(receipt.drive_id ? { drive_id: receipt.drive_id } : {}),
    created_at: new Date(now).toISOString(),
    attempts: 0,
    next_attempt_at: now,
    client: options.client,
    payload: [],
  };
  await tx.objectStore('outbox').put(batch);
  await tx.objectStore('receipts').put({ ...receipt, remote: 'withdrawing' });
  await tx.done;
  return { ok: true, batchId: batch.id };
}
