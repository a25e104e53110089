// A typed wrapper over the page → background requests (lib/messages.ts PageMessage). Every
// reply is `{ ok: true, … }` or `{ ok: false, error, problems? }` (lib/background/service.ts);
// a failed request becomes an ApiError the UI can show as it is.
import type { PageMessage } from '../messages';
import type { Report, ReportStatus } from '../report';
import type { Settings } from '../settings';
import type { UploadGroup, UploadReview, UploadReviewItem, UploadStatus } from '../background/uploads';
import type { DrivePreview, DriveSummary, OwnCount } from '../background/drives';
import type { StatsResponse } from '../protocol';

export type { UploadGroup, UploadReview, UploadReviewItem, UploadStatus, DrivePreview, DriveSummary, OwnCount };

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

export type Transport = (message: PageMessage) => Promise<unknown>;

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

export interface AppState {
  settings: Settings;
  counts: Record<ReportStatus, number>;
  focus_report_id?: string;
  /** Sites whose open tab the content script can't read (adapter drift). */
  unreadable: string[];
  /** Whether a token is filed for the endpoint's origin (the token itself never leaves the background). */
  endpoint_has_token: boolean;
  /** Joined drives, most recently joined first. */
  drives: DriveSummary[];
}

export type ReportCursor = { created_at: string; id: string };
export interface ReportPage {
  reports: Report[];
  next?: ReportCursor;
  /** Ids of uploaded reports on this page whose edited version replaced the receiver's copy. */
  updated?: string[];
}

export type SaveResult = { ok: true; report: Report } | { ok: false; error: string; problems: string[] };

export interface ImportResult {
  added: number;
  unchanged: number;
  problems: string[];
}

type Reply = { ok: true } & Record<string, unknown>;

export function createApi(transport: Transport) {
  async function request<T>(message: PageMessage): Promise<T & Reply> {
    let reply: unknown;
    try {
      reply = await transport(message);
    } catch (error) {
      throw new ApiError((error as Error)?.message ?? String(error));
    }
    if (!reply || typeof reply !== 'object') throw new ApiError('The extension did not answer. Reload the page and try again.');
    const r = reply as { ok?: boolean; error?: string; problems?: string[] };
    if (!r.ok) throw new ApiError(r.error ?? 'Something went wrong.', r.problems ?? []);
    return reply as T & Reply;
  }

  return {
    getState: () => request<AppState>({ type: 'get-state' }),
    /** The state without the per-status counts, which take a while with many reports: the popup's first render. */
    getStateQuick: () => request<Omit<AppState, 'counts'>>({ type: 'get-state', counts: false }),
    getCounts: () => request<{ counts: AppState['counts'] }>({ type: 'get-counts' }).then((r) => r.counts),
    clearFocus: () => request<object>({ type: 'clear-focus' }).then(() => undefined),
    listReports: (options: { status?: ReportStatus; limit?: number; before?: ReportCursor } = {}) =>
      request<ReportPage>({ type: 'list-reports', ...options }).then(({ reports, next, updated }) => ({ reports, next, updated }) as ReportPage),
    getReport: (id: string) => request<{ report: Report }>({ type: 'get-report', id }).then((r) => r.report),
    /** Validation failures come back as a value (with problems per field), not thrown. */
    async saveReport(report: Report): Promise<SaveResult> {
      try {
        const reply = await request<{ report: Report }>({ type: 'save-report', report });
        return { ok: true, report: reply.report };
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.message, problems: error.problems };
        throw error;
      }
    },
    /** Returns the removed reports: pass them to restoreReports to undo. */
    deleteReports: (ids: string[]) => request<{ removed: Report[] }>({ type: 'delete-reports', ids }).then((r) => r.removed),
    restoreReports: (reports: Report[]) =>
      request<{ restored: number }>({ type: 'restore-reports', reports }).then((r) => r.restored),
    exportReports: () => request<{ jsonl: string; count: number }>({ type: 'export-reports' }).then(({ jsonl, count }) => ({ jsonl, count })),
    importReports: (jsonl: string, firstLine?: number) =>
      request<ImportResult>({ type: 'import-reports', jsonl, ...(firstLine ? { first_line: firstLine } : {}) }).then(({ added, unchanged, problems }) => ({ added, unchanged, problems })),
    /** `token`: filed under the endpoint's origin ('' forgets it); never stored in the settings. */
    setSettings: (settings: Partial<Settings> & { token?: string }) =>
      request<{ settings: Settings }>({ type: 'set-settings', settings }).then((r) => r.settings),
    /** What an upload would send, per report, with the redactions found (DESIGN §8). */
    uploadReview: (reportIds?: string[]) =>
      request<{ review: UploadReview }>({ type: 'upload-review', report_ids: reportIds }).then((r) => r.review),
    /** `undone` holds `<report id>/<redaction id>` for each redaction the user undid. */
    startUpload: (options: { reportIds: string[]; undone: string[]; consent: boolean }) =>
      request<{ queued: number; updates: number; skipped: Array<{ id: string; reason: string }> }>({
        type: 'start-upload',
        report_ids: options.reportIds,
        undone: options.undone,
        consent: options.consent,
      }).then(({ queued, updates, skipped }) => ({ queued, updates, skipped })),
    reportReceipt: (id: string) =>
      request<{ receipt?: ReportReceipt }>({ type: 'report-receipt', id }).then((r) => r.receipt),
    withdrawReport: (id: string) => request<object>({ type: 'withdraw-report', id }).then(() => undefined),
    previewDrive: (input: string) => request<{ preview: DrivePreview }>({ type: 'drive-preview', input }).then((r) => r.preview),
    joinDrive: (preview: { manifest_url: string; manifest: unknown }, token?: string) =>
      request<{ drive: DriveSummary }>({ type: 'drive-join', manifest_url: preview.manifest_url, manifest: preview.manifest, ...(token ? { token } : {}) }).then(
        (r) => r.drive,
      ),
    leaveDrive: (driveId: string) => request<object>({ type: 'drive-leave', drive_id: driveId }).then(() => undefined),
    listDrives: () => request<{ drives: DriveSummary[] }>({ type: 'drive-list' }).then((r) => r.drives),
    refreshDrive: (driveId: string) => request<{ drive: DriveSummary }>({ type: 'drive-refresh', drive_id: driveId }).then((r) => r.drive),
    reconsentDrive: (driveId: string) => request<{ drive: DriveSummary }>({ type: 'drive-reconsent', drive_id: driveId }).then((r) => r.drive),
    setDriveToken: (driveId: string, token: string) =>
      request<{ drive: DriveSummary }>({ type: 'drive-token', drive_id: driveId, token }).then((r) => r.drive),
    driveProgress: (driveId: string) =>
      request<DriveProgress>({ type: 'drive-progress', drive_id: driveId }).then(({ progress, error, own }) => ({ progress, error, own }) as DriveProgress),
    uploadStatus: () => request<{ status: UploadStatus }>({ type: 'upload-status' }).then((r) => r.status),
    uploadNow: () => request<object>({ type: 'upload-now' }).then(() => undefined),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The transport extension pages use: one runtime message per request. */
export const runtimeTransport: Transport = (message) => browser.runtime.sendMessage(message);
