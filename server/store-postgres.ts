// The receiver's store on PostgreSQL, for deployments with several receiver processes (or
// machines) behind one proxy: `DATABASE_URL=postgres://… npm run server`.
//
// Exactly-once lives in the database, not in a process: the idempotency key and the report
// id are unique constraints, and a batch is one transaction. Two processes handed the same
// key at once both try to insert it; PostgreSQL makes the second wait for the first to
// commit, after which it finds the key and replays the stored answer. Reports are inserted
// with ON CONFLICT (id) DO NOTHING, so an id stored by any process is a duplicate for all.
import postgres, { type Sql, type TransactionSql } from 'postgres';
import type { StatsResponse, UploadResponse, UploadResult } from '../lib/protocol';
import type { UploadedReport } from '../lib/report';
import type { ReviewCandidate } from '../lib/review';
import { migratePostgres } from './migrations';
import {
  contributions,
  isLater,
  sameKeyHash,
  scopesOf,
  statsFromCounters,
  storedBody,
  type CastVote,
  type CounterDelta,
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

export interface PostgresStoreOptions {
  /** Connections in this process's pool. */
  max?: number;
}

/** deadlock_detected, serialization_failure: the transaction did nothing; run it again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 5;

export class PostgresStore implements ReceiverStore {
  private constructor(
    readonly sql: Sql,
    readonly where: string,
  ) {}

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const sql = postgres(url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // Counters and seq are BIGINT; they fit a JS number long before they overflow one.
      types: { bigint: postgres.BigInt },
      transform: { undefined: null },
    });
    const where = redact(url);
    try {
      await migratePostgres(sql, where);
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
    return new PostgresStore(sql, where);
  }

  async submit(submission: Submission): Promise<SubmitOutcome> {
    return this.retrying((tx) => this.submitIn(tx, submission));
  }

  /** Runs one transaction, again when PostgreSQL aborted it for a deadlock or serialization failure. */
  private async retrying<T>(work: (tx: TransactionSql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.sql.begin((tx) => work(tx))) as T;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
      }
    }
  }

  private async submitIn(tx: TransactionSql, submission: Submission): Promise<SubmitOutcome> {
    const { idempotencyKey: key, bodyHash, receivedAt } = submission;
    // Claim the key first. If another transaction holds it uncommitted, this waits for it.
    const claimed = await tx`
      INSERT INTO idempotency (key, body_hash, response, received_at) VALUES (${key}, ${bodyHash}, '', ${receivedAt})
      ON CONFLICT (key) DO NOTHING RETURNING key`;
    if (claimed.length === 0) {
      const [seen] = await tx<Array<{ body_hash: string; response: string }>>`SELECT body_hash, response FROM idempotency WHERE key = ${key}`;
      if (!seen) throw new Error(`Idempotency-Key ${key} vanished between two statements.`);
      return seen.body_hash === bodyHash ? { kind: 'replayed', response: JSON.parse(seen.response) as UploadResponse } : { kind: 'key_conflict' };
    }

    const valid = submission.items.flatMap((item) => ('report' in item ? [item.report] : []));
    const stored = new Set<string>();
    if (valid.length > 0) {
      // One statement for the whole batch; WITH ORDINALITY keeps arrival order in `seq`.
      const rows = await tx<Array<{ id: string }>>`
        INSERT INTO reports (id, drive_id, expected_locale, received_at, body, owner_key_hash, contributor)
        SELECT id, drive_id, expected_locale, ${receivedAt}, body, owner_key_hash, ${submission.contributor ?? null}
        FROM unnest(${valid.map((r) => r.id)}::text[], ${valid.map((r) => r.drive_id ?? null) as string[]}::text[],
                    ${valid.map((r) => r.expected_locale)}::text[], ${valid.map((r) => storedBody(r))}::text[],
                    ${valid.map((r) => r.owner_key_hash ?? null) as string[]}::text[])
             WITH ORDINALITY AS batch (id, drive_id, expected_locale, body, owner_key_hash, n)
        ORDER BY n
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      for (const row of rows) stored.add(row.id);
    }
    const notStored = valid.filter((r) => !stored.has(r.id)).map((r) => r.id);
    const withdrawn = new Set<string>();
    if (notStored.length > 0) {
      const rows = await tx<Array<{ id: string }>>`SELECT id FROM reports WHERE id = ANY(${notStored}::text[]) AND withdrawn_at IS NOT NULL`;
      for (const row of rows) withdrawn.add(row.id);
    }

    const { results, counters } = tally(submission, stored, withdrawn);
    await this.bump(tx, counters);
    const response: UploadResponse = { results };
    await tx`UPDATE idempotency SET response = ${JSON.stringify(response)} WHERE key = ${key}`;
    return { kind: 'stored', response };
  }

  async withdraw(id: string, ownerKeyHash: string, at: string): Promise<WithdrawOutcome> {
    return this.retrying(async (tx): Promise<WithdrawOutcome> => {
      const [row] = await tx<OwnedRow[]>`SELECT drive_id, received_at, body, owner_key_hash, withdrawn_at FROM reports WHERE id = ${id} FOR UPDATE`;
      if (!row) return 'unknown';
      if (!sameKeyHash(row.owner_key_hash, ownerKeyHash)) return 'forbidden';
      if (row.withdrawn_at) return 'withdrawn';
      const stored = JSON.parse(row.body) as UploadedReport;
      await this.bump(tx, rowsFor(scopesOf(row.drive_id), [...contributions(stored, row.received_at, -1), ['status', 'withdrawn', 1]]));
      await tx`UPDATE reports SET body = '', expected_locale = '', withdrawn_at = ${at} WHERE id = ${id}`;
      return 'withdrawn';
    });
  }

  async update(report: UploadedReport, ownerKeyHash: string, _at: string): Promise<UpdateOutcome> {
    return this.retrying(async (tx): Promise<UpdateOutcome> => {
      const [row] = await tx<OwnedRow[]>`SELECT drive_id, received_at, body, owner_key_hash, withdrawn_at FROM reports WHERE id = ${report.id} FOR UPDATE`;
      if (!row) return 'unknown';
      if (!sameKeyHash(row.owner_key_hash, ownerKeyHash)) return 'forbidden';
      if (row.withdrawn_at) return 'withdrawn';
      if ((row.drive_id ?? null) !== (report.drive_id ?? null)) return 'drive_mismatch';
      const stored = JSON.parse(row.body) as UploadedReport;
      if (!isLater(report.updated_at, stored.updated_at)) return 'duplicate';
      await this.bump(
        tx,
        rowsFor(scopesOf(row.drive_id), [...contributions(stored, row.received_at, -1), ...contributions(report, row.received_at), ['status', 'updated', 1]]),
      );
      await tx`UPDATE reports SET body = ${storedBody(report)}, expected_locale = ${report.expected_locale} WHERE id = ${report.id}`;
      return 'updated';
    });
  }

  private async bump(tx: TransactionSql, counters: CounterRow[]) {
    if (counters.length === 0) return;
    await tx`
      INSERT INTO counters (scope, dimension, value, n)
      SELECT * FROM unnest(${counters.map((c) => c[0])}::text[], ${counters.map((c) => c[1])}::text[],
                           ${counters.map((c) => c[2])}::text[], ${counters.map((c) => c[3])}::bigint[])
      ON CONFLICT (scope, dimension, value) DO UPDATE SET n = counters.n + excluded.n`;
  }

  async stats(driveId?: string): Promise<StatsResponse> {
    const rows = await this.sql<Array<{ dimension: string; value: string; n: bigint }>>`
      SELECT dimension, value, n FROM counters WHERE scope = ${driveId ? `drive:${driveId}` : '*'}`;
    return statsFromCounters(
      driveId,
      rows.map((r) => ({ ...r, n: Number(r.n) })),
    );
  }

  async *reports(filter: ReportFilter = {}): AsyncIterable<StoredReport> {
    const cursor = this.sql<Array<{ body: string; received_at: string }>>`
      SELECT body, received_at FROM reports ${this.driveClause(filter)} ORDER BY seq`.cursor(500);
    for await (const rows of cursor) for (const row of rows) yield { report: JSON.parse(row.body) as UploadedReport, receivedAt: row.received_at };
  }

  async count(filter: ReportFilter = {}): Promise<number> {
    const [row] = await this.sql<Array<{ n: bigint }>>`SELECT count(*) AS n FROM reports ${this.driveClause(filter)}`;
    return Number(row!.n);
  }

  async reviewReport(id: string): Promise<ReviewReport | undefined> {
    const [row] = await this.sql<Array<{ body: string; drive_id: string | null; contributor: string | null }>>`
      SELECT body, drive_id, contributor FROM reports WHERE id = ${id} AND withdrawn_at IS NULL`;
    return row && { report: JSON.parse(row.body) as UploadedReport, driveId: row.drive_id, contributor: row.contributor };
  }

  async reviewCandidates(driveId: string, reviewer: string): Promise<ReviewCandidate[]> {
    const rows = await this.sql<Array<{ id: string; expected_locale: string; seq: bigint; contributor: string | null; reviewers: bigint; voted: boolean }>>`
      SELECT r.id, r.expected_locale, r.seq, r.contributor,
             (SELECT count(DISTINCT v.reviewer) FROM votes v WHERE v.report_id = r.id) AS reviewers,
             EXISTS (SELECT 1 FROM votes v WHERE v.report_id = r.id AND v.reviewer = ${reviewer}) AS voted
      FROM reports r WHERE r.drive_id = ${driveId} AND r.withdrawn_at IS NULL`;
    return rows.map((r) => ({
      id: r.id,
      expectedLocale: r.expected_locale,
      seq: Number(r.seq),
      contributor: r.contributor,
      reviewers: Number(r.reviewers),
      votedByReviewer: r.voted,
    }));
  }

  async linkContributor(reviewer: string, contributor: string): Promise<void> {
    await this.sql`INSERT INTO reviewer_contributors (reviewer, contributor) VALUES (${reviewer}, ${contributor}) ON CONFLICT DO NOTHING`;
  }

  async reviewerContributors(reviewer: string): Promise<string[]> {
    const rows = await this.sql<Array<{ contributor: string }>>`SELECT contributor FROM reviewer_contributors WHERE reviewer = ${reviewer}`;
    return rows.map((r) => r.contributor);
  }

  async recordVotes(reportId: string, reviewer: string, votes: readonly CastVote[], at: string): Promise<number> {
    if (votes.length === 0) return 0;
    const rows = await this.sql`
      INSERT INTO votes (report_id, highlight_id, reviewer, vote, suggestion, voted_at)
      SELECT ${reportId}, h, ${reviewer}, v, s, ${at}
      FROM unnest(${votes.map((v) => v.highlightId)}::text[], ${votes.map((v) => v.vote)}::text[], ${votes.map((v) => v.suggestion ?? null) as string[]}::text[]) AS t(h, v, s)
      ON CONFLICT DO NOTHING RETURNING 1`;
    return rows.length;
  }

  async markVotes(filter: ReportFilter = {}): Promise<MarkVotes[]> {
    const rows = await this.sql<Array<{ report_id: string; highlight_id: string; agree: number; disagree: number; unsure: number }>>`
      SELECT v.report_id, v.highlight_id,
             count(*) FILTER (WHERE v.vote = 'agree')::int AS agree,
             count(*) FILTER (WHERE v.vote = 'disagree')::int AS disagree,
             count(*) FILTER (WHERE v.vote = 'unsure')::int AS unsure
      FROM votes v JOIN (SELECT id FROM reports ${this.driveClause(filter)}) r ON r.id = v.report_id
      GROUP BY v.report_id, v.highlight_id`;
    return rows.map((r) => ({ reportId: r.report_id, highlightId: r.highlight_id, agree: r.agree, disagree: r.disagree, unsure: r.unsure }));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  /** Withdrawn reports are never read back: not by exports, not by counts. */
  private driveClause(filter: ReportFilter) {
    if (filter.driveId === undefined) return this.sql`WHERE withdrawn_at IS NULL`;
    if (filter.driveId === null) return this.sql`WHERE withdrawn_at IS NULL AND drive_id IS NULL`;
    return this.sql`WHERE withdrawn_at IS NULL AND drive_id = ${filter.driveId}`;
  }
}

type CounterRow = [scope: string, dimension: string, value: string, n: number];

/**
 * Results in request order and the counter increments for one batch, given which report ids
 * this batch stored and which of the others were withdrawn. A second copy of an id within the
 * same batch is a duplicate.
 */
function tally(submission: Submission, stored: ReadonlySet<string>, withdrawn: ReadonlySet<string>): { results: UploadResult[]; counters: CounterRow[] } {
  const results: UploadResult[] = [];
  const deltas: CounterDelta[] = [];
  const answered = new Set<string>();
  for (const item of submission.items) {
    if ('rejected' in item) {
      results.push(item.rejected);
      deltas.push(['status', 'rejected', 1]);
      continue;
    }
    const { report } = item;
    if (!stored.has(report.id) || answered.has(report.id)) {
      results.push({ id: report.id, status: withdrawn.has(report.id) ? 'withdrawn' : 'duplicate' });
      deltas.push(['status', 'duplicate', 1]);
      continue;
    }
    answered.add(report.id);
    results.push({ id: report.id, status: 'accepted' });
    deltas.push(['status', 'accepted', 1], ...contributions(report, submission.receivedAt));
  }
  return { results, counters: rowsFor(scopesOf(submission.driveId), deltas) };
}

/**
 * Counter rows per scope with equal keys summed. Rows come sorted, so concurrent
 * transactions lock them in the same order and don't deadlock.
 */
function rowsFor(scopes: string[], deltas: CounterDelta[]): CounterRow[] {
  const sum = new Map<string, number>();
  for (const scope of scopes)
    for (const [dimension, value, n] of deltas) {
      const k = `${scope}\u0000${dimension}\u0000${value}`;
      sum.set(k, (sum.get(k) ?? 0) + n);
    }
  const rows: CounterRow[] = [];
  for (const [k, n] of sum) {
    const [scope, dimension, value] = k.split('\u0000') as [string, string, string];
    if (n !== 0) rows.push([scope, dimension, value, n]);
  }
  return rows.sort((a, b) => (a[0] + '\u0000' + a[1] + '\u0000' + a[2] < b[0] + '\u0000' + b[1] + '\u0000' + b[2] ? -1 : 1));
}

/** The URL without its password, for error messages and logs. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}
