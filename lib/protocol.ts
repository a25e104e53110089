// The upload protocol `sounds-local/upload@1` (DESIGN.md §8): the one definition shared by
// the extension's upload engine (lib/upload/) and the reference receiver (server/).
import { z } from './zod';
import { CATEGORIES, ClientInfo, LIMITS } from './report';

export const PROTOCOL = 'sounds-local/upload@1' as const;

/** At most this many reports per POST; a receiver answers 413 above it. */
export const MAX_BATCH_REPORTS = 100;
/** The client keeps each serialized request body under this many UTF-8 bytes. */
export const MAX_BATCH_BYTES = 1_000_000;

export const REPORTS_PATH = '/v1/reports';
export const STATS_PATH = '/v1/stats';
export const DRIVES_PATH = '/v1/drives';

/**
 * The request envelope. `reports` is deliberately `unknown[]`: the receiver validates each
 * report on its own (with `UploadedReport` from lib/report) so one bad report is rejected
 * with its own reason while the others in the batch are accepted.
 */
export const UploadRequest = z.strictObject({
  protocol: z.literal(PROTOCOL, { message: `protocol must be "${PROTOCOL}"` }),
  client: ClientInfo,
  drive_id: z.string().min(1).max(LIMITS.driveId).optional(),
  reports: z.array(z.unknown()),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

export const RESULT_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

// Responses are parsed leniently (plain `object`, not strict): a newer receiver may add
// fields, and an old client must still read the parts it knows.
export const UploadResult = z.object({
  id: z.string(),
  status: z.enum(RESULT_STATUSES),
  reason: z.string().optional(),
});
export type UploadResult = z.infer<typeof UploadResult>;

export const UploadResponse = z.object({ results: z.array(UploadResult) });
export type UploadResponse = z.infer<typeof UploadResponse>;

/** Any non-200 answer from a receiver carries a readable `error`. */
export const ErrorResponse = z.object({ error: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

const counts = z.record(z.string(), z.int().nonnegative());

/**
 * `GET /v1/stats?drive=<id>`: progress counts for a drive (or for everything without `drive`).
 * - `reports`: distinct reports stored.
 * - `by_locale`: stored reports per `expected_locale`; a receiver may list only the most
 *   common tags and sum the rest under `other` (the reference receiver: top 50), so that
 *   private-use tags can't inflate the answer. `other` is never a locale tag.
 * - `by_category`: marks (highlights) per category code.
 * - `by_status`: how submitted reports were answered (`accepted` equals `reports`).
 */
export const StatsResponse = z.object({
  drive_id: z.string().nullable(),
  reports: z.int().nonnegative(),
  by_locale: counts,
  by_category: z.partialRecord(z.enum(CATEGORIES), z.int().nonnegative()),
  by_status: z.object({
    accepted: z.int().nonnegative(),
    duplicate: z.int().nonnegative(),
    rejected: z.int().nonnegative(),
  }),
});
export type StatsResponse = z.infer<typeof StatsResponse>;

export type EndpointCheck =
  | {
      ok: true;
      /** Normalised base URL without a trailing slash; append `/v1/reports` etc. */
      url: string;
      origin: string;
      /** The optional host permission to request for this endpoint (any port). */
      permissionPattern: string;
    }
  | { ok: false; error: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/**
 * Only `https:` endpoints, except plain `http:` to localhost / 127.0.0.1 (any port) for
 * local testing. The endpoint is a base URL: the client appends `/v1/reports`.
 */
export function validateEndpoint(input: string): EndpointCheck {
  const raw = input.trim();
  if (raw === '') return { ok: false, error: 'Enter the endpoint address, for example https://example.org/sounds-local.' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `"${raw}" is not a web address; it should start with https://.` };
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !local)
    return { ok: false, error: `Reports are only sent over https: use https://${url.host}${url.pathname === '/' ? '' : url.pathname} (plain http is allowed only for localhost and 127.0.0.1).` };
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, error: `"${url.protocol}" endpoints are not supported; use an https:// address.` };
  // Credentials in the URL would be stored and shown in plain text; drives have a token field.
  if (url.username || url.password)
    return { ok: false, error: 'The endpoint address must not contain a user name or password; enter the access token separately.' };
  if (url.search || url.hash)
    return { ok: false, error: 'The endpoint address must not contain "?" or "#" parts; give the base address only.' };
  const path = url.pathname.replace(/\/+$/, '');
  return {
    ok: true,
    url: `${url.origin}${path}`,
    origin: url.origin,
    // Host permissions ignore the path, and a pattern without a port matches every port.
    permissionPattern: `${url.protocol}//${url.hostname}/*`,
  };
}

/** `{endpoint}/v1/reports`, from a base URL that already passed `validateEndpoint`. */
export function reportsUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}${REPORTS_PATH}`;
}

export function statsUrl(endpoint: string, driveId?: string): string {
  const base = `${endpoint.replace(/\/+$/, '')}${STATS_PATH}`;
  return driveId ? `${base}?drive=${encodeURIComponent(driveId)}` : base;
}
