// The receiver's drive routes (DESIGN.md §9a):
//   GET /v1/drives/<id>          the hosted manifest (JSON, verbatim)
//   GET /v1/drives?code=<code>   the manifest of the drive with this join code
//   GET /v1/stats[?drive=<id>]   progress counts; a drive that requires a token needs it
//   GET /drives/<id>             the public drive page (HTML, server-rendered)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { driveState, formatJoinCode, joinCodeFor } from '../lib/drive';
import type { StatsResponse } from '../lib/protocol';
import { minVotesOf, statusCounts, validation } from '../lib/review';
import { renderDrivePage } from './drive-page';
import { DRIVE_ID, type DriveDirectory, type HostedDrive } from './drives';
import { HttpError, bearer, sendJson } from './http';
import type { ReceiverStore } from './store';

export interface DriveRouteContext {
  store: ReceiverStore;
  drives: DriveDirectory;
}

/** Handles the request when it is one of the drive routes; false otherwise. */
export async function driveRoutes(req: IncomingMessage, res: ServerResponse, url: URL, path: string, ctx: DriveRouteContext): Promise<boolean> {
  if (path === '/v1/stats') {
    onlyGet(req, 'stats');
    const id = url.searchParams.get('drive') || undefined;
    if (id !== undefined && !DRIVE_ID.test(id)) throw new HttpError(400, `"${id.slice(0, 140)}" is not a valid drive id.`);
    const drive = id ? lookup(ctx.drives, id, false) : undefined;
    if (drive?.requiresToken && !ctx.drives.acceptsToken(drive.id, bearer(req))) throw unauthorized(drive.id, bearer(req));
    sendJson(res, 200, await driveStats(ctx.store, id, drive), { 'Cache-Control': 'no-store' });
    return true;
  }
  if (path === '/v1/drives') {
    onlyGet(req, 'drive manifests');
    const code = url.searchParams.get('code');
    if (!code) throw new HttpError(400, 'Give the join code: GET /v1/drives?code=XXXX-XXXX, or the drive id: GET /v1/drives/<id>.');
    const found = ctx.drives.findByCode(code);
    if (!found.ok) throw new HttpError(400, found.error);
    if (!found.drive) throw new HttpError(404, `No drive on this receiver has the join code ${formatJoinCode(code)}; check it with the drive's organiser.`);
    sendManifest(res, found.drive);
    return true;
  }
  const manifestMatch = /^\/v1\/drives\/([^/]+)$/.exec(path);
  if (manifestMatch) {
    onlyGet(req, 'drive manifests');
    const drive = lookup(ctx.drives, decode(manifestMatch[1]!), true)!;
    sendManifest(res, drive);
    return true;
  }
  const pageMatch = /^\/drives\/([^/]+)$/.exec(path);
  if (pageMatch) {
    onlyGet(req, 'the drive page');
    const drive = lookup(ctx.drives, decode(pageMatch[1]!), true)!;
    if (!drive.parsed) throw new HttpError(500, `The manifest of drive "${drive.id}" on this server does not pass validation; tell the drive's organiser.`);
    // A token-protected drive shows its progress only to someone holding a token (?token=).
    const token = url.searchParams.get('token') ?? undefined;
    const showProgress = !drive.requiresToken || ctx.drives.acceptsToken(drive.id, token);
    const stats = showProgress ? await driveStats(ctx.store, drive.id, drive) : undefined;
    const page = renderDrivePage({
      manifest: drive.parsed,
      stats,
      tokenRejected: drive.requiresToken && token !== undefined && !showProgress,
      joinCode: drive.code ? joinCodeFor(drive.parsed.endpoint, drive.code) : undefined,
      acceptLanguage: typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'] : undefined,
      now: new Date(),
    });
    res.writeHead(showProgress || token === undefined ? 200 : 401, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(page.body),
      // Inline styles only; no scripts at all, so page text can never run as code.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': drive.requiresToken ? 'private, no-store' : 'public, max-age=60',
      'Content-Language': page.lang,
      // The page's words follow Accept-Language: a shared cache must keep one copy per language.
      Vary: 'Accept-Language',
    });
    res.end(page.body);
    return true;
  }
  return false;
}

/** The store's counts plus, for a drive this receiver hosts, what they are measured against. */
export async function driveStats(store: ReceiverStore, id: string | undefined, drive: HostedDrive | undefined): Promise<StatsResponse> {
  const stats = await store.stats(id);
  if (drive?.parsed) stats.drive = { name: drive.parsed.name, goal_reports: drive.parsed.goal_reports ?? null, state: driveState(drive.parsed) };
  if (drive && id) {
    // Marks with votes are judged by the drive's rule; every other stored mark is pending.
    const min_votes = minVotesOf(drive.parsed);
    const judged = statusCounts((await store.markVotes({ driveId: id })).map((v) => validation(v, min_votes)));
    const pending = Math.max(0, (stats.highlights ?? 0) - judged.validated - judged.rejected);
    stats.review = { min_votes, validated: judged.validated, pending, rejected: judged.rejected };
  }
  return stats;
}

function sendManifest(res: ServerResponse, drive: HostedDrive) {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(drive.manifest) });
  res.end(drive.manifest);
}

function lookup(drives: DriveDirectory, id: string, required: boolean): HostedDrive | undefined {
  const found = drives.find(id);
  if (!found.ok) throw new HttpError(400, found.error);
  if (!found.drive && required) throw new HttpError(404, `This receiver does not host a drive "${id.slice(0, 140)}".`);
  return found.drive;
}

export function unauthorized(driveId: string, token: string | undefined): HttpError {
  return new HttpError(
    401,
    token ? `The access token is not valid for drive "${driveId}".` : `Drive "${driveId}" needs an access token (Authorization: Bearer …).`,
    {
      'WWW-Authenticate': 'Bearer',
    },
  );
}

function onlyGet(req: IncomingMessage, what: string) {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `Use GET for ${what}.`, { Allow: 'GET, OPTIONS' });
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'The drive id in the address is not validly encoded.');
  }
}
