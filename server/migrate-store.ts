// `npm run migrate-store -- --to postgres://… [--data-dir ./data | --from reports.sqlite]`
// Copies a receiver's SQLite database into an empty PostgreSQL database: every report (in
// arrival order, with its received time), every idempotency key with its stored answer (so a
// client retrying a batch after the move still gets "replayed", not duplicates), and the
// stats counters. One PostgreSQL transaction: either everything arrives or nothing does.
// Afterwards it reads both sides back and compares counts and a digest of every report's id
// and stored text, and says so. Stop the receiver first (or accept that uploads arriving
// during the copy stay in SQLite only).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { migratePostgres, migrateSqlite } from './migrations';
import { redact } from './store-postgres';
import { sqlitePath } from './store-open';

const CHUNK = 1_000;

export interface CopyResult {
  reports: number;
  keys: number;
  counters: number;
  /** SHA-256 over every report's id and stored JSON, in arrival order; equal on both sides. */
  digest: string;
}

/** Tables copied, in order, with their columns (all but PostgreSQL's generated `seq`). */
const TABLES = [
  {
    name: 'reports',
    columns: ['id', 'drive_id', 'expected_locale', 'received_at', 'body', 'owner_key_hash', 'withdrawn_at', 'contributor'],
    order: 'seq',
    types: ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'],
  },
  { name: 'idempotency', columns: ['key', 'body_hash', 'response', 'received_at'], order: 'key', types: ['text', 'text', 'text', 'text'] },
  {
    name: 'votes',
    columns: ['report_id', 'highlight_id', 'reviewer', 'vote', 'suggestion', 'voted_at'],
    order: 'report_id, highlight_id, reviewer',
    types: ['text', 'text', 'text', 'text', 'text', 'text'],
  },
  { name: 'reviewer_contributors', columns: ['reviewer', 'contributor'], order: 'reviewer, contributor', types: ['text', 'text'] },
  { name: 'counters', columns: ['scope', 'dimension', 'value', 'n'], order: 'scope, dimension, value', types: ['text', 'text', 'text', 'bigint'] },
] as const;

export class MigrateError extends Error {}

export async function copySqliteToPostgres(from: string, to: string, log: (line: string) => void = () => {}): Promise<CopyResult> {
  if (!existsSync(from)) throw new MigrateError(`No SQLite database at ${from}; point --data-dir or --from at the receiver's data.`);
  const source = new DatabaseSync(from);
  const sql = postgres(to, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  try {
    // Bring an older SQLite file to the schema this code copies (a no-op for a current one).
    source.exec('PRAGMA busy_timeout = 5000;');
    migrateSqlite(source, from);
    await migratePostgres(sql, redact(to));

    const copied: Record<string, number> = {};
    await sql.begin(async (tx) => {
      for (const table of TABLES) {
        const [row] = await tx.unsafe(`SELECT count(*)::int AS n FROM ${table.name}`);
        if ((row as unknown as { n: number }).n > 0)
          throw new MigrateError(`${redact(to)} already holds rows in "${table.name}"; migrate into an empty database (createdb a new one).`);
      }
      for (const table of TABLES) {
        const select = source.prepare(`SELECT ${table.columns.join(', ')} FROM ${table.name} ORDER BY ${table.order}`);
        const params = table.columns.map((_, i) => `$${i + 1}::${table.types[i]}[]`).join(', ');
        const insert = `INSERT INTO ${table.name} (${table.columns.join(', ')})
          SELECT ${table.columns.join(', ')} FROM unnest(${params}) WITH ORDINALITY AS t(${table.columns.join(', ')}, ord) ORDER BY ord`;
        let chunk: Array<Record<string, unknown>> = [];
        let n = 0;
        const flush = async () => {
          if (!chunk.length) return;
          // One array per column; counts go as text, PostgreSQL casts them to bigint.
          const columns = table.columns.map((c, i) =>
            chunk.map((r) => {
              const v = r[c];
              return v === null || v === undefined ? null : table.types[i] === 'bigint' ? String(v) : v;
            }),
          );
          await tx.unsafe(insert, columns as never[]);
          n += chunk.length;
          chunk = [];
        };
        for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
          chunk.push(row);
          if (chunk.length >= CHUNK) {
            await flush();
            if (table.name === 'reports' && n % 50_000 === 0) log(`  ${n.toLocaleString('en')} reports…`);
          }
        }
        await flush();
        copied[table.name] = n;
        log(`copied ${n.toLocaleString('en')} rows of ${table.name}`);
      }
    });

    // Read both sides back: same counts, same reports byte for byte, in the same order.
    const sourceDigest = createHash('sha256');
    let sourceReports = 0;
    for (const row of source.prepare('SELECT id, body FROM reports ORDER BY seq').iterate() as Iterable<{ id: string; body: string }>) {
      sourceDigest.update(row.id).update('\0').update(row.body).update('\n');
      sourceReports++;
    }
    const targetDigest = createHash('sha256');
    let targetReports = 0;
    for await (const rows of sql<Array<{ id: string; body: string }>>`SELECT id, body FROM reports ORDER BY seq`.cursor(CHUNK))
      for (const row of rows) {
        targetDigest.update(row.id).update('\0').update(row.body).update('\n');
        targetReports++;
      }
    const digest = sourceDigest.digest('hex');
    if (targetReports !== sourceReports || targetDigest.digest('hex') !== digest)
      throw new MigrateError(
        `Verification failed: SQLite holds ${sourceReports} reports, PostgreSQL ${targetReports}, or their contents differ. Nothing should use the PostgreSQL copy.`,
      );
    for (const table of TABLES.slice(1)) {
      const [{ n }] = source.prepare(`SELECT count(*) AS n FROM ${table.name}`).all() as [{ n: number }];
      const [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table.name}`);
      if ((row as unknown as { n: number }).n !== n)
        throw new MigrateError(`Verification failed: ${table.name} has ${n} rows in SQLite but not in PostgreSQL.`);
    }
    return { reports: copied.reports ?? 0, keys: copied.idempotency ?? 0, counters: copied.counters ?? 0, digest };
  } finally {
    source.close();
    await sql.end({ timeout: 5 });
  }
}

async function main() {
  const { values: args } = parseArgs({
    options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, to: { type: 'string' } },
  });
  const usage = 'Usage: npm run migrate-store -- --to postgres://user@host/db [--data-dir ./data | --from path/to/reports.sqlite]';
  const to = args.to ?? process.env.DATABASE_URL;
  if (!to || !/^postgres(?:ql)?:\/\//i.test(to)) {
    console.error(`--to (or DATABASE_URL) must be the postgres:// URL of an empty database.\n${usage}`);
    process.exit(2);
  }
  const from = resolve(args.from ?? sqlitePath(resolve(args['data-dir'] ?? process.env.DATA_DIR ?? './data')));
  console.log(`copying ${from} → ${redact(to)}`);
  try {
    const result = await copySqliteToPostgres(from, to, (line) => console.log(line));
    console.log(
      `done: ${result.reports.toLocaleString('en')} reports, ${result.keys.toLocaleString('en')} idempotency keys, ${result.counters.toLocaleString('en')} counters; ` +
        `verified (reports sha256 ${result.digest.slice(0, 16)}…). Start the receiver with DATABASE_URL=${redact(to)}.`,
    );
  } catch (error) {
    console.error(
      error instanceof MigrateError ? error.message : `The copy failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(error instanceof MigrateError ? 2 : 1);
  }
}

if (process.argv[1] && /migrate-store\.ts$/.test(process.argv[1])) await main();
