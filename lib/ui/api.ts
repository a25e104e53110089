// A typed wrapper over the page → background requests (lib/messages.ts PageMessage). Every
// reply is `{ ok: true, … }` or `{ ok: false, error, problems? }` (lib/background/service.ts);
// a failed request becomes an ApiError the UI can show as it is.
import type { PageMessage } from '../messages';
import type { Report, ReportStatus } from '../report';
import type { Settings } from '../settings';
import type { UploadReview, UploadStatus } from '../background/uploads';

export type { UploadReview, UploadStatus };
export type UploadReviewItem = UploadReview['reports'][number];

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
}

export type ReportCursor = { created_at: string; id: string };
export interface ReportPage {
  reports: Report[];
  next?: ReportCursor;
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
      request<ReportPage>({ type: 'list-reports', ...options }).then(({ reports, next }) => ({ reports, next }) as ReportPage),
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
    setSettings: (settings: Partial<Settings>) =>
      request<{ settings: Settings }>({ type: 'set-settings', settings }).then((r) => r.settings),
    /** What an upload would send, per report, with the redactions found (DESIGN §8). */
    uploadReview: (reportIds?: string[]) =>
      request<{ review: UploadReview }>({ type: 'upload-review', report_ids: reportIds }).then((r) => r.review),
    /** `undone` holds `<report id>/<redaction id>` for each redaction the user undid. */
    startUpload: (options: { reportIds: string[]; undone: string[]; consent: boolean }) =>
      request<{ queued: number; skipped: Array<{ id: string; reason: string }> }>({
        type: 'start-upload',
        report_ids: options.reportIds,
        undone: options.undone,
        consent: options.consent,
      }).then(({ queued, skipped }) => ({ queued, skipped })),
    uploadStatus: () => request<{ status: UploadStatus }>({ type: 'upload-status' }).then((r) => r.status),
    uploadNow: () => request<object>({ type: 'upload-now' }).then(() => undefined),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The transport extension pages use: one runtime message per request. */
export const runtimeTransport: Transport = (message) => browser.runtime.sendMessage(message);
