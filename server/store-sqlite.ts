// The embedded default store: one SQLite file through Node's built-in `node:sqlite`
// (no native build). WAL lets an export read while the receiver writes; batches are written
// with prepared statements in one transaction — one per group of batches that arrive together
// (group commit, see `submit`).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StatsResponse, UploadResponse, UploadResult } from '../lib/protocol';
import { migrateSqlite } from './migrations';
import type { UploadedReport } from '../lib/report';
import type { ReviewCandidate } from '../lib/review';
import { createPrivateFile, tightenDatabaseFiles } from './files';
import {
  CounterTally,
  isLater,
  sameKeyHash,
  scopesOf,
  statsFromCounters,
  storedBody,
  type CastVote,
  type MarkVotes,
  type ReceiverStore,
  type ReviewReport,
  type ReportFilter,
  type StoredReport,
  type Submission,
  type SubmitOutcome,
  type UpdateOutcome,
  type OwnedRow,
  type WithdrawOutcome,
} from './store';

/**
 * How the receiver opens its SQLite file; bench/ingest.ts opens its raw-insert database with the
 * same, so the two are compared at the same durability. FULL: an "accepted" answer means the
 * report survives a power cut, not only a crash; with WAL that is one fsync per transaction.
 */
export const SQLITE_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;';

export class SqliteStore implements ReceiverStore {
  readonly db: DatabaseSync;
  private readonly insertReport: StatementSync;
  private readonly findKey: StatementSync;
  private readonly insertKey: StatementSync;
  private readonly bumpCounter: StatementSync;
  private readonly readCounters: StatementSync;
  private readonly isWithdrawn: StatementSync;
  private readonly findOwned: StatementSync;
  private waiting: Array<{ submission: Submission; done: (outcome: { ok: SubmitOutcome } | { error: unknown }) => void }> = [];

