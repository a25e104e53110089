// Community review (DESIGN.md §14): reviewers vote on each mark of a report, and a mark's
// status follows from the votes. Pure rules and the wire format, shared by the receiver
// (server/review-routes.ts, both stores, exports) and anything else that speaks the protocol.
import { DEFAULT_MIN_VOTES, minVotes, type DriveManifest } from './drive';
import { z } from './zod';

export { DEFAULT_MIN_VOTES };

export const VOTES = ['agree', 'disagree', 'unsure'] as const;
export type Vote = (typeof VOTES)[number];

export const MARK_STATUSES = ['validated', 'rejected', 'pending'] as const;
export type MarkStatus = (typeof MARK_STATUSES)[number];

/** The drive's `review.min_votes`, or the default, also for a drive without a valid manifest. */
export function minVotesOf(manifest: Pick<DriveManifest, 'review'> | undefined): number {
  return manifest ? minVotes(manifest) : DEFAULT_MIN_VOTES;
}

export const REVIEW_NEXT_PATH = '/v1/review/next';
export const REVIEW_VOTES_PATH = '/v1/review/votes';

/** A reviewer's better wording for a mark; as long as a suggestion may be. */
export const MAX_REVIEW_SUGGESTION = 500;

/** `POST /v1/review/votes`: one vote per mark of one report, from one reviewer. */
export const ReviewVotesRequest = z.strictObject({
  report_id: z.uuid({ message: "report_id must be the report's UUID" }),
  votes: z
    .array(
      z.strictObject({
        highlight_id: z.uuid({ message: "highlight_id must be a mark's UUID" }),
        vote: z.enum(VOTES, { message: 'vote must be agree, disagree or unsure' }),
        suggestion: z
          .string()
          .trim()
          .min(1)
          .max(MAX_REVIEW_SUGGESTION, { message: `a suggestion is at most ${MAX_REVIEW_SUGGESTION} characters` })
          .optional(),
      }),
    )
    .min(1, { message: 'send a vote for at least one mark' })
    .max(200),
});
export type ReviewVotesRequest = z.infer<typeof ReviewVotesRequest>;

export interface VoteCounts {
  agree: number;
  disagree: number;
  unsure: number;
}

export interface MarkValidation extends VoteCounts {
  status: MarkStatus;
}

/**
 * A mark is validated when at least `minVotes` reviewers agree and agreements outnumber
 * disagreements; rejected when at least `minVotes` disagree and disagreements outnumber
 * agreements; otherwise pending. "Unsure" votes count toward neither side.
 */
export function markStatus(counts: Pick<VoteCounts, 'agree' | 'disagree'>, minVotes = DEFAULT_MIN_VOTES): MarkStatus {
  if (counts.agree >= minVotes && counts.agree > counts.disagree) return 'validated';
  if (counts.disagree >= minVotes && counts.disagree > counts.agree) return 'rejected';
  return 'pending';
}

export function tallyVotes(votes: Iterable<Vote>): VoteCounts {
  const counts: VoteCounts = { agree: 0, disagree: 0, unsure: 0 };
  for (const vote of votes) counts[vote]++;
  return counts;
}

export function validation(counts: VoteCounts, minVotes = DEFAULT_MIN_VOTES): MarkValidation {
  return { ...counts, status: markStatus(counts, minVotes) };
}

/** A report a reviewer might be shown next, as the store knows it. */
export interface ReviewCandidate {
  id: string;
  expectedLocale: string;
  /** Arrival order. */
  seq: number;
  /** Distinct reviewers who voted on this report so far. */
  reviewers: number;
  contributor: string | null;
  /** Whether this reviewer already voted on it. */
  votedByReviewer: boolean;
}

export interface Reviewer {
  /** Locales the reviewer reviews first (their own). */
  locales: readonly string[];
  /** Contributor pseudonyms that are this reviewer's own uploads. */
  contributors: readonly string[];
}

/**
 * The queue rule: never a report the reviewer voted on, never one of their own; of the rest,
 * those with the fewest reviewers first, then those in the reviewer's locales, then the oldest.
 * Returns undefined when nothing is left for this reviewer.
 */
export function pickNext(candidates: Iterable<ReviewCandidate>, reviewer: Reviewer): ReviewCandidate | undefined {
  const own = new Set(reviewer.contributors);
  const locales = new Set(reviewer.locales.map((l) => l.toLowerCase()));
  const rank = (c: ReviewCandidate) => (locales.has(c.expectedLocale.toLowerCase()) ? 0 : 1);
  let best: ReviewCandidate | undefined;
  for (const c of candidates) {
    if (c.votedByReviewer || (c.contributor !== null && own.has(c.contributor))) continue;
    if (!best || c.reviewers < best.reviewers || (c.reviewers === best.reviewers && (rank(c) < rank(best) || (rank(c) === rank(best) && c.seq < best.seq))))
      best = c;
  }
  return best;
}

/** Counts of marks by status, for stats and the dataset card. */
export function statusCounts(validations: Iterable<MarkValidation>): Record<MarkStatus, number> {
  const counts: Record<MarkStatus, number> = { validated: 0, rejected: 0, pending: 0 };
  for (const v of validations) counts[v.status]++;
  return counts;
}
