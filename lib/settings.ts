// User settings, kept in the background's IndexedDB `settings` store and validated on
// every write so a bad value is refused with a reason instead of half-applied.
import { z } from './zod';
import { LocaleTag } from './report';
import type { SoundsLocalDb } from './storage/db';
import { STRICT } from './storage/db';
import { endpointChanged } from './upload/credentials';

export const Settings = z.strictObject({
  /** The locale new reports should have matched; chosen at first run. */
  default_locale: LocaleTag.optional(),
  /**
   * Community endpoint for reports that belong to no drive (validated by lib/protocol's
   * validateEndpoint). Its token is not here: tokens live in lib/upload/credentials.ts,
   * filed under the endpoint's origin, so they can't follow a changed endpoint.
   */
  endpoint: z.string().max(2048).optional(),
  /** Endpoints the user has agreed to send reports to (consent asked once each). */
  consented_endpoints: z.array(z.string().max(2048)).max(100).default([]),
});
export type Settings = z.infer<typeof Settings>;

const KEY = 'user';

export async function readSettings(db: SoundsLocalDb): Promise<Settings> {
  const stored = await db.get('settings', KEY);
  const parsed = Settings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : Settings.parse({});
}

export async function writeSettings(db: SoundsLocalDb, patch: Record<string, unknown>): Promise<Settings> {
  const current = await readSettings(db);
  const next = Settings.parse({ ...current, ...patch });
  const tx = db.transaction('settings', 'readwrite', STRICT);
  await Promise.all([tx.store.put(next, KEY), tx.done]);
  // The token given for the old endpoint stays with the old endpoint's origin: it is dropped.
  if (current.endpoint !== next.endpoint) await endpointChanged(db, current.endpoint, next.endpoint, undefined);
  return next;
}

/** Per-install salt for conversation refs: made once, never leaves the machine. */
export async function installSalt(db: SoundsLocalDb): Promise<string> {
  const existing = await db.get('settings', 'salt');
  if (typeof existing === 'string') return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const salt = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  const tx = db.transaction('settings', 'readwrite', STRICT);
  await Promise.all([tx.store.put(salt, 'salt'), tx.done]);
  return salt;
}

/** Salted SHA-256 of the site's conversation id: groups reports without revealing the id. */
export async function conversationRef(salt: string, site: string, conversationId: string): Promise<string> {
  const data = new TextEncoder().encode(`${salt}:${site}:${conversationId}`);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
