// Test harness for the popup and options UI: real strings from messages.json through a
// browser.i18n stub (fakeBrowser has no i18n), and the real background service over
// fake-indexeddb as the message transport, so a test sees what the extension would store.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import type { ComponentChildren } from 'preact';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fireEvent } from '@testing-library/preact';
import { openSoundsLocalDb } from '../../../lib/storage/db';
import { writeSettings } from '../../../lib/settings';
import { createBackground } from '../../../lib/background/service';
import { createUploader } from '../../../lib/background/uploads';
import { createDrives } from '../../../lib/background/drives';
import type { UploadConfig } from '../../../lib/upload';
import { createApi, type Transport } from '../../../lib/ui/api';
import { ServicesProvider, type Services } from '../../../components/services';
import { SCHEMA_VERSION, type Report } from '../../../lib/report';
import type { CaptureMessage } from '../../../lib/messages';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export const MESSAGES: Messages = JSON.parse(readFileSync(resolve(__dirname, '../../../public/_locales/en/messages.json'), 'utf8'));

/** chrome.i18n.getMessage semantics: named placeholders → $1…$9, unknown keys → "". */
export function getMessage(name: string, substitutions?: string | string[]): string {
  if (name === '@@bidi_dir') return 'ltr';
  if (name === '@@ui_locale') return 'en';
  const entry = MESSAGES[name];
  if (!entry) return '';
  const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  const fill = (text: string) => text.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, key: string) => fill(entry.placeholders?.[key.toLowerCase()]?.content ?? '')).replace(/\$\$/g, '$');
}

/**
 * fakeBrowser has no getManifest: the manifest each build's wxt.config.ts writes, as far as the
 * UI reads it (Firefox's declares the optional websiteContent data collection, Chrome's nothing).
 */
export function stubManifest(build: 'chrome' | 'firefox') {
  const manifest = {
    manifest_version: build === 'chrome' ? 3 : 2,
    name: 'Sounds Local',
    version: '0.0.0',
    ...(build === 'firefox'
      ? { browser_specific_settings: { gecko: { data_collection_permissions: { required: ['none'], optional: ['websiteContent'] } } } }
      : {}),
  };
  (fakeBrowser.runtime as unknown as Record<string, unknown>).getManifest = () => manifest;
}

export function stubI18n() {
  const i18n = fakeBrowser.i18n as unknown as Record<string, unknown>;
  i18n.getMessage = getMessage;
  i18n.getUILanguage = () => 'en-US';
}

export const EXTENSION_ID = 'test-extension-id';
const PAGE_SENDER = { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup.html` };

/** Messages cross a JSON boundary in the browser; do the same here. */
const roundTrip = <T,>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

export interface HarnessOptions {
  /** Wire the real uploader (lib/background/uploads.ts), sending with this fetch. */
  upload?: { fetch: typeof fetch; config?: Partial<UploadConfig> };
  /** Start as a new install: no default locale yet, so the popup asks for one first. */
  firstRun?: boolean;
}

export async function createHarness(overrides: Partial<Services> = {}, options: HarnessOptions = {}) {
  const db = await openSoundsLocalDb(`ui-test-${crypto.randomUUID()}`);
  const client = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;
  /** Badge counts as the background sets them, latest last. */
  const badges: number[] = [];
  /** Alarm times the uploader asked for (undefined: cleared). */
  const wakes: Array<number | undefined> = [];
  let refreshBadge: () => Promise<void> = async () => {};
  // Joined drives, fetching manifests and progress with the upload fetch (or Node's).
  const drives = createDrives({ db, fetch: options.upload?.fetch ?? ((input, init) => fetch(input, init)), uiLanguages: () => ['en-GB'], timeoutMs: 5_000 });
  const uploader = options.upload
    ? createUploader({
        db,
        drives,
        client,
        fetch: options.upload.fetch,
        config: options.upload.config,
        scheduleWake: (when) => wakes.push(when),
        onChange: () => void refreshBadge(),
      })
    : undefined;
  const background = createBackground({
    db,
    uploader,
    drives,
    extensionId: EXTENSION_ID,
    extensionOrigin: `chrome-extension://${EXTENSION_ID}/`,
    client,
    uiLanguages: () => ['en-GB'],
    setBadge: (count) => badges.push(count),
    log: () => {},
  });
  refreshBadge = background.refreshBadge;
  // A user who has answered the first-run question (en-GB), unless the test is about it.
  if (!options.firstRun) await writeSettings(db, { default_locale: 'en-GB' });
  const sent: unknown[] = [];
  const transport: Transport = async (message) => {
    sent.push(message);
    return roundTrip(await background.handle(roundTrip(message), PAGE_SENDER));
  };
  const api = createApi(transport);
  const services: Services = {
    api,
    uuid: () => crypto.randomUUID(),
    openInTab: vi.fn(async () => {}),
    openOptions: vi.fn(async () => {}),
    inTab: false,
    ...overrides,
  };

  /** What the content script sends after a click on "Doesn't sound local". */
  async function capture(message: Omit<CaptureMessage, 'type' | 'site'> & { site?: CaptureMessage['site'] }): Promise<string> {
    const reply = (await background.handle(
      { type: 'capture', site: 'chatgpt', ...message },
      { id: EXTENSION_ID, url: 'https://chatgpt.com/c/abc', tab: { id: 7 } },
    )) as { ok: boolean; report_id?: string; error?: string };
    if (!reply.ok || !reply.report_id) throw new Error(`capture failed: ${reply.error}`);
    return reply.report_id;
  }

  const wrap = (children: ComponentChildren) => <ServicesProvider services={services}>{children}</ServicesProvider>;
  return { db, background, uploader, api, services, sent, capture, wrap, badges, wakes };
}

let counter = 0;
/** A valid stored report; created_at spaced a minute apart per call so order is known. */
export function makeReport(overrides: Partial<Report> = {}): Report {
  counter++;
  const time = new Date(Date.UTC(2026, 9, 1, 0, counter)).toISOString();
  return {
    schema_version: SCHEMA_VERSION,
    id: crypto.randomUUID(),
    created_at: time,
    updated_at: time,
    status: 'draft',
    site: 'chatgpt',
    model: { source: 'unknown' },
    expected_locale: 'en-GB',
    answer: `Answer number ${counter}: the color of the truck.`,
    include_prompt: false,
    highlights: [],
    client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
    ...overrides,
  };
}

/** Find the text node and offset for a UTF-16 offset into the container's text. */
function pointAt(container: Node, offset: number): [Node, number] {
  const walker = container.ownerDocument!.createTreeWalker(container, 4);
  let rest = offset;
  let last: Text | undefined;
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    if (rest <= n.data.length) return [n, rest];
    rest -= n.data.length;
    last = n;
  }
  if (!last) throw new Error('no text in container');
  return [last, last.data.length];
}

/** Select [start, end) of the answer as a mouse drag would, and tell listeners. */
export function selectInAnswer(container: HTMLElement, start: number, end: number) {
  const doc = container.ownerDocument;
  const range = doc.createRange();
  range.setStart(...pointAt(container, start));
  range.setEnd(...pointAt(container, end));
  const selection = doc.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  fireEvent(doc, new Event('selectionchange'));
}
