// The receiver's storage, behind one small interface so a larger deployment can swap the
// embedded SQLite file (store-sqlite.ts) for PostgreSQL without touching the HTTP layer.
//
// Every method is async although SQLite answers synchronously: a networked database will not.
// Whatever must be atomic (dedup by id, the idempotency record, the counters) happens inside
// one `submit` call, so concurrent requests can't interleave between a check and a write.
import type { StatsResponse, UploadResponse, UploadResult } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import { cappedRecord } from './caps';
import type { ReviewCandidate, Vote, VoteCounts } from '../lib/review';

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
  /** The uploader's per-drive pseudonym (DESIGN §14), stored beside the reports, never exported. */
  contributor?: string | null;
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

/**
 * What an owner's request (DESIGN §8a) did. `forbidden`: the Owner-Key does not match, or the
 * report was uploaded without an `owner_key_hash`. `drive_mismatch`: a PUT tried to move the
 * report to another drive.
 */
export type WithdrawOutcome = 'unknown' | 'forbidden' | 'withdrawn';
export type UpdateOutcome = 'unknown' | 'forbidden' | 'withdrawn' | 'updated' | 'duplicate' | 'drive_mismatch';

/** One stored report as community review sees it. */
export interface ReviewReport {
  report: UploadedReport;
  driveId: string | null;
  contributor: string | null;
}

export interface CastVote {
  highlightId: string;
  vote: Vote;
  suggestion?: string;
}

/** Vote counts of one mark. */
export interface MarkVotes extends VoteCounts {
  reportId: string;
  highlightId: string;
}

export interface ReceiverStore {
  submit(submission: Submission): Promise<SubmitOutcome>;
  /**
   * Withdraws a stored report whose `owner_key_hash` equals `ownerKeyHash`: it leaves stats
   * and exports; only its id (with drive, arrival time and key hash) is kept, so a later
   * upload of the id is answered `withdrawn`. Idempotent.
   */
  withdraw(id: string, ownerKeyHash: string, at: string): Promise<WithdrawOutcome>;
  /** Replaces a stored report by a later edit of it (a strictly later `updated_at`). */
  update(report: UploadedReport, ownerKeyHash: string, at: string): Promise<UpdateOutcome>;
  /** Counts for one drive (`driveId`) or for everything (`undefined`). */
  stats(driveId?: string): Promise<StatsResponse>;
  /** Stored (not withdrawn) reports in the order they arrived, streamed so exports stay flat in memory. */
  reports(filter?: ReportFilter): AsyncIterable<StoredReport>;
  count(filter?: ReportFilter): Promise<number>;

  // ── Community review (DESIGN §14) ──────────────────────────────────────────────────────
  /** One stored, not withdrawn report, or undefined. */
  reviewReport(id: string): Promise<ReviewReport | undefined>;
  /** The drive's stored reports as queue candidates for this reviewer (see lib/review.ts pickNext). */
  reviewCandidates(driveId: string, reviewer: string): Promise<ReviewCandidate[]>;
  /** Remembers that `contributor` is one of this reviewer's own pseudonyms. */
  linkContributor(reviewer: string, contributor: string): Promise<void>;
  reviewerContributors(reviewer: string): Promise<string[]>;
  /** Records a reviewer's votes on marks of a report; a mark they already voted on keeps its first vote. Returns the votes newly recorded. */
  recordVotes(reportId: string, reviewer: string, votes: readonly CastVote[], at: string): Promise<number>;
  /** Vote counts per voted mark of stored reports (of one drive, or all). */
  markVotes(filter?: ReportFilter): Promise<MarkVotes[]>;
  close(): Promise<void>;
}

/**
 * `/v1/stats` from the rows of the `counters` table of one scope (both stores keep them).
 * Dimensions: locale, category, severity (per stored report / mark), status (how requests
 * were answered; `withdrawn` and `updated` count owner requests), marks/all, day and
 * day_marks (per UTC day of first arrival). Withdrawals subtract what the report added.
 */
