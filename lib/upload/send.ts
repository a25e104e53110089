// One POST of one batch, and what its answer means (DESIGN.md §8). No storage here: the
// engine decides what to do with the classification.
import { z } from '../zod';
import { OWNER_KEY_HEADER, reportUrl, reportsUrl } from '../protocol';
import { parseRetryAfter, requestBody } from './batching';
import type { Credentials } from './credentials';
import type { UploadBatch } from './types';
import { formatByteSize, formatNumber, t } from '../i18n';

/**
 * One report's answer. Parsed leniently: besides accepted/duplicate/rejected a receiver
 * answers `updated` (PUT), `withdrawn` (DELETE, or a POST of a withdrawn id), and a newer
 * receiver may add statuses an old client must survive (the engine keeps those queued).
 */
const ResultLine = z.object({ id: z.string(), status: z.string(), reason: z.string().optional() });
export type UploadResult = z.infer<typeof ResultLine>;
const UploadResponse = z.object({ results: z.array(ResultLine) });

export type SendOutcome =
  /** A well-formed 200: per-report results (possibly incomplete or with strangers). */
  | { kind: 'results'; results: UploadResult[] }
  /** Worth trying again later with the same key and body; `error` says what happened (no trailing period). */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** 413: the body is too large for the receiver. */
  | { kind: 'too_large'; error: string }
  /** Retrying can't help; the user has to act (endpoint, …). */
  | { kind: 'fatal'; error: string }
  /** 401: the token is missing, wrong or revoked. The batch waits for a new token. */
  | { kind: 'unauthorized'; error: string }
  /** The caller's signal stopped the request. */
  | { kind: 'stopped' };

const MAX_ERROR_TEXT = 300;

/**
 * The most of an endpoint's answer we read. Upload results for a full batch (≤ 100 reports)
 * are a few kB; a larger answer is a misbehaving or hostile endpoint, and reading it whole
 * once cost ~1 GB of memory for a 300 MB body.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export async function sendBatch(
  batch: UploadBatch,
  options: { fetch: typeof fetch; timeoutMs: number; now: () => number; signal?: AbortSignal; credentials?: Credentials; maxResponseBytes?: number },
): Promise<SendOutcome> {
  if (options.signal?.aborted) return { kind: 'stopped' };
  const kind = batch.kind ?? 'upload';
  const reportId = batch.report_ids[0] ?? '';
  const url = kind === 'upload' ? reportsUrl(batch.endpoint) : reportUrl(batch.endpoint, reportId);
  const headers: Record<string, string> = { 'Idempotency-Key': batch.id };
  // Looked up by the URL about to be fetched: a token filed for another origin can't be found.
  const token = await options.credentials?.bearer(url, batch.drive_id);
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (kind === 'upload') body = requestBody(batch.client, batch.drive_id, batch.payload, batch.contributor);
  else if (kind === 'update') body = JSON.stringify(batch.payload[0]);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (kind !== 'upload') {
    const key = await options.credentials?.ownerKey(reportId, url);
    if (!key) return { kind: 'fatal', error: t('errOwnerKeyMissing') };
    headers[OWNER_KEY_HEADER] = key;
  }
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
  // Ours to pull when the answer grows past the cap: stops the download, not just the reading.
  const tooLong = new AbortController();
  const signal = AbortSignal.any([timeout.signal, tooLong.signal, ...(options.signal ? [options.signal] : [])]);
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const seconds = formatNumber(Math.round(options.timeoutMs / 100) / 10);
  try {
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: kind === 'upload' ? 'POST' : kind === 'update' ? 'PUT' : 'DELETE',
        headers,
        body,
        signal,
        // A redirect target is not the endpoint the user agreed to (nor one we hold a host
        // permission for): report it instead of following.
        redirect: 'manual',
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if (options.signal?.aborted) return { kind: 'stopped' };
      if (timeout.signal.aborted) return { kind: 'retry', error: t('errEndpointNoAnswer', seconds) };
      return { kind: 'retry', error: t('errEndpointUnreachable', describeNetworkError(error)) };
    }

    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400))
      return {
        kind: 'fatal',
        error: response.status ? t('errEndpointRedirectStatus', String(response.status)) : t('errEndpointRedirect'),
      };
    let text: string;
    try {
      const read = await readCapped(response, maxBytes);
      if (read === undefined) {
        tooLong.abort();
        // A retry, not a failure: the reports stay queued and nothing is lost if the
        // endpoint is fixed; after the attempts run out they are marked failed with this text.
        return {
          kind: 'retry',
          error: t('errEndpointAnswerTooLarge', [String(response.status), formatByteSize(maxBytes)]),
        };
      }
      text = read;
    } catch {
      if (options.signal?.aborted) return { kind: 'stopped' };
      if (timeout.signal.aborted) return { kind: 'retry', error: t('errEndpointStopped', seconds) };
      return { kind: 'retry', error: t('errEndpointConnectionBroke', String(response.status)) };
    }
    if (kind !== 'upload') return classifySingle(kind, reportId, response.status, text, response.headers.get('Retry-After'), options.now());
    return classify(response.status, text, response.headers.get('Retry-After'), options.now());
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as text, read chunk by chunk; `undefined` as soon as it exceeds `maxBytes`
 * (the reader is cancelled, so nothing more is buffered).
 */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** What an HTTP answer means for the batch. */
