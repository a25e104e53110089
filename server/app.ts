// The reference receiver's HTTP layer (DESIGN.md §8, §10), on plain `node:http`.
//   POST    /v1/reports       a batch of reports → per-report results
//   DELETE  /v1/reports/<id>  withdraw, PUT /v1/reports/<id> replace (Owner-Key; withdraw.ts)
//   GET     /v1/stats?drive=  progress counts                      (drive-routes.ts)
//   GET     /v1/drives/<id>   a drive manifest this receiver hosts  (drive-routes.ts)
//   GET     /v1/drives?code=  the manifest for a join code          (drive-routes.ts)
//   GET     /drives/<id>      the public drive page (HTML)          (drive-routes.ts)
//   GET     /v1/health        liveness
//   OPTIONS *                 CORS preflight for extension origins
// lib/'s messages (validation problems in upload results) in English, read from public/_locales.
import '../lib/i18n-node';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_BATCH_REPORTS, PROTOCOL, UploadRequest, type UploadResponse, type UploadResult } from '../lib/protocol';
import { compile } from 'zod/v4/core';
import { UploadedReport, describeIssues } from '../lib/report';
import type { DriveDirectory } from './drives';
import { DRIVE_ID } from './drives';
import { driveRoutes, unauthorized } from './drive-routes';
import { reportRoutes } from './withdraw';
import { reviewRoutes } from './review-routes';
import { REVIEW_VOTES_PATH } from '../lib/review';
import type { FaultInjector, FaultKind } from './fault';
import { DEFAULT_GUARD, Guard, discardBody, readJsonBody, serverOptions, type GuardSettings } from './guard';
import type { ReceiverStore, Submission } from './store';
import { HttpError, bearer, header, sendJson } from './http';

export const DEFAULT_MAX_BODY_BYTES = 2_000_000;

export interface ReceiverOptions {
  store: ReceiverStore;
  drives: DriveDirectory;
  /** Request bodies above this many bytes are answered 413. */
  maxBodyBytes?: number;
  /** When set, uploads that no hosted drive vouches for need one of these bearer tokens. */
  uploadTokens?: readonly string[];
  fault?: FaultInjector;
  /** Host check, rate limits, connection caps and timeouts (guard.ts); default DEFAULT_GUARD. */
  guard?: GuardSettings;
  /** One short line per request; pass `() => {}` to stay quiet. */
  log?: (line: string) => void;
}

/** Extension pages and background workers; web pages get no CORS grant. */
const EXTENSION_ORIGIN = /^(?:chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]+$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;
const MAX_REASON = 1_000;

/**
 * The report schema compiled ahead of time into one generated function (zod's `compile`):
 * about 3× faster than the interpreted schema on valid reports. A report it can't accept
 * falls through to the interpreted schema, so rejections carry the same reasons. Only the
 * receiver does this: the extension's CSP forbids generated code.
 */
const ReportOnReceiver = compile(UploadedReport);

