// The extension's IndexedDB (DESIGN.md §2): owned by the background only. A content
// script's IndexedDB belongs to the chatbot's origin, so nothing is stored from there.
//
// Versions:
//   1 — pre-release skeleton: one `reports` store, no indexes, no `include_prompt` field.
//   2 — indexes for status and creation time; `outbox`, `settings` stores; `include_prompt`.
// Every past version has a fixture and a migration test (tests/unit/storage.test.ts).
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Report } from '../report';

export const DB_NAME = 'sounds-local';
export const DB_VERSION = 2;

/** One upload batch waiting in (or being retried from) the outbox. */
export interface OutboxBatch {
  /** The batch's Idempotency-Key: the same across every retry of this batch. */
  id: string;
  report_ids: string[];
  endpoint: string;
  drive_id?: string;
  created_at: string;
  attempts: number;
  /** Epoch ms before which the batch must not be sent again. */
  next_attempt_at: number;
  last_error?: string;
}

export interface SoundsLocalSchema extends DBSchema {
  reports: {
    key: string;
    value: Report;
    indexes: { by_status: string; by_created: [string, string]; by_status_created: [string, string, string] };
  };
  outbox: { key: string; value: OutboxBatch; indexes: { by_next_attempt: number } };
  settings: { key: string; value: unknown };
}

export type SoundsLocalDb = IDBPDatabase<SoundsLocalSchema>;
type UpgradeTx = IDBPTransaction<SoundsLocalSchema, StoreNames<SoundsLocalSchema>[], 'versionchange'>;

/** Writes that must survive a closed browser (Chrome 121+ defaults to relaxed). */
export const STRICT = { durability: 'strict' } as const;

async function migrateV1ToV2(db: IDBPDatabase<SoundsLocalSchema>, tx: UpgradeTx) {
  const reports = tx.objectStore('reports');
  reports.createIndex('by_status', 'status');
  // id breaks ties between reports made in the same millisecond, so paging is exact.
  reports.createIndex('by_created', ['created_at', 'id']);
  reports.createIndex('by_status_created', ['status', 'created_at', 'id']);
  if (!db.objectStoreNames.contains('outbox')) {
    db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('by_next_attempt', 'next_attempt_at');
  }
  if (!db.objectStoreNames.contains('settings')) db.createObjectStore('settings');
  for (let cursor = await reports.openCursor(); cursor; cursor = await cursor.continue()) {
    const old = cursor.value as Partial<Report>;
    if (old.include_prompt === undefined) await cursor.update({ ...old, include_prompt: false } as Report);
  }
}

export function openSoundsLocalDb(name = DB_NAME): Promise<SoundsLocalDb> {
  return openDB<SoundsLocalSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) db.createObjectStore('reports', { keyPath: 'id' });
      if (oldVersion < 2) await migrateV1ToV2(db, tx);
    },
  });
}
