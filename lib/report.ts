// The `sounds-local/report` v1 format (DESIGN.md §3): the one definition of a report,
// used by the content script, background, popup, exports and the reference receiver.
import { z } from './zod';
import { canonicalizeLocale } from './locale';
import { LIMITS } from './limits';
import { formatNumber, formatPosition, t } from './i18n';

export const SCHEMA_VERSION = 1 as const;

export const SITES = ['chatgpt', 'claude', 'gemini', 'copilot', 'perplexity', 'mistral', 'huggingchat', 'deepseek', 'meta', 'grok', 'poe', 'other'] as const;
export type SiteId = (typeof SITES)[number];

export const CATEGORIES = [
  'wrong_language',
  'wrong_script',
  'spelling_variant',
  'regional_vocabulary',
  'grammar_variant',
  'register_formality',
  'number_format',
  'date_time_format',
  'currency',
  'units',
  'address_phone_name',
  'punctuation_typography',
  'local_facts',
  'cultural_reference',
  'sensitive_framing',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['preference', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

// `withdrawn`: uploaded, then withdrawn by the user (DESIGN §8a); the receiver no longer serves it.
export const STATUSES = ['draft', 'ready', 'uploading', 'uploaded', 'failed', 'withdrawn'] as const;
export type ReportStatus = (typeof STATUSES)[number];

export { LIMITS };

// Messages are functions: rendered when a problem is found, in the UI language of that moment
// (English in the receiver). The field path is put in front by describeIssues.
const isoUtc = z.iso.datetime({ error: () => t('errIsoUtc') });

/** A BCP 47 tag that is already canonical (`pt-BR`, not `pt_br`). */
export const LocaleTag = z
  .string()
  .max(64)
  .superRefine((tag, ctx) => {
    const result = canonicalizeLocale(tag);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error });
    else if (result.tag !== tag) ctx.addIssue({ code: 'custom', message: t('errNotCanonical', [tag, result.tag]) });
  });

const text = (max: number) => z.string().max(max, { error: () => t('errTextTooLong', formatNumber(max)) });

export const HighlightSource = z.union([z.literal('user'), z.string().regex(/^glossary:[A-Za-z0-9._-]{1,64}$/, { error: () => t('errSourceFormat') })]);

export const Highlight = z
  .strictObject({
    id: z.uuid(),
    start: z.int().nonnegative(),
    end: z.int().nonnegative(),
    exact: text(LIMITS.exact).min(1, { error: () => t('errTextEmpty') }),
    prefix: text(LIMITS.affix),
    suffix: text(LIMITS.affix),
    category: z.enum(CATEGORIES),
    severity: z.enum(SEVERITIES),
    suggestion: text(LIMITS.suggestion),
    alternatives: z.array(text(LIMITS.suggestion)).max(LIMITS.alternatives).optional(),
    note: text(LIMITS.note).optional(),
    source: HighlightSource,
  })
  .superRefine((h, ctx) => {
    if (h.end <= h.start) ctx.addIssue({ code: 'custom', path: ['end'], message: t('errEndAfterStart') });
    if (h.category !== 'other' && h.suggestion.trim() === '') ctx.addIssue({ code: 'custom', path: ['suggestion'], message: t('errSuggestionRequired') });
    if (h.category === 'other' && !h.note?.trim() && h.suggestion.trim() === '')
      ctx.addIssue({ code: 'custom', path: ['note'], message: t('errOtherNeedsNote') });
  });
export type Highlight = z.infer<typeof Highlight>;

export const ModelInfo = z.strictObject({
  label: text(LIMITS.modelLabel).optional(),
  source: z.enum(['page', 'user', 'unknown']),
});

export const ClientInfo = z.strictObject({
  name: text(LIMITS.clientField),
  version: text(LIMITS.clientField),
  browser: z.enum(['chrome', 'firefox', 'edge', 'safari', 'other']),
});
export type ClientInfo = z.infer<typeof ClientInfo>;

const reportShape = {
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.uuid(),
  created_at: isoUtc,
  updated_at: isoUtc,
  site: z.enum(SITES),
  conversation_ref: text(LIMITS.conversationRef).optional(),
  model: ModelInfo,
  expected_locale: LocaleTag,
  answer: text(LIMITS.answer).min(1, { error: () => t('errTextEmpty') }),
  prompt: text(LIMITS.prompt).optional(),
  highlights: z.array(Highlight).max(LIMITS.highlights, { error: () => t('errTooManyMarks', formatNumber(LIMITS.highlights)) }),
  comment: text(LIMITS.comment).optional(),
  drive_id: text(LIMITS.driveId).optional(),
  client: ClientInfo,
  /**
   * SHA-256 (hex) of a random per-report secret the client keeps (DESIGN §8a): presenting the
   * secret as `Owner-Key` withdraws or replaces the uploaded report. Receivers store the hash
   * and never export it.
   */
  owner_key_hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: () => t('errOwnerKeyHash') })
    .optional(),
};

/** Every highlight must quote the answer exactly at its offsets. */
function checkAnchors(r: { answer: string; highlights: Highlight[] }, ctx: z.RefinementCtx) {
  r.highlights.forEach((h, i) => {
    if (r.answer.slice(h.start, h.end) !== h.exact)
      ctx.addIssue({
        code: 'custom',
        path: ['highlights', i, 'exact'],
        message: t('errMarkMismatch', [formatPosition(i + 1), String(h.start), String(h.end)]),
      });
  });
  const ids = new Set(r.highlights.map((h) => h.id));
  if (ids.size !== r.highlights.length) ctx.addIssue({ code: 'custom', path: ['highlights'], message: t('errMarkIdsShared') });
}

/** What travels on the wire and into datasets: no local fields. */
export const UploadedReport = z.strictObject(reportShape).superRefine(checkAnchors);
export type UploadedReport = z.infer<typeof UploadedReport>;

/** What IndexedDB holds and what JSONL export/import carries. */
export const Report = z
  .strictObject({
    ...reportShape,
    status: z.enum(STATUSES),
    page_url: text(LIMITS.pageUrl).optional(),
    /** Why the last upload failed (the server's reason); local. */
    status_reason: text(2_000).optional(),
    /** Whether the user ticked "include my question"; the prompt is kept locally either way. */
    include_prompt: z.boolean(),
    /**
     * Text the user had selected on the page, waiting in the editor to be marked (a mark
     * needs a category and suggestion the page can't supply); local.
     */
    preselected: z.strictObject({ start: z.int().nonnegative(), end: z.int().nonnegative() }).optional(),
    /** Suggested marks (lib/glossary) the user dismissed on this report, by key; local. */
    dismissed_suggestions: z.array(z.string().max(200)).max(5_000).optional(),
  })
  .superRefine(checkAnchors);
export type Report = z.infer<typeof Report>;

export const LOCAL_FIELDS = ['status', 'page_url', 'status_reason', 'include_prompt', 'preselected', 'dismissed_suggestions'] as const;

/** The report as it will be uploaded: local fields dropped, prompt only by opt-in. */
export function toUploaded(report: Report): UploadedReport {
  const { status: _s, page_url: _p, status_reason: _r, preselected: _x, dismissed_suggestions: _d, include_prompt, prompt, ...rest } = report;
  return include_prompt && prompt ? { ...rest, prompt } : rest;
}

/** One readable line per problem: `highlights[0].suggestion: a suggestion is required`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
