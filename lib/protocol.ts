// The upload protocol `sounds-local/upload@1` (DESIGN.md §8): the one definition shared by
// the extension's upload engine (lib/upload/) and the reference receiver (server/).
import { z } from './zod';
import { CATEGORIES, ClientInfo, LIMITS, SEVERITIES } from './report';
import { t } from './i18n';

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
/** A contributor pseudonym: random, URL-safe (e.g. 16 random bytes in base64url). */
export const CONTRIBUTOR_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const UploadRequest = z.strictObject({
  protocol: z.literal(PROTOCOL, { message: `protocol must be "${PROTOCOL}"` }),
  client: ClientInfo,
  drive_id: z.string().min(1).max(LIMITS.driveId).optional(),
  /**
   * The uploader's random pseudonym for this drive (DESIGN §14), made once per install and
   * drive. The receiver stores it beside the reports so community review never shows people
   * their own reports; it is never exported, shown or linked to anything else.
   */
  contributor: z.string().regex(CONTRIBUTOR_PATTERN, { message: 'contributor must be 16–64 letters, digits, "-" or "_"' }).optional(),
  reports: z.array(z.unknown()),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/**
 * Per-report answers to an upload. `withdrawn`: the receiver holds this id as withdrawn by its
 * owner (DESIGN §8a) and did not store it again.
 */
export const RESULT_STATUSES = ['accepted', 'duplicate', 'rejected', 'withdrawn'] as const;
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

/** `Owner-Key`: the per-report secret whose SHA-256 was sent as `owner_key_hash` (DESIGN §8a). */
export const OWNER_KEY_HEADER = 'Owner-Key';

/** An owner key as sent in the header: 16–256 characters of base64url or hex (the client makes 32 random bytes). */
export const OWNER_KEY_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

/**
 * `owner_key_hash` for an owner key: lower-case hex SHA-256 of the key's text exactly as it
 * is sent in the `Owner-Key` header (its UTF-8 bytes). Web Crypto, so it runs in the
 * extension and in Node alike.
 */
export async function ownerKeyHash(ownerKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ownerKey));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** `{endpoint}/v1/reports/<id>`: DELETE withdraws, PUT replaces (both with `Owner-Key`). */
export function reportUrl(endpoint: string, id: string): string {
  return `${reportsUrl(endpoint)}/${encodeURIComponent(id)}`;
}

/** `DELETE /v1/reports/<id>` → 200: withdrawn now or before (idempotent). */
export const WithdrawResponse = z.object({ id: z.string(), status: z.literal('withdrawn') });
export type WithdrawResponse = z.infer<typeof WithdrawResponse>;

/**
 * `PUT /v1/reports/<id>` → 200: `updated` (stored report replaced), `duplicate` (the stored
 * one has an equal or later `updated_at`; nothing changed), `withdrawn` (withdrawn before;
 * not stored again).
 */
export const UpdateResponse = z.object({ id: z.string(), status: z.enum(['updated', 'duplicate', 'withdrawn']) });
export type UpdateResponse = z.infer<typeof UpdateResponse>;

/** Any non-200 answer from a receiver carries a readable `error`. */
export const ErrorResponse = z.object({ error: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

const counts = z.record(z.string(), z.int().nonnegative());
const count = z.int().nonnegative();

/**
 * `GET /v1/stats?drive=<id>`: progress counts for a drive (or for everything without `drive`).
 * For a drive that `requires_token`, the request needs `Authorization: Bearer <token>` (401
 * otherwise). Withdrawn reports count nowhere except `by_status.withdrawn`.
 * - `reports`: distinct reports stored now.
 * - `highlights`: marks in those reports.
 * - `by_locale`: stored reports per `expected_locale`; a receiver may list only the most
 *   common tags and sum the rest under `other` (the reference receiver: top 50), so that
 *   private-use tags can't inflate the answer. `other` is never a locale tag.
 * - `by_category`: marks (highlights) per category code.
 * - `by_severity`: marks per severity.
 * - `by_status`: how submissions were answered (`withdrawn`/`updated`: owner requests).
 * - `by_day`: per UTC day a report first arrived, oldest first: reports and marks stored now.
 * - `drive`: for a drive this receiver hosts, what progress is measured against.
 * The fields after `by_status` came with drives; old receivers omit them (hence optional).
 */
export const StatsResponse = z.object({
  drive_id: z.string().nullable(),
  reports: count,
  highlights: count.optional(),
  by_locale: counts,
  by_category: z.partialRecord(z.enum(CATEGORIES), count),
  by_severity: z.partialRecord(z.enum(SEVERITIES), count).optional(),
  by_status: z.object({
    accepted: count,
    duplicate: count,
    rejected: count,
    withdrawn: count.optional(),
    updated: count.optional(),
  }),
  by_day: z.array(z.object({ day: z.iso.date(), reports: count, highlights: count })).optional(),
  drive: z
    .object({
      name: z.string(),
      goal_reports: count.nullable(),
      state: z.enum(['upcoming', 'active', 'ended', 'closed']),
    })
    .optional(),
  /**
   * Community review (DESIGN §14), for a drive this receiver hosts: its marks by status under
   * the drive's `min_votes` (pending includes marks nobody voted on yet).
   */
  review: z.object({ min_votes: count, validated: count, pending: count, rejected: count }).optional(),
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
  if (raw === '') return { ok: false, error: t('errEndpointEmpty') };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: t('errNotWebAddress', raw) };
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !local)
    return {
      ok: false,
      error: t('errHttpsOnly', `https://${url.host}${url.pathname === '/' ? '' : url.pathname}`),
    };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, error: t('errEndpointScheme', url.protocol) };
  // Credentials in the URL would be stored and shown in plain text; drives have a token field.
  if (url.username || url.password) return { ok: false, error: t('errEndpointCredentials') };
  if (url.search || url.hash) return { ok: false, error: t('errEndpointQuery') };
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
