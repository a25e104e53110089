// The background entrypoint imports this module first, so the extension's IndexedDB starts
// opening (in the browser process) before the rest of the bundle is evaluated: mostly building
// the zod schemas, about 15 ms of CPU on every service-worker start, and several times that in
// wall time on a busy machine. Until now the open waited for all of it. The popup's first
// page, which woke the worker, needs the database first.
import { openSoundsLocalDb, type SoundsLocalDb } from '../storage/db';

/** The database, already opening; undefined where there is no IndexedDB (WXT reads entrypoints in Node at build time). */
export const dbOpening: Promise<SoundsLocalDb> | undefined = typeof indexedDB === 'undefined' ? undefined : openSoundsLocalDb();
// A failed open is reported where the background awaits it, not as an unhandled rejection here.
dbOpening?.catch(() => {});
