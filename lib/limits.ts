// Size limits of the report format (DESIGN §3). Plain constants without zod, so the
// content script can check them without bundling the schema library.
export const LIMITS = {
  answer: 200_000,
  prompt: 50_000,
  comment: 5_000,
  highlights: 200,
  exact: 2_000,
  affix: 32,
  suggestion: 2_000,
  alternatives: 10,
  note: 2_000,
  modelLabel: 200,
  pageUrl: 4_096,
  conversationRef: 128,
  driveId: 128,
  clientField: 100,
} as const;

/** A withdraw-keys file larger than this is no such file (10,000 keys take about 4 MB; lib/owner-keys.ts). */
export const MAX_OWNER_KEYS_CHARS = 20_000_000;
