// Community review (DESIGN.md §14), part of the open protocol (docs/upload-protocol.md):
//   GET  /v1/review/next?drive=<id>[&contributor=<pseudonym>]   the next report for this reviewer, or 204
//   POST /v1/review/votes   {report_id, votes: [{highlight_id, vote, suggestion?}]}
// Both need `Authorization: Bearer <reviewer token>` (npm run drive -- reviewer-token <id>).
// And the review page itself (review-page.ts): GET /review?drive=<id>, its script and styles.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTRIBUTOR_PATTERN } from '../lib/protocol';
import { describeIssues, type UploadedReport } from '../lib/report';
import { REVIEW_NEXT_PATH, REVIEW_VOTES_PATH, ReviewVotesRequest, minVotesOf, pickNext } from '../lib/review';
import { DRIVE_ID, type DriveDirectory, type HostedDrive } from './drives';
import { HttpError, bearer, sendJson } from './http';
import { reviewAsset, reviewPage } from './review-page';
import type { ReceiverStore } from './store';

export interface ReviewRouteContext {
  store: ReceiverStore;
  drives: DriveDirectory;
  /** Reads a JSON body within the receiver's limits (app.ts: size cap, guard accounting). */
  readBody(req: IncomingMessage): Promise<Buffer>;
}

/** What the review page and other clients get for one report: never the uploader's identity or owner key. */
export interface ReviewNextResponse {
  report: UploadedReport;
  drive: { id: string; name: string; min_votes: number };
  /** Reports left for this reviewer, this one included. */
  remaining: number;
}

export async function reviewRoutes(req: IncomingMessage, res: ServerResponse, url: URL, path: string, ctx: ReviewRouteContext): Promise<boolean> {
  if (path === REVIEW_NEXT_PATH) {
    if (req.method !== 'GET') throw new HttpError(405, 'Use GET for the next report to review.', { Allow: 'GET' });
    const drive = hostedDrive(ctx.drives, url.searchParams.get('drive'));
    const reviewer = reviewerFor(ctx.drives, drive, req);
    const contributor = url.searchParams.get('contributor');
    if (contributor) {
      if (!CONTRIBUTOR_PATTERN.test(contributor))
        throw new HttpError(400, 'contributor must be your 16–64 character contributor id from the extension (letters, digits, "-" or "_").');
      await ctx.store.linkContributor(reviewer.id, contributor);
    }
    const own = await ctx.store.reviewerContributors(reviewer.id);
    const candidates = await ctx.store.reviewCandidates(drive.id, reviewer.id);
    const next = pickNext(candidates, { locales: reviewer.locales, contributors: own });
    if (!next) {
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      return true;
    }
    const stored = await ctx.store.reviewReport(next.id);
    if (!stored) throw new HttpError(503, 'That report was withdrawn a moment ago; ask again.', { 'Retry-After': '1' });
    const ownSet = new Set(own);
    const remaining = candidates.filter((c) => !c.votedByReviewer && !(c.contributor && ownSet.has(c.contributor))).length;
    const { owner_key_hash: _hidden, ...report } = stored.report;
    const body: ReviewNextResponse = {
      report,
      drive: { id: drive.id, name: drive.name ?? drive.id, min_votes: minVotesOf(drive.parsed) },
      remaining,
    };
    sendJson(res, 200, body, { 'Cache-Control': 'no-store' });
    return true;
  }

  if (path === REVIEW_VOTES_PATH) {
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST to send votes.', { Allow: 'POST' });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'Send votes as JSON (Content-Type: application/json).');
    // Refuse a request without a token before reading its body.
    if (!bearer(req)) throw new HttpError(401, 'Sending votes needs a reviewer token (Authorization: Bearer …).', { 'WWW-Authenticate': 'Bearer' });
    let json: unknown;
    try {
      json = JSON.parse((await ctx.readBody(req)).toString('utf8'));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'The request body is not valid JSON.');
    }
    const parsed = ReviewVotesRequest.safeParse(json);
    if (!parsed.success) throw new HttpError(400, `These votes can't be read: ${describeIssues(parsed.error).join('; ')}`);
    const { report_id, votes } = parsed.data;
    const stored = await ctx.store.reviewReport(report_id);
    if (!stored?.driveId) throw new HttpError(404, `There is no report ${report_id} to review here (it may have been withdrawn).`);
    const drive = hostedDrive(ctx.drives, stored.driveId);
    const reviewer = reviewerFor(ctx.drives, drive, req);
    if (stored.contributor && (await ctx.store.reviewerContributors(reviewer.id)).includes(stored.contributor))
      throw new HttpError(403, "This is one of your own reports: reviewers vote on other people's reports only.");
    const marks = new Set(stored.report.highlights.map((h) => h.id));
    const seen = new Set<string>();
    for (const v of votes) {
      if (!marks.has(v.highlight_id)) throw new HttpError(422, `Report ${report_id} has no mark ${v.highlight_id}.`);
      if (seen.has(v.highlight_id)) throw new HttpError(422, `Mark ${v.highlight_id} has two votes in this request; send one per mark.`);
      seen.add(v.highlight_id);
    }
    const recorded = await ctx.store.recordVotes(
      report_id,
      reviewer.id,
      votes.map((v) => ({ highlightId: v.highlight_id, vote: v.vote, suggestion: v.suggestion })),
      new Date().toISOString(),
    );
    sendJson(res, 200, { report_id, recorded });
    return true;
  }

  if (path === '/review' || path.startsWith('/review/')) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Use GET for the review page.', { Allow: 'GET' });
    if (path === '/review') {
      const drive = hostedDrive(ctx.drives, url.searchParams.get('drive'));
      const page = reviewPage(drive, req.headers['accept-language']);
      res.writeHead(200, page.headers).end(req.method === 'HEAD' ? undefined : page.body);
      return true;
    }
    const asset = await reviewAsset(path.slice('/review/'.length));
    if (!asset) throw new HttpError(404, `Nothing here: ${path.slice(0, 200)}.`);
    res.writeHead(200, asset.headers).end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  }
  return false;
}

function hostedDrive(drives: DriveDirectory, id: string | null): HostedDrive {
  if (!id) throw new HttpError(400, 'Say which drive: ?drive=<id>.');
  if (!DRIVE_ID.test(id)) throw new HttpError(400, `"${id.slice(0, 140)}" is not a valid drive id.`);
  const found = drives.find(id);
  if (!found.ok) throw new HttpError(400, found.error);
  if (!found.drive) throw new HttpError(404, `This receiver does not host a drive "${id}".`);
  return found.drive;
}

function reviewerFor(drives: DriveDirectory, drive: HostedDrive, req: IncomingMessage) {
  const token = bearer(req);
  const reviewer = drives.reviewer(drive.id, token);
  if (!reviewer)
    throw new HttpError(
      401,
      token
        ? `This reviewer token is not valid for drive "${drive.id}"; ask the drive's organiser for one.`
        : `Reviewing drive "${drive.id}" needs a reviewer token (Authorization: Bearer …); ask the drive's organiser for one.`,
      { 'WWW-Authenticate': 'Bearer' },
    );
  return reviewer;
}