export function classify(status: number, body: string, retryAfter: string | null, now: number): SendOutcome {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'retry', error: t('errEndpointNotJson', [String(status), snippet(body)]) };
    }
    const parsed = UploadResponse.safeParse(json);
    if (!parsed.success) return { kind: 'retry', error: t('errEndpointNotResults', [String(status), snippet(body)]) };
    return { kind: 'results', results: parsed.data.results };
  }
  const said = serverMessage(body);
  const detail = saidDetail(said);
  const retryAfterMs = parseRetryAfter(retryAfter, now);
  if (status === 408) return { kind: 'retry', error: t('errEndpoint408'), retryAfterMs };
  if (status === 429) return { kind: 'retry', error: t('errEndpoint429', detail), retryAfterMs };
  if (status >= 500) return { kind: 'retry', error: t('errEndpoint5xx', [String(status), detail]), retryAfterMs };
  if (status === 413) return { kind: 'too_large', error: t('errEndpoint413', detail) };
  if (status === 401) return { kind: 'unauthorized', error: fatalMessage(status, detail) };
  if (status === 403 && said && /closed/i.test(said)) return { kind: 'fatal', error: t('errEndpoint403DriveClosed', said) };
  return { kind: 'fatal', error: fatalMessage(status, detail) };
}

/** PUT and DELETE answer for one report: `{ id, status }`, 403 for a wrong owner key, 404 for an unknown id. */
function classifySingle(kind: 'update' | 'withdraw', id: string, status: number, body: string, retryAfter: string | null, now: number): SendOutcome {
  if (status >= 200 && status < 300) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { kind: 'retry', error: t('errEndpointNotJson', [String(status), snippet(body)]) };
    }
    const parsed = ResultLine.safeParse(json);
    if (!parsed.success) return { kind: 'retry', error: t('errEndpointNotStatus', [String(status), snippet(body)]) };
    return { kind: 'results', results: [parsed.data] };
  }
  const detail = saidDetail(serverMessage(body));
  // Nothing to withdraw: the receiver never stored it (or forgot it). Either way it isn't served.
  if (kind === 'withdraw' && status === 404) return { kind: 'results', results: [{ id, status: 'withdrawn' }] };
  if (status === 403) return { kind: 'fatal', error: t('errEndpoint403OwnerKey', detail) };
  if (status === 404) return { kind: 'fatal', error: t('errEndpoint404Report', detail) };
  return classify(status, body, retryAfter, now);
}

function fatalMessage(status: number, detail: string): string {
  switch (status) {
    case 400:
      return t('errEndpoint400', detail);
    case 401:
      return t('errEndpoint401', detail);
    case 403:
      return t('errEndpoint403', detail);
    case 404:
      return t('errEndpoint404', detail);
    case 422:
      return t('errEndpoint422', detail);
    default:
      return t('errEndpointNotAccepted', [String(status), detail]);
  }
}

/** The receiver's own `{ "error": "…" }` text, shortened, if it sent one. */
function serverMessage(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { error?: unknown };
    if (typeof json?.error === 'string' && json.error.trim()) return shorten(json.error.trim());
  } catch {
    // Not JSON: HTML error pages from proxies say nothing useful to a user.
  }
  return undefined;
}

/** The receiver's words, quoted for the end of a sentence (` (“…”)`), or nothing. */
function saidDetail(said: string | undefined): string {
  return said ? t('errEndpointSaid', said) : '';
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? t('errBodyBegan', shorten(flat, 60)) : t('errBodyEmpty');
}

function shorten(text: string, max = MAX_ERROR_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describeNetworkError(error: unknown): string {
  // Node's fetch hides the reason in `cause` (ECONNREFUSED, ECONNRESET, …); browsers say only "Failed to fetch".
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.message) return shorten(error.message, 80);
  return t('errNetwork');
}
