// Owner requests on one uploaded report (DESIGN.md §8a):
//   DELETE /v1/reports/<id>   Owner-Key: <secret>  → 200 {"id","status":"withdrawn"}
//   PUT    /v1/reports/<id>   Owner-Key: <secret>, body: the edited report
//                             → 200 {"id","status":"updated"|"duplicate"|"withdrawn"}
// The key is checked against the stored `owner_key_hash` (SHA-256 hex of the key's text);
// wrong or missing key → 403, unknown id → 404. A withdrawal needs no drive token and works
// on closed drives (leaving must always be possible); an update is a new upload of content,
// so it needs what an upload needs: the drive's token, and a drive that is not closed.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OWNER_KEY_PATTERN, type UpdateResponse, type WithdrawResponse } from '../lib/protocol';
import { UploadedReport, describeIssues } from '../lib/report';
import { HttpError, header, sendJson } from './http';
import type { ReceiverStore } from './store';

export interface ReportRouteContext {
  store: ReceiverStore;
  /** Reads the request body within the receiver's limits (413, 408, not-JSON) and charges it to the client. */
  readBody(req: IncomingMessage): Promise<Buffer>;
  /** The upload checks for a drive (closed → 403, token → 401); throws HttpError. */
  authorize(req: IncomingMessage, driveId: string | undefined): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function reportRoutes(req: IncomingMessage, res: ServerResponse, path: string, ctx: ReportRouteContext, note: string[]): Promise<boolean> {
  const match = /^\/v1\/reports\/([^/]+)$/.exec(path);
  if (!match) return false;
  const id = match[1]!;
  if (!UUID.test(id)) throw new HttpError(404, `No report "${id.slice(0, 100)}" here: report ids are UUIDs.`);
  if (req.method !== 'DELETE' && req.method !== 'PUT')
    throw new HttpError(405, 'Use DELETE to withdraw a report or PUT to replace it, with its Owner-Key.', { Allow: 'DELETE, PUT, OPTIONS' });

  const key = header(req, 'owner-key');
  if (!key) throw new HttpError(403, 'The Owner-Key header is missing: only the person who uploaded a report can change it.');
  if (!OWNER_KEY_PATTERN.test(key)) throw new HttpError(403, 'This Owner-Key is not valid for this report.');
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  const now = new Date().toISOString();

  if (req.method === 'DELETE') {
    const outcome = await ctx.store.withdraw(id, hash, now);
    note.push(`withdraw=${outcome}`);
    if (outcome === 'unknown') throw new HttpError(404, `No report ${id} on this receiver.`);
    if (outcome === 'forbidden') throw forbidden(id);
    sendJson(res, 200, { id, status: 'withdrawn' } satisfies WithdrawResponse);
    return true;
  }

  const contentType = header(req, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType))
    throw new HttpError(415, `Send the edited report as JSON (Content-Type: application/json), not "${contentType.slice(0, 100)}".`);
  const body = await ctx.readBody(req);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  const parsed = UploadedReport.safeParse(json);
  if (!parsed.success) throw new HttpError(422, `This is not a valid sounds-local/report v1: ${describeIssues(parsed.error).join('; ').slice(0, 1_000)}`);
  const report = parsed.data;
  if (report.id !== id) throw new HttpError(400, `The report in the body has id ${report.id}, but the address names ${id}.`);
  ctx.authorize(req, report.drive_id);
  const outcome = await ctx.store.update(report, hash, now);
  note.push(`update=${outcome}`);
  if (outcome === 'unknown') throw new HttpError(404, `No report ${id} on this receiver; upload it with POST /v1/reports first.`);
  if (outcome === 'forbidden') throw forbidden(id);
  if (outcome === 'drive_mismatch')
    throw new HttpError(422, 'A report cannot move to another drive by an update; withdraw it and upload it to the other drive.');
  sendJson(res, 200, { id, status: outcome } satisfies UpdateResponse);
  return true;
}

function forbidden(id: string): HttpError {
  return new HttpError(403, `This Owner-Key does not match report ${id} (or it was uploaded without an owner key); only its uploader can change it.`);
}