export function createReceiver(options: ReceiverOptions): Server {
  const log = options.log ?? ((line: string) => console.log(line));
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const guard = new Guard(options.guard ?? DEFAULT_GUARD);
  const server = createServer(serverOptions(guard.settings), (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const note: string[] = [];
    res.on('close', () => {
      const status = res.writableFinished ? String(res.statusCode) : 'dropped';
      log(`${req.method} ${url.pathname.slice(0, 100)} ${status} ${Math.round(performance.now() - started)}ms${note.length ? ' ' + note.join(' ') : ''}`);
    });
    cors(req, res);
    // Host, rate, connection and upload caps, declared size: before any body is read (guard.ts).
    // A PUT of an edited report (withdraw.ts) carries a report too: it is charged and read like one,
    // and so are a reviewer's votes (review-routes.ts).
    const isUpload =
      (req.method === 'POST' && url.pathname.replace(/\/+$/, '') === '/v1/reports') ||
      (req.method === 'PUT' && /^\/v1\/reports\/[^/]+\/?$/.test(url.pathname)) ||
      (req.method === 'POST' && url.pathname.replace(/\/+$/, '') === REVIEW_VOTES_PATH);
    const refusal = guard.screen(req, res, isUpload, maxBodyBytes);
    if (refusal) {
      note.push('refused');
      // At once: Node reads away the unread body after the answer on a kept-alive connection.
      return sendJson(res, refusal.status, { error: refusal.message }, refusal.headers);
    }
    // Only uploads and review votes have a body worth reading; any other request's body is read away first.
    (isUpload ? Promise.resolve() : discardBody(req, maxBodyBytes))
      .then(() => route(req, res, url, note))
      .catch((error: unknown) => {
        if (error instanceof HttpError)
          return void discardBody(req, maxBodyBytes).then(() => sendJson(res, error.status, { error: error.message }, error.headers));
        log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'The receiver failed to handle this request; it was not stored. Try again later.' });
        else res.destroy();
      });
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, note: string[]) {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'OPTIONS') return preflight(req, res);
    if (path === '/v1/reports') {
      if (req.method !== 'POST') throw new HttpError(405, 'Use POST to upload reports.', { Allow: 'POST, OPTIONS' });
      return upload(req, res, note);
    }
    if (await driveRoutes(req, res, url, path, options)) return;
    if (await reportRoutes(req, res, path, { store: options.store, readBody: readReportBody, authorize }, note)) return;
    if (await reviewRoutes(req, res, url, path, { store: options.store, drives: options.drives, readBody: readReportBody })) return;
    if (path === '/v1/health') return sendJson(res, 200, { ok: true });
    throw new HttpError(404, `Nothing here: ${path.slice(0, 200)}. The upload endpoint is POST /v1/reports.`);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, note: string[]) {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType))
      throw new HttpError(415, `Send the batch as JSON (Content-Type: application/json), not "${contentType.slice(0, 100)}".`);
    const key = header(req, 'idempotency-key');
    if (!key) throw new HttpError(400, 'The Idempotency-Key header is missing; send one UUID per batch and keep it across retries.');
    if (!IDEMPOTENCY_KEY.test(key)) throw new HttpError(400, 'The Idempotency-Key must be 8–128 letters, digits, "-" or "_" (a UUID is ideal).');
    note.push(`key=${key.slice(0, 8)}`);

    const body = await readJsonBody(req, maxBodyBytes, (status, message) => new HttpError(status, message), PROTOCOL);
    guard.chargeBody(req, body.length);

    const fault = options.fault?.pick();
    if (fault) note.push(`fault=${fault}`);
    if (fault && faultBefore(fault, res, options.fault!)) return;

    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new HttpError(400, `The request body is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
    }
    if (json && typeof json === 'object' && Array.isArray((json as { reports?: unknown }).reports)) {
      const n = (json as { reports: unknown[] }).reports.length;
      if (n > MAX_BATCH_REPORTS) throw new HttpError(413, `This batch has ${n} reports; this endpoint accepts at most ${MAX_BATCH_REPORTS} per request.`);
    }
    const envelope = UploadRequest.safeParse(json);
    if (!envelope.success) throw new HttpError(400, `This is not a sounds-local/upload@1 request: ${describeIssues(envelope.error).join('; ')}`);
    const request = envelope.data;
    authorize(req, request.drive_id);

    const items: Submission['items'] = request.reports.map((candidate, index) => {
      const parsed = ReportOnReceiver.safeParse(candidate);
      if (!parsed.success) return { rejected: rejection(candidate, index, describeIssues(parsed.error).join('; ')) };
      const report = parsed.data;
      if ((report.drive_id ?? null) !== (request.drive_id ?? null))
        return {
          rejected: rejection(candidate, index, `drive_id "${report.drive_id ?? ''}" does not match the batch's drive "${request.drive_id ?? ''}"`),
        };
      return { report };
    });

    const outcome = await options.store.submit({
      idempotencyKey: key,
      bodyHash: createHash('sha256').update(body).digest('hex'),
      driveId: request.drive_id ?? null,
      items,
      receivedAt: new Date().toISOString(),
      contributor: request.contributor ?? null,
    });
    if (outcome.kind === 'key_conflict') throw new HttpError(422, 'This Idempotency-Key was already used for a different batch; a new batch needs a new key.');
    note.push(summary(outcome.response) + (outcome.kind === 'replayed' ? ' replayed' : ''));

    if (fault === 'drop-after') return void res.destroy();
    if (fault === 'stall-after') {
      // Hold the answer until the client gives up (its socket closes) or stallMs passes.
      const timer = setTimeout(() => res.destroy(), options.fault!.options.stallMs);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    sendJson(res, 200, outcome.response, outcome.kind === 'replayed' ? { 'Idempotent-Replayed': 'true' } : {});
  }

  async function readReportBody(req: IncomingMessage): Promise<Buffer> {
    const body = await readJsonBody(req, maxBodyBytes, (status, message) => new HttpError(status, message));
    guard.chargeBody(req, body.length);
    return body;
  }

  /** Hosted drives that require a token check it; otherwise the server-wide tokens, if any. */
  function authorize(req: IncomingMessage, driveId: string | undefined) {
    const token = bearer(req);
    // An id that can't be a file name here belongs to a drive hosted elsewhere.
    if (driveId && DRIVE_ID.test(driveId)) {
      const found = options.drives.find(driveId);
      if (!found.ok) throw new HttpError(400, found.error);
      if (found.drive?.closedAt) throw new HttpError(403, 'drive closed');
      if (found.drive?.requiresToken) {
        if (!options.drives.acceptsToken(driveId, token)) throw unauthorized(driveId, token);
        return;
      }
      if (found.drive) return;
    }
    if (options.uploadTokens?.length && !(token && options.uploadTokens.includes(token)))
      throw new HttpError(401, token ? 'The access token is not valid for this receiver.' : 'This receiver needs an access token (Authorization: Bearer …).', {
        'WWW-Authenticate': 'Bearer',
      });
  }

  function faultBefore(fault: FaultKind, res: ServerResponse, injector: FaultInjector): boolean {
    switch (fault) {
      case 'error-500':
        sendJson(res, 500, { error: 'Injected fault: internal error (nothing stored).' });
        return true;
      case 'error-503':
        sendJson(res, 503, { error: 'Injected fault: service unavailable (nothing stored).' });
        return true;
      case 'throttle-429':
        sendJson(res, 429, { error: 'Injected fault: too many requests.' }, { 'Retry-After': String(injector.options.retryAfterSeconds) });
        return true;
      case 'drop-before':
        res.destroy();
        return true;
      default:
        return false;
    }
  }

  guard.attach(server);
  return server;
}

function rejection(candidate: unknown, index: number, reason: string): UploadResult {
  const id =
    candidate && typeof candidate === 'object' && typeof (candidate as { id?: unknown }).id === 'string'
      ? (candidate as { id: string }).id.slice(0, 100)
      : `#${index}`;
  return { id, status: 'rejected', reason: reason.length > MAX_REASON ? reason.slice(0, MAX_REASON - 1) + '…' : reason };
}

function summary(response: UploadResponse): string {
  const n = { accepted: 0, duplicate: 0, rejected: 0, withdrawn: 0 };
  for (const r of response.results) n[r.status]++;
  return `accepted=${n.accepted} duplicate=${n.duplicate} rejected=${n.rejected}${n.withdrawn ? ` withdrawn=${n.withdrawn}` : ''}`;
}

function cors(req: IncomingMessage, res: ServerResponse) {
  const origin = header(req, 'origin');
  res.setHeader('Vary', 'Origin');
  if (origin && EXTENSION_ORIGIN.test(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Idempotent-Replayed');
  }
}

function preflight(req: IncomingMessage, res: ServerResponse) {
  const origin = header(req, 'origin');
  if (origin && EXTENSION_ORIGIN.test(origin)) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, Owner-Key');
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
}
