// The private backup of withdraw keys (DESIGN §8a, §11): the per-report owner keys that let
// the member withdraw or correct an uploaded report, in a file of their own. The reports
// JSONL is the file people share with organisers, so it never carries a key; this file is
// the one to keep private. Importing it after the reports (reinstall, another browser)
// gives those reports their ownership back.
import { z } from './zod';
import { t } from './i18n';
import { LIMITS, describeIssues } from './report';
import { MAX_OWNER_KEYS_CHARS } from './limits';
import { ownerKeyHash, validateEndpoint } from './protocol';
import type { Receipt } from './storage/db';

export const OWNER_KEYS_FORMAT = 'sounds-local-withdraw-keys';
export const OWNER_KEYS_VERSION = 1;
export const MAX_OWNER_KEYS = 50_000;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: () => t('errOwnerKeysHex') });

/** One report's withdraw key and what the receiver held when the file was made. */
export const OwnerKeyEntry = z.strictObject({
  report_id: z.uuid(),
  endpoint: z.string().max(2048),
  /** 32 random bytes, hex: the Owner-Key header. */
  secret: hex64,
  /** SHA-256 of `secret`, hex: what went out on the report. Checked on import. */
  owner_key_hash: hex64,
  drive_id: z.string().min(1).max(LIMITS.driveId).optional(),
  remote: z.enum(['pending', 'accepted', 'updated', 'withdrawing', 'withdrawn']),
  sent_updated_at: z.iso.datetime({ error: () => t('errIsoUtc') }).optional(),
});
export type OwnerKeyEntry = z.infer<typeof OwnerKeyEntry>;

export const OwnerKeysFile = z.strictObject({
  format: z.literal(OWNER_KEYS_FORMAT),
  version: z.literal(OWNER_KEYS_VERSION),
  exported_at: z.iso.datetime(),
  /** The same plain warning the options page shows, for whoever opens the file. */
  warning: z.string().max(2000).optional(),
  keys: z.array(OwnerKeyEntry).max(MAX_OWNER_KEYS),
});
export type OwnerKeysFile = z.infer<typeof OwnerKeysFile>;

/** The file's text: one receipt per uploaded report, in report id order. */
export function ownerKeysFileText(receipts: readonly Receipt[], now: Date): string {
  const keys: OwnerKeyEntry[] = [...receipts]
    .sort((a, b) => (a.report_id < b.report_id ? -1 : a.report_id > b.report_id ? 1 : 0))
    .map((r) => ({
      report_id: r.report_id,
      endpoint: r.endpoint,
      secret: r.secret,
      owner_key_hash: r.owner_key_hash,
      ...(r.drive_id ? { drive_id: r.drive_id } : {}),
      remote: r.remote,
      ...(r.sent_updated_at ? { sent_updated_at: r.sent_updated_at } : {}),
    }));
  const file: OwnerKeysFile = {
    format: OWNER_KEYS_FORMAT,
    version: OWNER_KEYS_VERSION,
    exported_at: now.toISOString(),
    warning: t('ownerKeysWarning'),
    keys,
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

export type ParsedOwnerKeys = { ok: true; receipts: Receipt[] } | { ok: false; error: string; problems: string[] };

/**
 * Reads a withdraw-keys file as a whole: any malformed entry, a key that doesn't hash to its
 * `owner_key_hash`, an endpoint the upload client would refuse or a format version this
 * build doesn't know refuses the whole file, so an import either restores what it can
 * check or changes nothing.
 */
export async function parseOwnerKeysFile(text: string): Promise<ParsedOwnerKeys> {
  const refuse = (error: string, problems: string[] = []): ParsedOwnerKeys => ({ ok: false, error, problems });
  if (text.length > MAX_OWNER_KEYS_CHARS) return refuse(t('errOwnerKeysNotFile'));
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    return refuse(t('errOwnerKeysNotFile'), [`${t('errNotJson')}: ${(error as Error).message}`]);
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== OWNER_KEYS_FORMAT) return refuse(t('errOwnerKeysNotFile'));
  if (head.version !== OWNER_KEYS_VERSION) return refuse(t('errOwnerKeysVersion', String(JSON.stringify(head.version) ?? '?')));
  const parsed = OwnerKeysFile.safeParse(json);
  if (!parsed.success) return refuse(t('errOwnerKeysInvalid'), describeIssues(parsed.error).slice(0, 20));

  const problems: string[] = [];
  const seen = new Set<string>();
  const receipts: Receipt[] = [];
  for (const [i, entry] of parsed.data.keys.entries()) {
    const where = `keys[${i}]`;
    if (seen.has(entry.report_id)) problems.push(`${where}: ${t('errOwnerKeysDuplicate', entry.report_id)}`);
    seen.add(entry.report_id);
    const endpoint = validateEndpoint(entry.endpoint);
    if (!endpoint.ok) problems.push(`${where}.endpoint: ${endpoint.error}`);
    if ((await ownerKeyHash(entry.secret)) !== entry.owner_key_hash) problems.push(`${where}: ${t('errOwnerKeysHash', entry.report_id)}`);
    if (endpoint.ok) receipts.push({ ...entry, endpoint: endpoint.url });
  }
  if (problems.length) return refuse(t('errOwnerKeysInvalid'), problems.slice(0, 20));
  return { ok: true, receipts };
}

/**
 * The state a restored receipt starts in. `withdrawing` means a DELETE was queued in the
 * other browser's outbox, which did not come along: the report counts as uploaded again,
 * so the member can withdraw it from here (DELETE is idempotent on the receiver).
 */
export function restoredRemote(remote: Receipt['remote']): Receipt['remote'] {
  return remote === 'withdrawing' ? 'accepted' : remote;
}
