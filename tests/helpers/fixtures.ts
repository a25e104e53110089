import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_FIXTURES = resolve(__dirname, '../../../shared/fixtures/chatbots');
export const OWN_FIXTURES = resolve(__dirname, '../fixtures/chatbots');

export function sharedCaptures(site: string): string[] {
  return readdirSync(join(SHARED_FIXTURES, site)).filter((f) => f.endsWith('.html')).sort();
}

export function readCapture(site: string, file: string): string {
  return readFileSync(join(SHARED_FIXTURES, site, file), 'utf8');
}

export function readOwnFixture(file: string): string {
  return readFileSync(join(OWN_FIXTURES, file), 'utf8');
}

/** Parse a capture into its own document (scripts are never run by DOMParser). */
export function parsePage(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}
