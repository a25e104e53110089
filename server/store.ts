// The receiver's storage, behind one small interface so a larger deployment can swap the
// embedded SQLite file (store-sqlite.ts) for PostgreSQL without touching the HTTP layer.
//
// Every method is async although SQLite answers synchronously: a networked database will not.
// Whatever must be atomic (dedup by id, the idempotency record, the counters) happens inside
// one `submit` call, so concurrent requests can't interleave between a check and a write.
import type { StatsResponse, UploadResponse, UploadResult } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';

/** One validated batch, ready to store. */
export interface Submission {
  idempotencyKey: string;
  /** SHA-256 of the raw request body: the same key with another body is a conflict. */
  bodyHash: string;
  driveId: string | null;
  /**
   * Every report of the request in order: valid ones as `report`, invalid ones already
   * answered with a reason. The store decides accepted vs duplicate for the valid ones.
   */
  items: Array<{ report: UploadedReport } | { rejected: UploadResult }>;
  receivedAt: string;
}

export type SubmitOutcome =
  /** Stored now; `results` is in request order. */
  | { kind: 'stored'; response: UploadResponse }
  /** The same key and body were seen before: the answer given then, unchanged. */
  | { kind: 'replayed'; response: UploadResponse }
  /** The key was used before for a different body. */
  | { kind: 'key_conflict' };

export interface StoredReport {
  report: UploadedReport;
  receivedAt: string;
}

export interface ReportFilter {
  /** Only reports of this drive; `null` = only reports without a drive; absent = all. */
  driveId?: string | null;
}

export interface ReceiverStore {
  submit(submission: Submission): Promise<SubmitOutcome>;
  /** Counts for one drive (`driveId`) or for everything (`undefined`). */
  stats(driveId?: string): Promise<StatsResponse>;
  /** Stored reports in the order they arrived, streamed so exports stay flat in memory. */
  reports(filter?: ReportFilter): AsyncIterable<StoredReport>;
  count(filter?: ReportFilter): Promise<number>;
  close(): Promise<void>;
}

/** `/v1/stats` from the rows of the `counters` table of one scope (both stores keep them). */
export function statsFromCounters(driveId: string | undefined, rows: ReadonlyArray<{ dimension: string; value: string; n: number }>): StatsResponse {
  const stats: StatsResponse = {
    drive_id: driveId ?? null,
    reports: 0,
    by_locale: {},
    by_category: {},
    by_status: { accepted: 0, duplicate: 0, rejected: 0 },
  };
  for (const { dimension, value, n } of rows) {
    if (dimension === 'locale') stats.by_locale[value] = n;
    else if (dimension === 'category') (stats.by_category as Record<string, number>)[value] = n;
    else if (dimension === 'status' && (value === 'accepted' || value === 'duplicate' || value === 'rejected')) stats.by_status[value] = n;
  }
  stats.reports = stats.by_status.accepted;
  return stats;
}
