import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { HAS_SHARED_CAPTURES, SHARED_FIXTURES } from './shared-root';

declare module 'vitest' {
  interface TaskMeta {
    /** A test that reads ../shared/fixtures: skipped, and counted, where a clone has none. */
    sharedCapture?: boolean;
  }
}

export { HAS_SHARED_CAPTURES, SHARED_FIXTURES, SHARED_LABEL } from './shared-root';

export const OWN_FIXTURES = resolve(__dirname, '../fixtures/chatbots');

export function sharedCaptures(site: string): string[] {
  const dir = join(SHARED_FIXTURES, site);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.html'))
        .sort()
    : [];
}

export function readCapture(site: string, file: string): string {
  return readFileSync(join(SHARED_FIXTURES, site, file), 'utf8');
}

export function readOwnFixture(file: string): string {
  return readFileSync(join(OWN_FIXTURES, file), 'utf8');
}

/** Our own written pages (tests/fixtures/chatbots/*.html). */
export function ownFixtures(): string[] {
  return readdirSync(OWN_FIXTURES)
    .filter((f) => f.endsWith('.html'))
    .sort();
}

/**
 * A describe block whose tests read real captures: where ../shared is missing, its tests
 * are registered as skipped and marked, so the capture-skip reporter can count them. Keep
 * capture reads inside the tests (or behind HAS_SHARED_CAPTURES), never at collection.
 */
export function describeCaptures(name: string, body: () => void) {
  describe(name, { skip: !HAS_SHARED_CAPTURES, meta: { sharedCapture: true } }, body);
}

/** Parse a capture into its own document (scripts are never run by DOMParser). */
export function parsePage(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

/** One test that reads a real capture, in a block that otherwise doesn't (see describeCaptures). */
export function itOnCaptures(name: string, body: () => void | Promise<void>) {
  it(name, { skip: !HAS_SHARED_CAPTURES, meta: { sharedCapture: true } }, body);
}