  constructor(readonly path: string) {
    if (path !== ':memory:') createPrivateFile(path);
    this.db = new DatabaseSync(path);
    this.db.exec(SQLITE_PRAGMAS);
    migrateSqlite(this.db, path);
    if (path !== ':memory:') tightenDatabaseFiles(path);

    this.insertReport = this.db.prepare(
      `INSERT INTO reports (id, drive_id, expected_locale, received_at, body, owner_key_hash, contributor) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    this.isWithdrawn = this.db.prepare(`SELECT 1 FROM reports WHERE id = ? AND withdrawn_at IS NOT NULL`);
    this.findOwned = this.db.prepare(`SELECT drive_id, received_at, body, owner_key_hash, withdrawn_at FROM reports WHERE id = ?`);
    this.findKey = this.db.prepare(`SELECT body_hash, response FROM idempotency WHERE key = ?`);
    this.insertKey = this.db.prepare(`INSERT INTO idempotency (key, body_hash, response, received_at) VALUES (?, ?, ?, ?)`);
    this.bumpCounter = this.db.prepare(
      `INSERT INTO counters (scope, dimension, value, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope, dimension, value) DO UPDATE SET n = n + excluded.n`,
    );
    this.readCounters = this.db.prepare(`SELECT dimension, value, n FROM counters WHERE scope = ?`);
  }

  /**
   * Group commit: every batch handed over in the same turn of the event loop — while the
   * previous commit's fsync blocked it, other requests' bodies kept arriving — is written in
   * one transaction, so concurrent uploads share one fsync instead of queueing for one each.
   * Each batch runs in its own savepoint, so one failing batch doesn't take the others down,
   * and no batch is answered before the commit that holds it.
   */
  submit(submission: Submission): Promise<SubmitOutcome> {
    return new Promise((resolve, reject) => {
      if (this.waiting.push({ submission, done: (o) => ('ok' in o ? resolve(o.ok) : reject(o.error)) }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush() {
    const group = this.waiting;
    this.waiting = [];
    let outcomes: Array<{ ok: SubmitOutcome } | { error: unknown }>;
    if (group.length === 1) {
      // Alone in its transaction (one uploader at a time): the transaction is its savepoint.
      try {
        outcomes = [{ ok: this.transaction(() => this.submitOne(group[0]!.submission)) }];
      } catch (error) {
        outcomes = [{ error }];
      }
      group[0]!.done(outcomes[0]!);
      return;
    }
    try {
      outcomes = this.transaction(() =>
        group.map(({ submission }) => {
          this.db.exec('SAVEPOINT batch');
          try {
            const ok = this.submitOne(submission);
            this.db.exec('RELEASE batch');
            return { ok };
          } catch (error) {
            this.db.exec('ROLLBACK TO batch; RELEASE batch');
            return { error };
          }
        }),
      );
    } catch (error) {
      outcomes = group.map(() => ({ error }));
    }
    group.forEach((g, i) => g.done(outcomes[i]!));
  }

  private submitOne(submission: Submission): SubmitOutcome {
    const seen = this.findKey.get(submission.idempotencyKey) as { body_hash: string; response: string } | undefined;
    if (seen) {
      return seen.body_hash === submission.bodyHash ? { kind: 'replayed', response: JSON.parse(seen.response) as UploadResponse } : { kind: 'key_conflict' };
    }
    const results: UploadResult[] = [];
    const counters = new CounterTally();
    for (const item of submission.items) {
      if ('rejected' in item) {
        results.push(item.rejected);
        counters.add('status', 'rejected');
        continue;
      }
      const { report } = item;
      const inserted = this.insertReport.run(
        report.id,
        report.drive_id ?? null,
        report.expected_locale,
        submission.receivedAt,
        storedBody(report),
        report.owner_key_hash ?? null,
        submission.contributor ?? null,
      );
      if (inserted.changes === 0) {
        // A withdrawn id stays withdrawn: its owner asked for it to be gone.
        const withdrawn = this.isWithdrawn.get(report.id) !== undefined;
        results.push({ id: report.id, status: withdrawn ? 'withdrawn' : 'duplicate' });
        counters.add('status', 'duplicate');
        continue;
      }
      results.push({ id: report.id, status: 'accepted' });
      counters.add('status', 'accepted').addReport(report, submission.receivedAt);
    }
    this.bump(scopesOf(submission.driveId), counters);
    const response: UploadResponse = { results };
    this.insertKey.run(submission.idempotencyKey, submission.bodyHash, JSON.stringify(response), submission.receivedAt);
    return { kind: 'stored', response };
  }

  async withdraw(id: string, ownerKeyHash: string, at: string): Promise<WithdrawOutcome> {
    return this.transaction(() => {
      const row = this.findOwned.get(id) as OwnedRow | undefined;
      if (!row) return 'unknown';
      if (!sameKeyHash(row.owner_key_hash, ownerKeyHash)) return 'forbidden';
      if (row.withdrawn_at) return 'withdrawn';
      const stored = JSON.parse(row.body) as UploadedReport;
      this.bump(scopesOf(row.drive_id), new CounterTally().addReport(stored, row.received_at, -1).add('status', 'withdrawn'));
      // Only the id (and what proves ownership) stays, so the id can't come back.
      this.db.prepare(`UPDATE reports SET body = '', expected_locale = '', withdrawn_at = ? WHERE id = ?`).run(at, id);
      return 'withdrawn';
    });
  }

  async update(report: UploadedReport, ownerKeyHash: string, _at: string): Promise<UpdateOutcome> {
    return this.transaction(() => {
      const row = this.findOwned.get(report.id) as OwnedRow | undefined;
      if (!row) return 'unknown';
      if (!sameKeyHash(row.owner_key_hash, ownerKeyHash)) return 'forbidden';
      if (row.withdrawn_at) return 'withdrawn';
      if ((row.drive_id ?? null) !== (report.drive_id ?? null)) return 'drive_mismatch';
      const stored = JSON.parse(row.body) as UploadedReport;
      if (!isLater(report.updated_at, stored.updated_at)) return 'duplicate';
      this.bump(scopesOf(row.drive_id), new CounterTally().addReport(stored, row.received_at, -1).addReport(report, row.received_at).add('status', 'updated'));
      this.db.prepare(`UPDATE reports SET body = ?, expected_locale = ? WHERE id = ?`).run(storedBody(report), report.expected_locale, report.id);
      return 'updated';
    });
  }

  /** Adds the summed deltas to the counters of every scope. */
  private bump(scopes: string[], counters: CounterTally) {
    const deltas = counters.deltas();
    for (const scope of scopes) for (const [dimension, value, n] of deltas) if (n !== 0) this.bumpCounter.run(scope, dimension, value, n);
  }

  async stats(driveId?: string): Promise<StatsResponse> {
    const rows = this.readCounters.all(driveId ? `drive:${driveId}` : '*') as Array<{ dimension: string; value: string; n: number }>;
    return statsFromCounters(driveId, rows);
  }

  async *reports(filter: ReportFilter = {}): AsyncIterable<StoredReport> {
    const [where, params] = driveClause(filter);
    const rows = this.db.prepare(`SELECT body, received_at FROM reports ${where} ORDER BY seq`).iterate(...params);
    for (const row of rows as Iterable<{ body: string; received_at: string }>) yield { report: JSON.parse(row.body), receivedAt: row.received_at };
  }

  async count(filter: ReportFilter = {}): Promise<number> {
    const [where, params] = driveClause(filter);
    const row = this.db.prepare(`SELECT count(*) AS n FROM reports ${where}`).get(...params) as { n: number };
    return row.n;
  }

  async reviewReport(id: string): Promise<ReviewReport | undefined> {
    const row = this.db.prepare(`SELECT body, drive_id, contributor FROM reports WHERE id = ? AND withdrawn_at IS NULL`).get(id) as
      | { body: string; drive_id: string | null; contributor: string | null }
      | undefined;
    return row && { report: JSON.parse(row.body) as UploadedReport, driveId: row.drive_id, contributor: row.contributor };
  }

  async reviewCandidates(driveId: string, reviewer: string): Promise<ReviewCandidate[]> {
    const rows = this.db
      .prepare(
        `SELECT r.id, r.expected_locale, r.seq, r.contributor,
                (SELECT count(DISTINCT v.reviewer) FROM votes v WHERE v.report_id = r.id) AS reviewers,
                EXISTS (SELECT 1 FROM votes v WHERE v.report_id = r.id AND v.reviewer = ?) AS voted
         FROM reports r WHERE r.drive_id = ? AND r.withdrawn_at IS NULL`,
      )
      .all(reviewer, driveId) as Array<{ id: string; expected_locale: string; seq: number; contributor: string | null; reviewers: number; voted: number }>;
    return rows.map((r) => ({
      id: r.id,
      expectedLocale: r.expected_locale,
      seq: r.seq,
      contributor: r.contributor,
      reviewers: r.reviewers,
      votedByReviewer: r.voted === 1,
    }));
  }

  async linkContributor(reviewer: string, contributor: string): Promise<void> {
    this.db.prepare(`INSERT INTO reviewer_contributors (reviewer, contributor) VALUES (?, ?) ON CONFLICT DO NOTHING`).run(reviewer, contributor);
  }

  async reviewerContributors(reviewer: string): Promise<string[]> {
    return (this.db.prepare(`SELECT contributor FROM reviewer_contributors WHERE reviewer = ?`).all(reviewer) as Array<{ contributor: string }>).map(
      (r) => r.contributor,
    );
  }

  async recordVotes(reportId: string, reviewer: string, votes: readonly CastVote[], at: string): Promise<number> {
    const insert = this.db.prepare(
      `INSERT INTO votes (report_id, highlight_id, reviewer, vote, suggestion, voted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    return this.transaction(() =>
      votes.reduce((n, v) => n + Number(insert.run(reportId, v.highlightId, reviewer, v.vote, v.suggestion ?? null, at).changes), 0),
    );
  }

  async markVotes(filter: ReportFilter = {}): Promise<MarkVotes[]> {
    const [where, params] = driveClause(filter);
    const rows = this.db
      .prepare(
        `SELECT v.report_id, v.highlight_id,
                sum(v.vote = 'agree') AS agree, sum(v.vote = 'disagree') AS disagree, sum(v.vote = 'unsure') AS unsure
         FROM votes v JOIN (SELECT id FROM reports ${where}) r ON r.id = v.report_id
         GROUP BY v.report_id, v.highlight_id`,
      )
      .all(...params) as Array<{ report_id: string; highlight_id: string; agree: number; disagree: number; unsure: number }>;
    return rows.map((r) => ({ reportId: r.report_id, highlightId: r.highlight_id, agree: r.agree, disagree: r.disagree, unsure: r.unsure }));
  }

  async close(): Promise<void> {
    if (this.waiting.length && this.db.isOpen) this.flush();
    if (this.db.isOpen) this.db.close();
  }

  private transaction<T>(work: () => T): T {
    // IMMEDIATE takes the write lock up front, so an export or a second receiver process
    // on the same file waits (busy_timeout) instead of failing halfway through a batch.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** Withdrawn reports are never read back: not by exports, not by counts. */
function driveClause(filter: ReportFilter): [string, Array<string>] {
  if (filter.driveId === undefined) return ['WHERE withdrawn_at IS NULL', []];
  if (filter.driveId === null) return ['WHERE withdrawn_at IS NULL AND drive_id IS NULL', []];
  return ['WHERE withdrawn_at IS NULL AND drive_id = ?', [filter.driveId]];
}
