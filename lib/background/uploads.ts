// Uploading, as the background runs it (DESIGN §8): the review the popup shows before
// anything is sent, queuing what the user approved, and running the outbox from a click,
// an alarm or startup. The engine itself (lib/upload) keeps all state in IndexedDB.
import { toUploaded, type ClientInfo, type Report, type UploadedReport } from '../report';
import type { SoundsLocalDb } from '../storage/db';
import { readSettings, writeSettings } from '../settings';
import { validateEndpoint } from '../protocol';
import { findReportRedactions, redactReport, type ReportRedaction } from '../redact';
import { createIdbOutboxStore, enqueueReady, runOutbox, type UploadConfig, type UploadProgress } from '../upload';

export interface UploadReview {
  endpoint?: string;
  /** Why uploading can't start (no endpoint set, invalid endpoint). */
  problem?: string;
  /** Whether the user already agreed to send reports to this endpoint. */
  consented: boolean;
  /** The origin pattern the popup must request as an optional host permission. */
  permission_pattern?: string;
  reports: Array<{
    id: string;
    /** Exactly what will be sent, with every redaction applied. */
    outgoing: UploadedReport;
    /** Each redaction, in the unredacted text, so the user can undo one. */
    redactions: ReportRedaction[];
  }>;
}

export interface UploadStatus {
  running: boolean;
  progress?: UploadProgress;
  /** Reports waiting in the outbox. */
  pending: number;
  /** Epoch ms of the next retry, if one is scheduled. */
  next_attempt_at?: number;
  last_error?: string;
  last_result?: { uploaded: number; failed: number };
}

export interface UploaderDeps {
  db: SoundsLocalDb;
  client: ClientInfo;
  fetch: typeof fetch;
  /** Wake the background at `when` (a browser.alarms alarm); undefined clears it. */
  scheduleWake: (when: number | undefined) => void;
  /** Called whenever status or report statuses change (badge refresh). */
  onChange?: () => void;
  config?: Partial<UploadConfig>;
  now?: () => number;
}

const REVIEW_LIMIT = 500;

export function createUploader(deps: UploaderDeps) {
  const store = createIdbOutboxStore(deps.db);
  const status: UploadStatus = { running: false, pending: 0 };
  let running: Promise<void> | undefined;

  async function endpointOf() {
    const settings = await readSettings(deps.db);
    if (!settings.endpoint) return { settings, problem: 'Set the community endpoint in the options first.' } as const;
    const check = validateEndpoint(settings.endpoint);
    if (!check.ok) return { settings, problem: check.error } as const;
    return { settings, check } as const;
  }

  async function review(reportIds?: readonly string[]): Promise<UploadReview> {
    const { settings, problem, check } = await endpointOf();
    let reports: Report[];
    if (reportIds) reports = (await Promise.all(reportIds.map((id) => deps.db.get('reports', id)))).filter((r): r is Report => Boolean(r));
    else reports = (await deps.db.getAllFromIndex('reports', 'by_status', 'ready', REVIEW_LIMIT)) as Report[];
    return {
      endpoint: check?.url,
      problem,
      consented: Boolean(check && settings.consented_endpoints.includes(check.url)),
      permission_pattern: check?.permissionPattern,
      reports: reports.map((report) => {
        const uploaded = toUploaded(report);
        const redactions = findReportRedactions(uploaded);
        return { id: report.id, outgoing: redactReport(uploaded, { redactions }).report, redactions };
      }),
    };
  }

  /** Queue the reviewed reports, honouring the redactions the user undid, then send. */
  async function start(options: { reportIds: readonly string[]; undone: readonly string[]; consent: boolean }) {
    const { settings, problem, check } = await endpointOf();
    if (!check) return { ok: false as const, error: problem };
    if (!settings.consented_endpoints.includes(check.url)) {
      if (!options.consent) return { ok: false as const, error: `Agree to send your reports to ${check.url} first.` };
      await writeSettings(deps.db, { consented_endpoints: [...settings.consented_endpoints, check.url] });
    }
    const undone = new Set(options.undone);
    const result = await enqueueReady(deps.db, {
      endpoint: check.url,
      client: deps.client,
      token: settings.token || undefined,
      driveId: settings.active_drive_id,
      reportIds: options.reportIds,
      // Undo ids are `<field>:<kind>:<start>-<end>` in the report's own text.
      prepare: (report) => redactReport(toUploaded(report), { undone: [...undone].filter((id) => id.startsWith(`${report.id}/`)).map((id) => id.slice(report.id.length + 1)) }).report,
    });
    if (!result.ok) return { ok: false as const, error: result.error };
    deps.onChange?.();
    void run();
    return { ok: true as const, queued: result.queued, skipped: result.skipped };
  }

  /** Send whatever is due. Overlapping calls share one run. */
  function run(): Promise<void> {
    if (running) return running;
    status.running = true;
    status.last_error = undefined;
    running = (async () => {
      try {
        const result = await runOutbox({
          store,
          fetch: deps.fetch,
          config: deps.config,
          now: deps.now,
          onProgress: (progress) => {
            status.progress = progress;
            deps.onChange?.();
          },
        });
        status.last_result = { uploaded: result.uploaded, failed: result.failed };
        status.last_error = result.lastError;
        status.next_attempt_at = result.nextAttemptAt;
        deps.scheduleWake(result.nextAttemptAt);
      } catch (error) {
        status.last_error = `Uploading stopped: ${(error as Error).message}`;
        deps.scheduleWake((deps.now ?? Date.now)() + 60_000);
      } finally {
        status.running = false;
        running = undefined;
        status.pending = await store.pendingReports();
        deps.onChange?.();
      }
    })();
    return running;
  }

  /** "Retry now": batches waiting for their backoff become due, and a run starts. */
  async function retryNow(): Promise<void> {
    await store.dueNow((deps.now ?? Date.now)());
    void run();
  }

  async function currentStatus(): Promise<UploadStatus> {
    status.pending = await store.pendingReports();
    if (!status.running) status.next_attempt_at = await store.nextAttemptAt();
    return { ...status };
  }

  return { review, start, run, retryNow, status: currentStatus };
}

export type Uploader = ReturnType<typeof createUploader>;
