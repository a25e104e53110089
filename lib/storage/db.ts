// The extension's IndexedDB (DESIGN.md §2): owned by the background only. A content
// script's IndexedDB belongs to the chatbot's origin, so nothing is stored from there.
//
// Versions:
//   1 — pre-release skeleton: one `reports` store, no indexes, no `include_prompt` field.
//   2 — indexes for status and creation time; `outbox`, `settings` stores; `include_prompt`.
//   3 — `drives` (joined feedback drives) and `receipts` (per-report owner keys) stores; the
//       endpoint token moves out of the settings record and out of queued batches into the
//       `tokens` table keyed by endpoint origin (lib/upload/credentials.ts); the unused
//       `active_drive_id` setting goes.
// Every past version has a fixture and a migration test (tests/unit/storage.test.ts).
import type { GlossaryEntry } from '../glossary/types';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Report } from '../report';

export const DB_NAME = 'sounds-local';
export const DB_VERSION = 3;

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
  /**
   * What the batch does: `upload` POSTs reports (the default, and every v2 batch), `update`
   * PUTs one already uploaded report, `withdraw` DELETEs one (DESIGN §8a).
   */
  kind?: 'upload' | 'update' | 'withdraw';
  /** Set while the endpoint refuses the token (401): the batch waits for the user, not for a timer. */
  held?: string;
  /**
   * The drive's contributor pseudonym, frozen with the payload (a resend must be byte for
   * byte the same). Only on batches with a `drive_id`; batches queued before it existed have none.
   */
  contributor?: string;
}

/**
 * A drive the user joined (DESIGN §9b). `manifest` is what the user agreed to; `consented`
 * snapshots the three fields whose change asks for consent again; `pending` holds a newer
 * manifest that changed one of them and waits for that consent.
 */
export interface JoinedDrive {
  id: string;
  manifest_url: string;
  manifest: Record<string, unknown>;
  /** The drive's endpoint base URL (validated), where its reports go. */
  endpoint: string;
  joined_at: string;
  consented: { name: string; endpoint: string; license: string; at: string };
  pending?: { manifest: Record<string, unknown>; endpoint: string; changes: string[]; seen_at: string };
  /** The last progress counts fetched from the endpoint's /v1/stats. */
  progress?: { stats: unknown; fetched_at: string };
  /** Why the last manifest or progress fetch failed, if it did. */
  last_error?: string;
  /**
   * The member's random pseudonym for this drive (DESIGN §14), sent with the drive's uploads
   * only. Made on joining; a record joined before pseudonyms existed gets one the first time
   * it is read (lib/background/drives.ts), so no version bump: the store has no index on it.
   */
  contributor?: string;
  /**
   * The drive's own glossary (DESIGN §13), fetched from the manifest's glossary_url on join
   * and on refresh and validated (lib/glossary/drive.ts). Optional, so no version bump.
   */
  glossary?: { url: string; entries: GlossaryEntry[]; fetched_at: string };
  /** Why the glossary could not be fetched or which of its lines were not read. */
  glossary_error?: string;
}

/**
 * What the client keeps about a report it sent (DESIGN §8a): the per-report secret whose
 * SHA-256 went out as `owner_key_hash`, where it went, and what the receiver now holds.
 */
export interface Receipt {
  report_id: string;
  /**
   * 32 random bytes, hex. Never shown and never in the reports JSONL; sent only as the
   * Owner-Key header to `endpoint`, and written only to the private withdraw-keys file the
   * member asks for on the options page (lib/owner-keys.ts).
   */
  secret: string;
  owner_key_hash: string;
  endpoint: string;
  drive_id?: string;
  /** `pending` until the first upload is answered. */
  remote: 'pending' | 'accepted' | 'updated' | 'withdrawing' | 'withdrawn';
  /** The report's `updated_at` in the version the receiver holds. */
  sent_updated_at?: string;
}

export interface SoundsLocalSchema extends DBSchema {
  reports: {
    key: string;
    value: Report;
    indexes: { by_status: string; by_created: [string, string]; by_status_created: [string, string, string] };
  };
  outbox: { key: string; value: OutboxBatch; indexes: { by_next_attempt: number } };
  settings: { key: string; value: unknown };
  drives: { key: string; value: JoinedDrive };
  receipts: { key: string; value: Receipt };
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

/**
 * v2 kept one `token` beside the endpoint in the settings record and copied it into every
 * queued batch, so a token could follow a batch or a changed endpoint anywhere. v3 keeps
 * tokens only in the `tokens` table, keyed by the origin of the endpoint they were entered
 * with; queued batches lose their copy (the engine looks the token up by the request's origin).
 */
async function migrateV2ToV3(db: IDBPDatabase<SoundsLocalSchema>, tx: UpgradeTx) {
  if (!db.objectStoreNames.contains('drives')) db.createObjectStore('drives', { keyPath: 'id' });
  if (!db.objectStoreNames.contains('receipts')) db.createObjectStore('receipts', { keyPath: 'report_id' });
  const settings = tx.objectStore('settings');
  const user = (await settings.get('user')) as { endpoint?: unknown; token?: unknown; active_drive_id?: unknown } | undefined;
  if (user && ('token' in user || 'active_drive_id' in user)) {
    // active_drive_id was never set by the UI; a new report's drive now follows the joined drives.
    const { token, active_drive_id: _unused, ...rest } = user;
    const origin = typeof user.endpoint === 'string' ? originOrUndefined(user.endpoint) : undefined;
    if (typeof token === 'string' && token && origin) {
      const tokens = ((await settings.get('tokens')) ?? {}) as Record<string, Record<string, string>>;
      await settings.put({ ...tokens, [origin]: { ...tokens[origin], '': token } }, 'tokens');
    }
    await settings.put(rest, 'user');
  }
  const outbox = tx.objectStore('outbox');
  for (let cursor = await outbox.openCursor(); cursor; cursor = await cursor.continue()) {
    if ('token' in cursor.value) {
      const { token: _dropped, ...rest } = cursor.value as OutboxBatch & { token?: string };
      await cursor.update(rest);
    }
  }
}

function originOrUndefined(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function openSoundsLocalDb(name = DB_NAME): Promise<SoundsLocalDb> {
  return openDB<SoundsLocalSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) db.createObjectStore('reports', { keyPath: 'id' });
      if (oldVersion < 2) await migrateV1ToV2(db, tx);
      if (oldVersion < 3) await migrateV2ToV3(db, tx);
    },
  });
}
