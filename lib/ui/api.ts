// A typed wrapper over the page → background requests. Requests and replies are typed per
// message type by the protocol map in lib/messages.ts; a failed request (`{ ok: false,
// error, problems? }`) becomes an ApiError the UI can show as it is.
import type {
  AppState,
  DriveProgress,
  ImportResult,
  Ok,
  OwnerKeysImportResult,
  PageMessage,
  ReplyOf,
  ReportCursor,
  ReportPage,
  ReportReceipt,
  RequestOf,
} from '../messages';
import type { Report, ReportStatus } from '../report';
import type { Settings } from '../settings';
import type { UploadGroup, UploadReview, UploadReviewItem, UploadStatus } from '../background/uploads';
import type { DriveGlossaryReply, DrivePreview, DriveSummary, OwnCount } from '../background/drives';
import { t } from './i18n';

export type { AppState, DriveProgress, ImportResult, OwnerKeysImportResult, ReportCursor, ReportPage, ReportReceipt };
export type { UploadGroup, UploadReview, UploadReviewItem, UploadStatus, DrivePreview, DriveSummary, OwnCount, DriveGlossaryReply };

type PageType = PageMessage['type'];
/** Sends one request; resolves with the background's reply (undefined if nobody answered). */
export type Transport = <K extends PageType>(message: RequestOf<K>) => Promise<ReplyOf<K> | undefined>;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The popup's state: counts arrive after the first render. */
export type PopupState = Omit<AppState, 'counts'> & { counts?: AppState['counts'] };

export type SaveResult = { ok: true; report: Report } | { ok: false; error: string; problems: string[] };

export function createApi(transport: Transport) {
  async function request<K extends PageType>(message: RequestOf<K>): Promise<Ok<K>> {
    let reply: ReplyOf<K> | undefined;
    try {
      reply = await transport(message);
    } catch (error) {
      throw new ApiError((error as Error)?.message ?? String(error));
    }
    if (!reply || typeof reply !== 'object') throw new ApiError(t('errNoAnswerFromExtension'));
    if (!reply.ok) throw new ApiError(reply.error ?? t('errSomethingWrong'), reply.problems ?? []);
    return reply;
  }

  return {
    getState: () => request({ type: 'get-state' }).then(({ ok: _, ...state }) => state as AppState),
    /** The state without the per-status counts, which take a while with many reports: the popup's first render. */
    getStateQuick: () => request({ type: 'get-state', counts: false }).then(({ ok: _, ...state }): PopupState => state),
    getCounts: () => request({ type: 'get-counts' }).then((r) => r.counts),
    clearFocus: () => request({ type: 'clear-focus' }).then(() => undefined),
    listReports: (options: { status?: ReportStatus; limit?: number; before?: ReportCursor } = {}) =>
      request({ type: 'list-reports', ...options }).then(({ reports, next, updated }): ReportPage => ({ reports, next, updated })),
    getReport: (id: string) => request({ type: 'get-report', id }).then((r) => r.report),
    /** Validation failures come back as a value (with problems per field), not thrown. */
    async saveReport(report: Report): Promise<SaveResult> {
      try {
        const reply = await request({ type: 'save-report', report });
        return { ok: true, report: reply.report };
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.message, problems: error.problems };
        throw error;
      }
    },
    /** Returns the removed reports: pass them to restoreReports to undo. */
    deleteReports: (ids: string[]) => request({ type: 'delete-reports', ids }).then((r) => r.removed),
    restoreReports: (reports: Report[]) => request({ type: 'restore-reports', reports }).then((r) => r.restored),
    exportReports: () => request({ type: 'export-reports' }).then(({ jsonl, count }) => ({ jsonl, count })),
    importReports: (jsonl: string, firstLine?: number) =>
      request({ type: 'import-reports', jsonl, ...(firstLine ? { first_line: firstLine } : {}) }).then(({ added, unchanged, problems }) => ({
        added,
        unchanged,
        problems,
      })),
    /** The private withdraw-keys file (lib/owner-keys.ts): secrets, for a download only. */
    exportOwnerKeys: () => request({ type: 'export-owner-keys' }).then(({ text, count }) => ({ text, count })),
    importOwnerKeys: (text: string) =>
      request({ type: 'import-owner-keys', text }).then(
        ({ restored, unchanged, missing, conflicts }): OwnerKeysImportResult => ({ restored, unchanged, missing, conflicts }),
      ),
    /** `token`: filed under the endpoint's origin ('' forgets it); never stored in the settings. */
    setSettings: (settings: Partial<Settings> & { token?: string }) => request({ type: 'set-settings', settings }).then((r) => r.settings),
    /** What an upload would send, per report, with the redactions found (DESIGN §8). */
    uploadReview: (reportIds?: string[]) => request({ type: 'upload-review', report_ids: reportIds }).then((r) => r.review),
    /** `undone` holds `<report id>/<redaction id>` for each redaction the user undid. */
    startUpload: (options: { reportIds: string[]; undone: string[]; consent: boolean }) =>
      request({
        type: 'start-upload',
        report_ids: options.reportIds,
        undone: options.undone,
        consent: options.consent,
      }).then(({ queued, updates, skipped }) => ({ queued, updates, skipped })),
    reportReceipt: (id: string) => request({ type: 'report-receipt', id }).then((r) => r.receipt),
    withdrawReport: (id: string) => request({ type: 'withdraw-report', id }).then(() => undefined),
    previewDrive: (input: string) => request({ type: 'drive-preview', input }).then((r) => r.preview),
    joinDrive: (preview: { manifest_url: string; manifest: unknown }, token?: string) =>
      request({ type: 'drive-join', manifest_url: preview.manifest_url, manifest: preview.manifest, ...(token ? { token } : {}) }).then((r) => r.drive),
    leaveDrive: (driveId: string) => request({ type: 'drive-leave', drive_id: driveId }).then(() => undefined),
    listDrives: () => request({ type: 'drive-list' }).then((r) => r.drives),
    /** The drive's own glossary entries and locales (none when it has no glossary or it failed). */
    driveGlossary: (driveId: string) =>
      request({ type: 'drive-glossary', drive_id: driveId }).then(({ entries, locales, error }): DriveGlossaryReply => ({ entries, locales, error })),
    refreshDrive: (driveId: string) => request({ type: 'drive-refresh', drive_id: driveId }).then((r) => r.drive),
    reconsentDrive: (driveId: string) => request({ type: 'drive-reconsent', drive_id: driveId }).then((r) => r.drive),
    setDriveToken: (driveId: string, token: string) => request({ type: 'drive-token', drive_id: driveId, token }).then((r) => r.drive),
    driveProgress: (driveId: string) =>
      request({ type: 'drive-progress', drive_id: driveId }).then(({ progress, error, own }): DriveProgress => ({ progress, error, own })),
    uploadStatus: () => request({ type: 'upload-status' }).then((r) => r.status),
    uploadNow: () => request({ type: 'upload-now' }).then(() => undefined),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The transport extension pages use: one runtime message per request. */
export const runtimeTransport: Transport = (message) => browser.runtime.sendMessage(message);
