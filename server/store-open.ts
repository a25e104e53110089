// Which store the receiver and its tools use: PostgreSQL when DATABASE_URL is a
// postgres:// URL, otherwise the embedded SQLite file in the data directory.
import { join } from 'node:path';
import type { ReceiverStore } from './store';
import { PostgresStore, redact } from './store-postgres';
import { SqliteStore } from './store-sqlite';

export interface StoreChoice {
  /** DATABASE_URL, if set. */
  databaseUrl?: string;
  dataDir: string;
}

export function sqlitePath(dataDir: string): string {
  return join(dataDir, 'reports.sqlite');
}

/** A readable name for logs: the SQLite path, or the PostgreSQL URL without its password. */
export function describeStore(choice: StoreChoice): string {
  return choice.databaseUrl ? redact(choice.databaseUrl) : sqlitePath(choice.dataDir);
}

export async function openStore(choice: StoreChoice): Promise<ReceiverStore> {
  const url = choice.databaseUrl?.trim();
  if (!url) return new SqliteStore(sqlitePath(choice.dataDir));
  if (!/^postgres(?:ql)?:\/\//i.test(url))
    throw new Error(
      `DATABASE_URL must be a postgres:// (or postgresql://) URL, not "${redact(url).slice(0, 100)}"; unset it to use the SQLite file in DATA_DIR.`,
    );
  try {
    return await PostgresStore.open(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open the PostgreSQL database ${redact(url)}: ${reason}`);
  }
}
