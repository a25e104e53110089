// The receiver's schema, as numbered migrations shared by both stores. Each migration is
// written once per dialect (SQLite and PostgreSQL differ in types and a few clauses) and
// applied at most once per database, recorded in `schema_migrations`. A store runs
// `migrateSqlite` / `migratePostgres` when it opens, so upgrading the receiver upgrades the
// database; a database written by a newer receiver (a version this code doesn't know) is
// refused instead of being half-understood.
//
// Adding a change: append a migration with the next number. Never edit one that shipped:
// databases out there already recorded it as applied.
import type { DatabaseSync } from 'node:sqlite';
import type { Sql } from 'postgres';

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'reports, idempotency keys, stats counters',
    // IF NOT EXISTS: SQLite files made before migrations existed already hold these tables
    // (their `meta.schema_version` says 1); applying this to them changes nothing.
    sqlite: `
      CREATE TABLE IF NOT EXISTS reports (
        seq INTEGER PRIMARY KEY,              -- arrival order, for exports
        id TEXT NOT NULL UNIQUE,              -- the client's UUID: the dedupe key
        drive_id TEXT,
        expected_locale TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL                    -- the report as JSON, verbatim data
      );
      CREATE INDEX IF NOT EXISTS reports_by_drive ON reports (drive_id, seq);
      CREATE TABLE IF NOT EXISTS idempotency (
        key TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      -- Progress counts kept up to date on ingest, so /v1/stats costs the same at any size.
      -- scope: '*' (everything) or 'drive:<id>'; dimension: locale | category | status.
      CREATE TABLE IF NOT EXISTS counters (
        scope TEXT NOT NULL,
        dimension TEXT NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (scope, dimension, value)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
    // The report stays TEXT, not jsonb: exports hand out the stored bytes unchanged, and
    // jsonb would reorder keys and normalise numbers.
    postgres: `
      CREATE TABLE reports (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        drive_id TEXT,
        expected_locale TEXT NOT NULL,
        received_at TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX reports_by_drive ON reports (drive_id, seq);
      CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        body_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE TABLE counters (
        scope TEXT NOT NULL,
        dimension TEXT NOT NULL,
        value TEXT NOT NULL,
        n BIGINT NOT NULL,
        PRIMARY KEY (scope, dimension, value)
      );
    `,
  },
  {
    version: 2,
    name: 'owner keys and withdrawals (DESIGN 8a); stats by severity, marks and day',
    // The counters of reports already stored are rebuilt for the new dimensions from their
    // bodies; `status` counters (answers given) can't be rebuilt and are kept as they are.
    sqlite: `
      ALTER TABLE reports ADD COLUMN owner_key_hash TEXT;
      ALTER TABLE reports ADD COLUMN withdrawn_at TEXT;
      CREATE TEMP VIEW scoped AS
        SELECT '*' AS scope, body, received_at FROM reports
        UNION ALL SELECT 'drive:' || drive_id, body, received_at FROM reports WHERE drive_id IS NOT NULL;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'severity', json_extract(h.value, '$.severity'), count(*) FROM scoped, json_each(scoped.body, '$.highlights') AS h GROUP BY 1, 3;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'marks', 'all', count(*) FROM scoped, json_each(scoped.body, '$.highlights') AS h GROUP BY 1;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'day_marks', substr(received_at, 1, 10), count(*) FROM scoped, json_each(scoped.body, '$.highlights') AS h GROUP BY 1, 3;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'day', substr(received_at, 1, 10), count(*) FROM scoped GROUP BY 1, 3;
      DROP VIEW scoped;
    `,
    postgres: `
      ALTER TABLE reports ADD COLUMN owner_key_hash TEXT;
      ALTER TABLE reports ADD COLUMN withdrawn_at TEXT;
      CREATE TEMP VIEW scoped AS
        SELECT '*' AS scope, body, received_at FROM reports
        UNION ALL SELECT 'drive:' || drive_id, body, received_at FROM reports WHERE drive_id IS NOT NULL;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'severity', h->>'severity', count(*) FROM scoped, jsonb_array_elements(scoped.body::jsonb->'highlights') AS h GROUP BY 1, 3;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'marks', 'all', count(*) FROM scoped, jsonb_array_elements(scoped.body::jsonb->'highlights') AS h GROUP BY 1;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'day_marks', substr(received_at, 1, 10), count(*) FROM scoped, jsonb_array_elements(scoped.body::jsonb->'highlights') AS h GROUP BY 1, 3;
      INSERT INTO counters (scope, dimension, value, n)
        SELECT scope, 'day', substr(received_at, 1, 10), count(*) FROM scoped GROUP BY 1, 3;
      DROP VIEW scoped;
    `,
  },
  {
    version: 3,
    name: 'community review: contributor pseudonyms, votes per mark (DESIGN 14)',
    // `reviewer` is the SHA-256 of the reviewer's token, never the token itself.
    // `contributor` is the uploader's per-drive pseudonym: it keeps reviewers away from their
    // own reports and is never exported or shown.
    sqlite: `
      ALTER TABLE reports ADD COLUMN contributor TEXT;
      CREATE TABLE votes (
        report_id TEXT NOT NULL,
        highlight_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('agree', 'disagree', 'unsure')),
        suggestion TEXT,
        voted_at TEXT NOT NULL,
        PRIMARY KEY (report_id, highlight_id, reviewer)
      ) WITHOUT ROWID;
      CREATE INDEX votes_by_reviewer ON votes (reviewer, report_id);
      CREATE TABLE reviewer_contributors (
        reviewer TEXT NOT NULL,
        contributor TEXT NOT NULL,
        PRIMARY KEY (reviewer, contributor)
      ) WITHOUT ROWID;
    `,
    postgres: `
      ALTER TABLE reports ADD COLUMN contributor TEXT;
      CREATE TABLE votes (
        report_id TEXT NOT NULL,
        highlight_id TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('agree', 'disagree', 'unsure')),
        suggestion TEXT,
        voted_at TEXT NOT NULL,
        PRIMARY KEY (report_id, highlight_id, reviewer)
      );
      CREATE INDEX votes_by_reviewer ON votes (reviewer, report_id);
      CREATE TABLE reviewer_contributors (
        reviewer TEXT NOT NULL,
        contributor TEXT NOT NULL,
        PRIMARY KEY (reviewer, contributor)
      );
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

const TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

function newerError(where: string, version: number): Error {
  return new Error(`${where} was written by a newer receiver (schema ${version}, this one knows up to ${LATEST_VERSION}); upgrade this receiver.`);
}

/** Brings a SQLite database up to the latest schema; returns the versions applied now. */
export function migrateSqlite(db: DatabaseSync, where: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  // IMMEDIATE: a second receiver process opening the same file waits (busy_timeout)
  // instead of applying the same migration twice.
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(TABLE);
    const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
    // Files from before this table existed recorded their version in `meta` only.
    const legacy = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get()
      ? (db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined)
      : undefined;
    const newest = Math.max(0, ...applied, Number(legacy?.value ?? 0));
    const latest = migrations.at(-1)?.version ?? 0;
    if (newest > latest) throw newerError(where, newest);
    const now = new Date().toISOString();
    const done: number[] = [];
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sqlite);
      record.run(migration.version, migration.name, now);
      done.push(migration.version);
    }
    // Receivers from before schema_migrations read `meta.schema_version` and refuse a newer file.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(latest));
    db.exec('COMMIT');
    return done;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** Brings a PostgreSQL database up to the latest schema; returns the versions applied now. */
export async function migratePostgres(sql: Sql, where: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return sql.begin(async (tx) => {
    // Several receiver processes may start at once against one database: the first takes
    // this lock and migrates, the others wait and then find nothing left to do.
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx.unsafe(TABLE);
    const rows = await tx<Array<{ version: number }>>`SELECT version FROM schema_migrations`;
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const latest = migrations.at(-1)?.version ?? 0;
    if (newest > latest) throw newerError(where, newest);
    const now = new Date().toISOString();
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await tx.unsafe(migration.postgres);
      await tx`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${migration.version}, ${migration.name}, ${now})`;
      done.push(migration.version);
    }
    return done;
  });
}

/** An arbitrary constant naming the migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 0x50_4c_6f_63; // "SLoc"
