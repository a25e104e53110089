// Where the real captures live. No vitest import: the capture-skip reporter, which runs in
// vitest's main process, reads these too.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../..');
/**
 * The shared folder beside the repository (`../shared`), which holds the real captures.
 * SOUNDS_LOCAL_SHARED points elsewhere, e.g. `/nonexistent` to run the suite as a clone
 * without it would.
 */
const OVERRIDE = process.env.SOUNDS_LOCAL_SHARED;
const SHARED_ROOT = resolve(REPO_ROOT, OVERRIDE ?? '../shared');
export const SHARED_FIXTURES = join(SHARED_ROOT, 'fixtures/chatbots');
/** Whether the real captures are here; tests on them skip (with a count) when not. */
export const HAS_SHARED_CAPTURES = existsSync(SHARED_FIXTURES);
/** How the skip line names the missing folder: as given, or relative to the repository. */
export const SHARED_LABEL = OVERRIDE ? join(SHARED_ROOT, 'fixtures') : relative(REPO_ROOT, join(SHARED_ROOT, 'fixtures'));
