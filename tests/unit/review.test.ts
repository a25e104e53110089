// The community-review rules (DESIGN.md §14), as pure functions.
import { describe, expect, it } from 'vitest';
import { ReviewVotesRequest, markStatus, pickNext, statusCounts, tallyVotes, validation, type ReviewCandidate } from '../../lib/review';

describe('markStatus', () => {
  it('validates a mark when at least min_votes reviewers agree and agreements outnumber disagreements', () => {
    expect(markStatus({ agree: 2, disagree: 0 })).toBe('validated');
    expect(markStatus({ agree: 3, disagree: 2 })).toBe('validated');
    expect(markStatus({ agree: 2, disagree: 2 })).toBe('pending');
    expect(markStatus({ agree: 1, disagree: 0 })).toBe('pending');
  });

  it('rejects a mark symmetrically', () => {
    expect(markStatus({ agree: 0, disagree: 2 })).toBe('rejected');
    expect(markStatus({ agree: 1, disagree: 2 })).toBe('rejected');
    expect(markStatus({ agree: 2, disagree: 3 })).toBe('rejected');
    expect(markStatus({ agree: 0, disagree: 1 })).toBe('pending');
  });

  it("follows the drive's min_votes", () => {
    expect(markStatus({ agree: 2, disagree: 0 }, 3)).toBe('pending');
    expect(markStatus({ agree: 3, disagree: 0 }, 3)).toBe('validated');
    expect(markStatus({ agree: 1, disagree: 0 }, 1)).toBe('validated');
    expect(markStatus({ agree: 0, disagree: 1 }, 1)).toBe('rejected');
  });

  it('counts unsure votes toward neither side', () => {
    const v = validation(tallyVotes(['agree', 'unsure', 'unsure', 'agree', 'disagree']));
    expect(v).toEqual({ agree: 2, disagree: 1, unsure: 2, status: 'validated' });
    expect(validation(tallyVotes(['unsure', 'unsure', 'unsure']))).toMatchObject({ status: 'pending' });
  });

  it('counts marks by status', () => {
    expect(statusCounts([validation({ agree: 2, disagree: 0, unsure: 0 }), validation({ agree: 0, disagree: 0, unsure: 1 })])).toEqual({
      validated: 1,
      rejected: 0,
      pending: 1,
    });
  });
});

describe('pickNext', () => {
  const c = (id: string, over: Partial<ReviewCandidate> = {}): ReviewCandidate => ({
    id,
    expectedLocale: 'zh-TW',
    seq: Number(id.replace(/\D/g, '')),
    reviewers: 0,
    contributor: null,
    votedByReviewer: false,
    ...over,
  });
  const me = { locales: ['pt-BR'], contributors: ['me-123'] };

  it('shows the report with the fewest reviewers first', () => {
    expect(pickNext([c('r1', { reviewers: 2 }), c('r2', { reviewers: 1 }), c('r3', { reviewers: 1 })], me)?.id).toBe('r2');
  });

  it("prefers the reviewer's locales among equally reviewed reports", () => {
    expect(pickNext([c('r1'), c('r2', { expectedLocale: 'pt-BR' })], me)?.id).toBe('r2');
    // …but fewer reviewers wins over locale.
    expect(pickNext([c('r1'), c('r2', { expectedLocale: 'pt-BR', reviewers: 1 })], me)?.id).toBe('r1');
  });

  it('never shows a report the reviewer voted on, nor their own', () => {
    expect(pickNext([c('r1', { votedByReviewer: true }), c('r2', { contributor: 'me-123' }), c('r3', { reviewers: 5 })], me)?.id).toBe('r3');
    expect(pickNext([c('r1', { votedByReviewer: true }), c('r2', { contributor: 'me-123' })], me)).toBeUndefined();
  });

  it('takes the oldest when all else is equal', () => {
    expect(pickNext([c('r9'), c('r4'), c('r7')], { locales: [], contributors: [] })?.id).toBe('r4');
  });
});

describe('ReviewVotesRequest', () => {
  const report_id = '00000000-0000-4000-8000-000000000001';
  const highlight_id = '00000000-0000-4000-8000-000000000002';
  it('accepts votes with an optional better wording', () => {
    expect(ReviewVotesRequest.safeParse({ report_id, votes: [{ highlight_id, vote: 'agree', suggestion: ' 影片 ' }] }).data?.votes[0]?.suggestion).toBe('影片');
  });
  it('refuses unknown votes, extra fields and empty vote lists with readable reasons', () => {
    expect(ReviewVotesRequest.safeParse({ report_id, votes: [{ highlight_id, vote: 'maybe' }] }).error?.issues[0]?.message).toBe(
      'vote must be agree, disagree or unsure',
    );
    expect(ReviewVotesRequest.safeParse({ report_id, votes: [] }).error?.issues[0]?.message).toBe('send a vote for at least one mark');
    expect(ReviewVotesRequest.safeParse({ report_id, votes: [{ highlight_id, vote: 'agree' }], reviewer: 'x' }).success).toBe(false);
  });
});
