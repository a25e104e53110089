// Splitting reports into request bodies of at most MAX_BATCH_REPORTS reports and
// MAX_BATCH_BYTES bytes, and the backoff arithmetic. Pure functions.
import { PROTOCOL } from '../protocol';
import type { ClientInfo, UploadedReport } from '../report';
import type { UploadConfig } from './types';

export const DEFAULT_CONFIG: UploadConfig = {
  timeoutMs: 30_000,
  // Chrome fires alarms at most every 30 s, so shorter first delays would not happen anyway.
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  maxRetryAfterMs: 24 * 60 * 60_000,
  maxAttempts: 30,
};

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/**
 * The request body for a batch: one function, so the size planned is the size sent. The
 * contributor pseudonym only ever travels with a drive's batch (DESIGN §14).
 */
export function requestBody(client: ClientInfo, driveId: string | undefined, payload: readonly UploadedReport[], contributor?: string): string {
  return JSON.stringify({ protocol: PROTOCOL, client, drive_id: driveId, contributor: driveId ? contributor : undefined, reports: payload });
}

/**
 * Greedy, in order: a batch closes when one more report would pass either limit. A single
 * report bigger than `maxBytes` on its own travels alone; if the receiver refuses it (413)
 * it is marked failed with that reason.
 */
export function planBatches<T extends UploadedReport>(
  payload: readonly T[],
  client: ClientInfo,
  driveId: string | undefined,
  limits: { maxReports: number; maxBytes: number },
  contributor?: string,
): T[][] {
  const envelope = utf8Bytes(requestBody(client, driveId, [], contributor));
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = envelope;
  for (const report of payload) {
    const size = utf8Bytes(JSON.stringify(report));
    // Every report after the first in a batch also costs a comma.
    if (current.length > 0 && (current.length >= limits.maxReports || bytes + 1 + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = envelope;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(report);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Capped exponential backoff with full jitter: a uniform wait in [0, min(cap, base·2^(attempt−1))). */
export function backoffDelay(attempt: number, config: Pick<UploadConfig, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const window = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * window);
}

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
