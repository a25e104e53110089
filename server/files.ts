// The receiver's files hold what people uploaded: nobody else on the machine should read
// them. The data directory is made 0700 and the SQLite file with its -wal and -shm
// companions 0600 — on creation, and tightened when an older receiver left them readable.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) if needed and makes it 0700; answers whether its mode changed. */
export function privateDirectory(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return tighten(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates the database file 0600 before SQLite opens it: SQLite gives the -wal and -shm
 * files it creates later the main file's mode.
 */
export function createPrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  tighten(path, PRIVATE_FILE_MODE);
}

/** After opening: the database and whichever companions exist, 0600. */
export function tightenDatabaseFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) tighten(file, PRIVATE_FILE_MODE);
}

function tighten(path: string, mode: number): boolean {
  if ((statSync(path).mode & 0o777) === mode) return false;
  chmodSync(path, mode);
  return true;
}