export function statsFromCounters(driveId: string | undefined, rows: ReadonlyArray<{ dimension: string; value: string; n: number }>): StatsResponse {
  const stats = {
    drive_id: driveId ?? null,
    reports: 0,
    highlights: 0,
    by_locale: {} as Record<string, number>,
    by_category: {} as Record<string, number>,
    by_severity: {} as Record<string, number>,
    by_status: { accepted: 0, duplicate: 0, rejected: 0, withdrawn: 0, updated: 0 },
    by_day: [] as Array<{ day: string; reports: number; highlights: number }>,
  };
  const days = new Map<string, { day: string; reports: number; highlights: number }>();
  const day = (d: string) => days.get(d) ?? days.set(d, { day: d, reports: 0, highlights: 0 }).get(d)!;
  for (const { dimension, value, n } of rows) {
    if (dimension === 'status') {
      if (value in stats.by_status) stats.by_status[value as keyof typeof stats.by_status] = n;
      continue;
    }
    // Withdrawals leave zero rows behind; a zero is no category, locale or day.
    if (n <= 0) continue;
    if (dimension === 'locale') stats.by_locale[value] = n;
    else if (dimension === 'category') stats.by_category[value] = n;
    else if (dimension === 'severity') stats.by_severity[value] = n;
    else if (dimension === 'marks' && value === 'all') stats.highlights = n;
    else if (dimension === 'day') day(value).reports = n;
    else if (dimension === 'day_marks') day(value).highlights = n;
  }
  // A stats answer must not grow with each report: private-use tags fold into "other" (caps.ts).
  stats.by_locale = cappedRecord(stats.by_locale);
  stats.by_day = [...days.values()].filter((d) => d.reports > 0).sort((a, b) => (a.day < b.day ? -1 : 1));
  stats.reports = stats.by_status.accepted - stats.by_status.withdrawn;
  return stats as StatsResponse;
}

export type CounterDelta = [dimension: string, value: string, n: number];

/**
 * Counter deltas summed by dimension and value while a batch is stored: one tally per
 * request instead of a list per report, because ingest adds up 100 reports' locales,
 * days, marks, categories and severities on every upload (the hot path, docs/benchmarks.md).
 */
export class CounterTally {
  private readonly sums = new Map<string, Map<string, number>>();

  add(dimension: string, value: string, n = 1): this {
    let values = this.sums.get(dimension);
    if (!values) this.sums.set(dimension, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + n);
    return this;
  }

  /** What one stored report adds to the counters (`sign` -1 when it is withdrawn or replaced). */
  addReport(report: UploadedReport, receivedAt: string, sign: 1 | -1 = 1): this {
    const arrivedOn = receivedAt.slice(0, 10);
    this.add('locale', report.expected_locale, sign);
    this.add('day', arrivedOn, sign);
    const marks = report.highlights.length;
    if (marks > 0) {
      this.add('marks', 'all', marks * sign);
      this.add('day_marks', arrivedOn, marks * sign);
    }
    for (const h of report.highlights) {
      this.add('category', h.category, sign);
      this.add('severity', h.severity, sign);
    }
    return this;
  }

  deltas(): CounterDelta[] {
    const out: CounterDelta[] = [];
    for (const [dimension, values] of this.sums) for (const [value, n] of values) out.push([dimension, value, n]);
    return out;
  }
}

/** What one stored report adds to the counters (negated when it is withdrawn or replaced). */
export function contributions(report: UploadedReport, receivedAt: string, sign: 1 | -1 = 1): CounterDelta[] {
  return new CounterTally().addReport(report, receivedAt, sign).deltas();
}

/** The counter scopes a report of this drive counts in. */
export function scopesOf(driveId: string | null | undefined): string[] {
  return driveId ? ['*', `drive:${driveId}`] : ['*'];
}

/** The report as stored and exported: `owner_key_hash` lives in its own column, never in the body. */
export function storedBody(report: UploadedReport): string {
  const { owner_key_hash: _secretHash, ...rest } = report;
  return JSON.stringify(rest);
}

/** Constant-time comparison of two hex SHA-256 digests. */
export function sameKeyHash(stored: string | null | undefined, offered: string): boolean {
  if (!stored || stored.length !== offered.length) return false;
  let diff = 0;
  for (let i = 0; i < stored.length; i++) diff |= stored.charCodeAt(i) ^ offered.charCodeAt(i);
  return diff === 0;
}

/** `a` is strictly later than `b` (ISO 8601 UTC timestamps). */
export function isLater(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}

/** A stored report's row as both stores read it for withdraw and update (DESIGN §8a). */
export interface OwnedRow {
  drive_id: string | null;
  received_at: string;
  body: string;
  owner_key_hash: string | null;
  withdrawn_at: string | null;
}
