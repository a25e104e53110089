// The embedded default store: one SQLite file through Node's built-in `node:sqlite`
// (no native build). WAL lets an export read while the receiver writes; batches are written
// with prepared statements in one transaction — one per group of batches that arrive together
// (group commit, see `submit`).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { StatsResponse, UploadResponse, UploadResult } from '../lib/protocol';
import { migrateSqlite } from './migrations';
import { statsFromCounters, type ReceiverStore, type ReportFilter, type StoredReport, type Submission, type SubmitOutcome } from './store';

type Counts = Map<string, number>;

export class SqliteStore implements ReceiverStore {
  readonly db: DatabaseSync;
  private readonly insertReport: StatementSync;
  private readonly findKey: StatementSync;
  private readonly insertKey: StatementSync;
  private readonly bumpCounter: StatementSync;
  private readonly readCounters: StatementSync;
  private waiting: Array<{ submission: Submission; done: (outcome: { ok: SubmitOutcome } | { error: unknown }) => void }> = [];

  constructor(readonly path: string) {
    this.db = new DatabaseSync(path);
    // FULL: an "accepted" answer means the report survives a power cut, not only a crash;
    // with WAL that is one fsync per batch, well inside the ingest budget.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
    migrateSqlite(this.db, path);

    this.insertReport = this.db.prepare(
      `INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
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
      return seen.body_hash === submission.bodyHash
        ? { kind: 'replayed', response: JSON.parse(seen.response) as UploadResponse }
        : { kind: 'key_conflict' };
    }
    const results: UploadResult[] = [];
    const counts = { locale: new Map(), category: new Map(), status: new Map() } satisfies Record<string, Counts>;
    for (const item of submission.items) {
      if ('rejected' in item) {
        results.push(item.rejected);
        add(counts.status, 'rejected');
        continue;
      }
      const { report } = item;
      const inserted = this.insertReport.run(
        report.id,
        report.drive_id ?? null,
        report.expected_locale,
        submission.receivedAt,
        JSON.stringify(report),
      );
      if (inserted.changes === 0) {
        results.push({ id: report.id, status: 'duplicate' });
        add(counts.status, 'duplicate');
        continue;
      }
      results.push({ id: report.id, status: 'accepted' });
      add(counts.status, 'accepted');
      add(counts.locale, report.expected_locale);
      for (const h of report.highlights) add(counts.category, h.category);
    }
    const scopes = submission.driveId ? ['*', `drive:${submission.driveId}`] : ['*'];
    for (const scope of scopes)
      for (const [dimension, map] of Object.entries(counts))
        for (const [value, n] of map) this.bumpCounter.run(scope, dimension, value, n);
    const response: UploadResponse = { results };
    this.insertKey.run(submission.idempotencyKey, submission.bodyHash, JSON.stringify(response), submission.receivedAt);
    return { kind: 'stored', response };
  }

  async stats(driveId?: string): Promise<StatsResponse> {
    const rows = this.readCounters.all(driveId ? `drive:${driveId}` : '*') as Array<{ dimension: string; value: string; n: number }>;
    return statsFromCounters(driveId, rows);
  }

  async *reports(filter: ReportFilter = {}): AsyncIterable<StoredReport> {
    const [where, params] = driveClause(filter);
    const rows = this.db.prepare(`SELECT body, received_at FROM reports ${where} ORDER BY seq`).iterate(...params);
    for (const row of rows as Iterable<{ body: string; received_at: string }>)
      yield { report: JSON.parse(row.body), receivedAt: row.received_at };
  }

  async count(filter: ReportFilter = {}): Promise<number> {
    const [where, params] = driveClause(filter);
    const row = this.db.prepare(`SELECT count(*) AS n FROM reports ${where}`).get(...params) as { n: number };
    return row.n;
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

function add(map: Counts, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function driveClause(filter: ReportFilter): [string, Array<string>] {
  if (filter.driveId === undefined) return ['', []];
  if (filter.driveId === null) return ['WHERE drive_id IS NULL', []];
  return ['WHERE drive_id = ?', [filter.driveId]];
}
