// The typed message protocol between content scripts, extension pages and the background,
// both ways: each request has one zod schema (validated before anything acts on it, DESIGN
// §11: content scripts are untrusted and may only send captures and page-status notes), and
// each message type has one reply type (`Replies` below), which the background's handlers
// must return and the content script and UI read. Renaming a reply field fails to compile
// on both sides.
import { z } from './zod';
import { t } from './i18n';
import { LIMITS, SITES, STATUSES, type Report, type ReportStatus } from './report';
import type { Settings } from './settings';
import { MAX_FINGERPRINT } from './content/fingerprint';
import type { UploadReview, UploadStatus } from './background/uploads';
import type { DriveGlossaryReply, DrivePreview, DriveSummary, OwnCount } from './background/drives';
import type { StatsResponse } from './protocol';
import { UI_LANGUAGES } from './ui/i18n';
import type { ContentStrings } from './ui/languageChoice';
import { MAX_OWNER_KEYS_CHARS } from './limits';

const ReportPageCursor = z.strictObject({ created_at: z.string().max(64), id: z.string().max(64) });

/** A message larger than this is refused before parsing its fields. */
export const MAX_MESSAGE_CHARS = 1_500_000;

export const CaptureMessage = z.strictObject({
  type: z.literal('capture'),
  site: z.enum(SITES),
  // Checked against LIMITS.answer by the background, which answers with a readable error.
  answer: z.string().min(1, { error: () => t('errTextEmpty') }),
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
  /**
   * With `unreadable`: the conversation container's structure for a bug report, made by
   * lib/content/fingerprint.ts (tags, attribute names, class prefixes; never page text).
   */
  fingerprint: z.string().max(MAX_FINGERPRINT).optional(),
});
export type PageStatusMessage = z.infer<typeof PageStatusMessage>;

/**
 * The in-page button's strings in the UI language the user chose, when it isn't the one the
 * browser picked (content scripts can't read the extension's other locale files). Public
 * text only: nothing about the user's reports.
 */
export const UiStringsMessage = z.strictObject({ type: z.literal('ui-strings'), language: z.enum(UI_LANGUAGES) });

export const ContentMessage = z.discriminatedUnion('type', [CaptureMessage, PageStatusMessage, UiStringsMessage]);

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
  /** The private backup of withdraw keys (lib/owner-keys.ts): never part of the reports JSONL. */
  z.strictObject({ type: z.literal('export-owner-keys') }),
  z.strictObject({ type: z.literal('import-owner-keys'), text: z.string().max(MAX_OWNER_KEYS_CHARS) }),
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
  /** The drive's own glossary, fetched on join and refresh, for the editor's suggestions. */
  z.strictObject({ type: z.literal('drive-glossary'), drive_id: z.string().max(128) }),
]);
export type PageMessage = z.infer<typeof PageMessage>;

/** Any request the background accepts. */
export type AnyMessage = ContentMessage | PageMessage;
export type ContentMessage = z.infer<typeof ContentMessage>;
export type MessageType = AnyMessage['type'];
export type RequestOf<K extends MessageType> = Extract<AnyMessage, { type: K }>;

export interface AppState {
  settings: Settings;
  counts: Record<ReportStatus, number>;
  focus_report_id?: string;
  /** Sites whose open tab the content script can't read (adapter drift). */
  unreadable: string[];
  /** Per unreadable tab: the page's structure, for the "copy for a bug report" button. */
  drift: Array<{ site: string; fingerprint: string }>;
  /** Whether a token is filed for the endpoint's origin (the token itself never leaves the background). */
  endpoint_has_token: boolean;
  /** Joined drives, most recently joined first. */
  drives: DriveSummary[];
}

/** Where a report went and what the receiver holds now. */
export interface ReportReceipt {
  endpoint: string;
  drive_id?: string;
  remote: 'accepted' | 'updated' | 'withdrawing' | 'withdrawn';
}

export interface DriveProgress {
  progress?: { stats: StatsResponse; fetched_at: string };
  /** Why fresh counts could not be fetched (the cached ones, if any, are shown). */
  error?: string;
  own: OwnCount;
}

export type ReportCursor = { created_at: string; id: string };
export interface ReportPage {
  reports: Report[];
  next?: ReportCursor;
  /** Ids of uploaded reports on this page whose edited version replaced the receiver's copy. */
  updated?: string[];
}

export interface ImportResult {
  added: number;
  unchanged: number;
  problems: string[];
}

/** What importing a withdraw-keys file did, per report it lists. */
export interface OwnerKeysImportResult {
  restored: number;
  /** This browser already held the same key. */
  unchanged: number;
  /** Reports not in this browser (import the reports JSONL first): skipped. */
  missing: number;
  /** Report ids for which this browser holds a different key: kept as they are, not overwritten. */
  conflicts: string[];
}

/** What a successful reply carries besides `ok: true`, per message type. */
export interface Replies {
  /** `existing`: the answer was reported before, and that report was opened instead of a new one. */
  capture: { report_id: string; popup_opened: boolean; existing?: boolean };
  'page-status': {};
  'ui-strings': { strings: ContentStrings };
  /** Without `counts` when asked with `counts: false` (the popup's first render). */
  'get-state': Omit<AppState, 'counts'> & { counts?: AppState['counts'] };
  'get-counts': { counts: AppState['counts'] };
  'list-reports': ReportPage;
  'get-report': { report: Report };
  'save-report': { report: Report };
  'delete-reports': { removed: Report[] };
  'restore-reports': { restored: number };
  'export-reports': { jsonl: string; count: number };
  'import-reports': ImportResult;
  /** `text`: the file's JSON, with the secrets; for a download from the options page only. */
  'export-owner-keys': { text: string; count: number };
  'import-owner-keys': OwnerKeysImportResult;
  'set-settings': { settings: Settings };
  'clear-focus': {};
  'upload-review': { review: UploadReview };
  'start-upload': { queued: number; updates: number; skipped: Array<{ id: string; reason: string }> };
  'withdraw-report': {};
  'report-receipt': { receipt?: ReportReceipt };
  'drive-preview': { preview: DrivePreview };
  'drive-join': { drive: DriveSummary };
  'drive-leave': {};
  'drive-list': { drives: DriveSummary[] };
  'drive-reconsent': { drive: DriveSummary };
  'drive-token': { drive: DriveSummary };
  'drive-progress': DriveProgress;
  'drive-refresh': { drive: DriveSummary };
  'drive-glossary': DriveGlossaryReply;
  'upload-status': { status: UploadStatus };
  'upload-now': {};
}

/** Every request type has a reply type and no reply type lacks a request (checked at compile time). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const repliesCoverEveryMessage: Same<keyof Replies, MessageType> = true;
void repliesCoverEveryMessage;

/** A refusal or failure, readable by the user as it is. */
export type Failure = { ok: false; error: string; problems?: string[] };
export type Ok<K extends MessageType> = { ok: true } & Replies[K];
export type ReplyOf<K extends MessageType> = Ok<K> | Failure;
export type AnyReply = ReplyOf<MessageType>;
