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
import { migratePostgres } from './migrations';
import { statsFromCounters, type ReceiverStore, type ReportFilter, type StoredReport, type Submission, type SubmitOutcome } from './store';

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
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sql.begin((tx) => this.submitIn(tx, submission));
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
        INSERT INTO reports (id, drive_id, expected_locale, received_at, body)
        SELECT id, drive_id, expected_locale, ${receivedAt}, body
        FROM unnest(${valid.map((r) => r.id)}::text[], ${valid.map((r) => r.drive_id ?? null) as string[]}::text[],
                    ${valid.map((r) => r.expected_locale)}::text[], ${valid.map((r) => JSON.stringify(r))}::text[])
             WITH ORDINALITY AS batch (id, drive_id, expected_locale, body, n)
        ORDER BY n
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      for (const row of rows) stored.add(row.id);
    }

    const { results, counters } = tally(submission, stored);
    if (counters.length > 0)
      await tx`
        INSERT INTO counters (scope, dimension, value, n)
        SELECT * FROM unnest(${counters.map((c) => c[0])}::text[], ${counters.map((c) => c[1])}::text[],
                             ${counters.map((c) => c[2])}::text[], ${counters.map((c) => c[3])}::bigint[])
        ON CONFLICT (scope, dimension, value) DO UPDATE SET n = counters.n + excluded.n`;
    const response: UploadResponse = { results };
    await tx`UPDATE idempotency SET response = ${JSON.stringify(response)} WHERE key = ${key}`;
    return { kind: 'stored', response };
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

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  private driveClause(filter: ReportFilter) {
    if (filter.driveId === undefined) return this.sql``;
    if (filter.driveId === null) return this.sql`WHERE drive_id IS NULL`;
    return this.sql`WHERE drive_id = ${filter.driveId}`;
  }
}

type CounterRow = [scope: string, dimension: string, value: string, n: number];

/**
 * Results in request order and the counter increments for one batch, given which report ids
 * this batch stored. A second copy of an id within the same batch is a duplicate. Counter
 * rows come sorted, so concurrent batches lock them in the same order and don't deadlock.
 */
function tally(submission: Submission, stored: ReadonlySet<string>): { results: UploadResult[]; counters: CounterRow[] } {
  const results: UploadResult[] = [];
  const counts = new Map<string, number>();
  const add = (dimension: string, value: string) => {
    const k = `${dimension}\u0000${value}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  const answered = new Set<string>();
  for (const item of submission.items) {
    if ('rejected' in item) {
      results.push(item.rejected);
      add('status', 'rejected');
      continue;
    }
    const { report } = item;
    if (!stored.has(report.id) || answered.has(report.id)) {
      results.push({ id: report.id, status: 'duplicate' });
      add('status', 'duplicate');
      continue;
    }
    answered.add(report.id);
    results.push({ id: report.id, status: 'accepted' });
    add('status', 'accepted');
    add('locale', report.expected_locale);
    for (const h of report.highlights) add('category', h.category);
  }
  const scopes = submission.driveId ? ['*', `drive:${submission.driveId}`] : ['*'];
  const counters: CounterRow[] = [];
  for (const scope of scopes)
    for (const [k, n] of counts) {
      const [dimension, value] = k.split('\u0000') as [string, string];
      counters.push([scope, dimension, value, n]);
    }
  counters.sort((a, b) => (a[0] + '\u0000' + a[1] + '\u0000' + a[2] < b[0] + '\u0000' + b[1] + '\u0000' + b[2] ? -1 : 1));
  return { results, counters };
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
