// Secrets bound to the one endpoint origin they were given for (DESIGN §9c, §8a).
//
// A drive or endpoint token lives in the `tokens` table keyed by the origin of the endpoint
// it was entered with (and the drive it belongs to). Nothing else holds a token: batches
// carry none, settings carry none. When a request is about to go out, its token is looked up
// by the origin of the URL being fetched — so a token can only ever reach the origin it is
// filed under, whatever endpoint a batch, a drive or the settings name. Owner keys follow
// the same rule: a report's secret goes only to the origin its receipt names.
import { STRICT, type Receipt, type SoundsLocalDb } from '../storage/db';
import { ownerKeyHash } from '../protocol';
import { t } from '../i18n';

export const TOKENS_KEY = 'tokens';

/** origin → (drive id, or '' for the plain endpoint) → token. */
export type TokenTable = Record<string, Record<string, string>>;

/** What the upload engine may ask for while sending; both answers depend on the request URL. */
export interface Credentials {
  /** The bearer token for a request to `requestUrl` on behalf of `driveId` (none: the plain endpoint). */
  bearer(requestUrl: string, driveId: string | undefined): Promise<string | undefined>;
  /** The report's owner key, only if its receipt was made for `requestUrl`'s origin. */
  ownerKey(reportId: string, requestUrl: string): Promise<string | undefined>;
}

export function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The pure lookup: the token filed under the request's own origin, or nothing. */
export function tokenForRequest(table: TokenTable, requestUrl: string, driveId: string | undefined): string | undefined {
  const origin = originOf(requestUrl);
  if (!origin) return undefined;
  const token = table[origin]?.[driveId ?? ''];
  return token || undefined;
}

export async function readTokens(db: SoundsLocalDb): Promise<TokenTable> {
  const stored = await db.get('settings', TOKENS_KEY);
  return stored && typeof stored === 'object' ? (stored as TokenTable) : {};
}

async function writeTokens(db: SoundsLocalDb, change: (table: TokenTable) => TokenTable): Promise<void> {
  const tx = db.transaction('settings', 'readwrite', STRICT);
  const current = ((await tx.store.get(TOKENS_KEY)) ?? {}) as TokenTable;
  await tx.store.put(change(current), TOKENS_KEY);
  await tx.done;
}

/** Files `token` under `endpoint`'s origin (for `driveId`, or the plain endpoint); an empty token removes it. */
export async function setToken(db: SoundsLocalDb, endpoint: string, driveId: string | undefined, token: string | undefined): Promise<void> {
  const origin = originOf(endpoint);
  if (!origin) throw new Error(t('errNotEndpointAddress', endpoint));
  const key = driveId ?? '';
  await writeTokens(db, (table) => {
    const forOrigin = { ...table[origin] };
    if (token?.trim()) forOrigin[key] = token.trim();
    else delete forOrigin[key];
    const next = { ...table, [origin]: forOrigin };
    if (Object.keys(forOrigin).length === 0) delete next[origin];
    return next;
  });
}

/** Whether a token is filed for this endpoint and drive (the UI shows that, never the token). */
export async function hasToken(db: SoundsLocalDb, endpoint: string, driveId: string | undefined): Promise<boolean> {
  return tokenForRequest(await readTokens(db), endpoint, driveId) !== undefined;
}

/**
 * An endpoint changed from `previous` to `next`: the token given for the previous one is
 * dropped unless both share an origin (the token was issued for that origin, not the path).
 */
export async function endpointChanged(db: SoundsLocalDb, previous: string | undefined, next: string | undefined, driveId: string | undefined): Promise<void> {
  if (!previous) return;
  if (next && originOf(previous) === originOf(next)) return;
  await setToken(db, previous, driveId, undefined);
}

export function createIdbCredentials(db: SoundsLocalDb): Credentials {
  return {
    async bearer(requestUrl, driveId) {
      return tokenForRequest(await readTokens(db), requestUrl, driveId);
    },
    async ownerKey(reportId, requestUrl) {
      const receipt: Receipt | undefined = await db.get('receipts', reportId);
      if (!receipt) return undefined;
      const origin = originOf(requestUrl);
      return origin && originOf(receipt.endpoint) === origin ? receipt.secret : undefined;
    },
  };
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A fresh owner key: 32 random bytes (hex) and the SHA-256 (hex) that is sent as `owner_key_hash`. */
export async function newOwnerKey(): Promise<{ secret: string; hash: string }> {
  const secret = hex(crypto.getRandomValues(new Uint8Array(32)));
  // The receiver hashes the Owner-Key header the same way (lib/protocol's one definition).
  return { secret, hash: await ownerKeyHash(secret) };
}
