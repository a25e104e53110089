// The typed message protocol between content scripts, extension pages and the background.
// Every message is validated here before anything acts on it (DESIGN §11): content
// scripts are untrusted and may only send captures and page-status notes.
import { z } from './zod';
import { LIMITS, SITES, STATUSES } from './report';

const ReportPageCursor = z.strictObject({ created_at: z.string().max(64), id: z.string().max(64) });

/** A message larger than this is refused before parsing its fields. */
export const MAX_MESSAGE_CHARS = 1_500_000;

export const CaptureMessage = z.strictObject({
  type: z.literal('capture'),
  site: z.enum(SITES),
  // Checked against LIMITS.answer by the background, which answers with a readable error.
  answer: z.string().min(1, { message: 'the answer is empty' }),
  prompt: z.string().max(LIMITS.prompt).optional(),
  model_label: z.string().max(LIMITS.modelLabel).optional(),
  conversation_id: z.string().max(512).optional(),
  page_url: z.string().max(LIMITS.pageUrl).optional(),
  /** Text the user had selected inside the answer, and the answer text before it. */
  selection: z.strictObject({ text: z.string().max(LIMITS.exact), before: z.string().max(LIMITS.answer) }).optional(),
});
export type CaptureMessage = z.infer<typeof CaptureMessage>;

/** The drift safety net: a supported site where the adapter finds no answers in plain text. */
export const PageStatusMessage = z.strictObject({
  type: z.literal('page-status'),
  site: z.enum(SITES),
  answers: z.int().nonnegative(),
  unreadable: z.boolean(),
});
export type PageStatusMessage = z.infer<typeof PageStatusMessage>;

export const ContentMessage = z.discriminatedUnion('type', [CaptureMessage, PageStatusMessage]);

export const PageMessage = z.discriminatedUnion('type', [
  /** `counts: false` answers without the per-status counts (they take a while with 10,000 reports). */
  z.strictObject({ type: z.literal('get-state'), counts: z.boolean().optional() }),
  z.strictObject({ type: z.literal('get-counts') }),
  z.strictObject({
    type: z.literal('list-reports'),
    status: z.enum(STATUSES).optional(),
    limit: z.int().min(1).max(500).optional(),
    before: ReportPageCursor.optional(),
  }),
  z.strictObject({ type: z.literal('get-report'), id: z.uuid() }),
  z.strictObject({ type: z.literal('save-report'), report: z.unknown() }),
  z.strictObject({ type: z.literal('delete-reports'), ids: z.array(z.uuid()).max(10_000) }),
  z.strictObject({ type: z.literal('restore-reports'), reports: z.array(z.unknown()).max(10_000) }),
  z.strictObject({ type: z.literal('export-reports') }),
  z.strictObject({
    type: z.literal('import-reports'),
    jsonl: z.string().max(500_000_000),
    /** The file's line number of this chunk's first line (the popup sends big files in chunks). */
    first_line: z.int().min(1).optional(),
  }),
  z.strictObject({ type: z.literal('set-settings'), settings: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('clear-focus') }),
  z.strictObject({ type: z.literal('upload-review'), report_ids: z.array(z.uuid()).max(10_000).optional() }),
  z.strictObject({
    type: z.literal('start-upload'),
    report_ids: z.array(z.uuid()).min(1).max(10_000),
    /** Redactions the user undid, as `<report id>/<redaction id>`. */
    undone: z.array(z.string().max(200)).max(10_000),
    /** The user ticked "send my reports to <endpoint>" (asked once per endpoint). */
    consent: z.boolean(),
  }),
  z.strictObject({ type: z.literal('upload-status') }),
  z.strictObject({ type: z.literal('upload-now') }),
  /** Withdraw an uploaded report from its endpoint (DESIGN §8a). */
  z.strictObject({ type: z.literal('withdraw-report'), id: z.uuid() }),
  /** Where a report was uploaded and what the receiver holds now (never its owner key). */
  z.strictObject({ type: z.literal('report-receipt'), id: z.uuid() }),
  // Feedback drives (DESIGN §9b): look a drive up, join it with the manifest shown, leave it…
  z.strictObject({ type: z.literal('drive-preview'), input: z.string().max(4096) }),
  z.strictObject({
    type: z.literal('drive-join'),
    manifest_url: z.string().max(4096),
    manifest: z.unknown(),
    token: z.string().max(4096).optional(),
  }),
  z.strictObject({ type: z.literal('drive-leave'), drive_id: z.string().max(128) }),
  z.strictObject({ type: z.literal('drive-list') }),
  /** Agree to a drive's changed name, endpoint or licence. */
  z.strictObject({ type: z.literal('drive-reconsent'), drive_id: z.string().max(128) }),
  z.strictObject({ type: z.literal('drive-token'), drive_id: z.string().max(128), token: z.string().max(4096) }),
  z.strictObject({ type: z.literal('drive-progress'), drive_id: z.string().max(128) }),
  /** Read the drive's manifest again (a changed name, endpoint or licence waits for consent). */
  z.strictObject({ type: z.literal('drive-refresh'), drive_id: z.string().max(128) }),
]);
export type PageMessage = z.infer<typeof PageMessage>;
