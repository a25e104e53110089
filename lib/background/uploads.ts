// Uploading, as the background runs it (DESIGN §8): the review the popup shows before
// anything is sent, queuing what the user approved, and running the outbox from a click,
// an alarm or startup. The engine itself (lib/upload) keeps all state in IndexedDB.
import { toUploaded, type ClientInfo, type Report, type UploadedReport } from '../report';
import type { Receipt, SoundsLocalDb } from '../storage/db';
import { readSettings, writeSettings } from '../settings';
import { validateEndpoint } from '../protocol';
import { findReportRedactions, redactReport, type ReportRedaction } from '../redact';
import { createIdbOutboxStore, enqueueReady, enqueueWithdraw, runOutbox, type UploadConfig, type UploadProgress } from '../upload';
import { createIdbCredentials } from '../upload/credentials';
import type { DriveSummary, Drives } from './drives';
import { t, uiLanguage } from '../i18n';

export interface UploadReviewItem {
  id: string;
  /** Exactly what will be sent, with every redaction applied. */
  outgoing: UploadedReport;
  /** Each redaction, in the unredacted text, so the user can undo one. */
  redactions: ReportRedaction[];
  /** The endpoint already holds this report: uploading it again replaces that copy (PUT). */
  replaces: boolean;
}

/**
 * One destination: the reports of one drive (or of no drive) and the one endpoint they go to.
 * Batches are made per group, so they never mix drives, endpoints or tokens.
 */
export interface UploadGroup {
  /** The drive id, or '' for reports that belong to no drive. */
  key: string;
  drive?: {
    id: string;
    name?: string;
    organizer?: string;
    license?: string;
    privacy_url?: string;
    /** The manifest changed name, endpoint or licence since the user agreed: what changed, and to what. */
    pending?: { changes: string[]; name: string; endpoint: string; license: string; permission_pattern: string };
    /** Why the manifest could not be checked just now (the one agreed to is used). */
    check_error?: string;
    /** The member's pseudonym for this drive, sent with its uploads (DESIGN §14). */
    contributor?: string;
  };
  endpoint?: string;
  /** Why this group can't be uploaded now (no endpoint, left or ended drive, changed manifest…). */
  problem?: string;
  /** The problem as a message key and arguments, shown in the UI's language. */
  problem_message?: ProblemMessage;
  /** Whether the user already agreed to send these reports there (joining a drive is that agreement). */
  consented: boolean;
  /** The origin pattern the click must request as an optional host permission. */
  permission_pattern?: string;
  reports: UploadReviewItem[];
}

export interface UploadReview {
  groups: UploadGroup[];
  /** Ready reports in all: when more than `shown`, the rest wait for the next upload. */
  total_ready: number;
  shown: number;
}

export interface UploadStatus {
  running: boolean;
  progress?: UploadProgress;
  /** Reports waiting in the outbox. */
  pending: number;
  /** Epoch ms of the next retry, if one is scheduled. */
  next_attempt_at?: number;
  last_error?: string;
  last_result?: { uploaded: number; failed: number; withdrawn: number };
  /** Batches waiting for the user because the endpoint refused the token (401). */
  held: Array<{ endpoint: string; drive_id?: string; reports: number; reason: string }>;
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
  /** Joined drives (lib/background/drives.ts); without it, drive reports can't be uploaded. */
  drives?: Drives;
}

/** The review shows at most this many reports; the rest wait, and the review says how many. */
export const REVIEW_LIMIT = 500;
/** How long the review waits for a drive's manifest before using the one agreed to. */
const REFRESH_TIMEOUT_MS = 4_000;

/**
 * Why a group can't be sent, for the user: `problem`, rendered in the UI language when it was
 * made (start-upload's errors and skipped reasons), and `problem_message`, a message key of
 * public/_locales with its arguments, which the review renders itself (`{ date }` arguments
 * are formatted there).
 */
export interface ProblemMessage {
  key: 'problemNoEndpoint' | 'problemDriveLeft' | 'problemDriveClosed' | 'problemDriveEnded' | 'problemDriveChanged' | 'problemDriveToken';
  args: Array<string | { date: string }>;
}

/** A problem in the UI's language now (start's errors and skipped reasons), and as a key for the review. */
function problemOf(message: ProblemMessage): Destination {
  const args = message.args.map((arg) => (typeof arg === 'string' ? arg : formatDate(arg.date)));
  return { problem: t(message.key, args), problem_message: message };
}

function formatDate(iso: string): string {
  try {
    return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

type Destination = { endpoint: string; consented: boolean; permission_pattern: string } | { problem: string; problem_message?: ProblemMessage };

export function createUploader(deps: UploaderDeps) {
  const store = createIdbOutboxStore(deps.db);
  const credentials = createIdbCredentials(deps.db);
  const status: UploadStatus = { running: false, pending: 0, held: [] };
  let running: Promise<void> | undefined;

  /** Where a group's reports go, or why they can't go anywhere now. */
  async function destinationOf(key: string, summary: DriveSummary | undefined): Promise<Destination> {
    if (!key) {
      const settings = await readSettings(deps.db);
      if (!settings.endpoint) return problemOf({ key: 'problemNoEndpoint', args: [] });
      const check = validateEndpoint(settings.endpoint);
      if (!check.ok) return { problem: check.error };
      return { endpoint: check.url, consented: settings.consented_endpoints.includes(check.url), permission_pattern: check.permissionPattern };
    }
    if (!summary) return problemOf({ key: 'problemDriveLeft', args: [key] });
    if (summary.state === 'closed') return problemOf({ key: 'problemDriveClosed', args: [summary.name] });
    if (summary.state === 'ended') return problemOf({ key: 'problemDriveEnded', args: [summary.name, { date: summary.ends_at ?? new Date().toISOString() }] });
    if (summary.pending)
      return {
        // The review lists the changes under its own sentence; elsewhere they are named in it.
        problem: t('errDriveChangedFields', [summary.name, summary.pending.changes.join(', ')]),
        problem_message: { key: 'problemDriveChanged', args: [summary.name] },
      };
    if (summary.requires_token && !summary.has_token) return problemOf({ key: 'problemDriveToken', args: [summary.name] });
    return { endpoint: summary.endpoint, consented: true, permission_pattern: summary.permission_pattern };
  }

  async function review(reportIds?: readonly string[]): Promise<UploadReview> {
    let reports: Report[];
    let total: number;
    if (reportIds) {
      reports = (await Promise.all(reportIds.map((id) => deps.db.get('reports', id)))).filter((r): r is Report => Boolean(r));
      total = reports.length;
    } else {
      // Oldest first: the ones that have waited longest are shown; newer ones wait for the next upload.
      reports = (await deps.db.getAllFromIndex('reports', 'by_status_created', IDBKeyRange.bound(['ready'], ['ready', []]), REVIEW_LIMIT)) as Report[];
      total = await deps.db.countFromIndex('reports', 'by_status', 'ready');
    }
    const keys = [...new Set(reports.map((r) => r.drive_id ?? ''))].sort();
    // The manifest is read again before an upload: a changed name, endpoint or licence asks for consent again.
    const summaries = new Map<string, DriveSummary | undefined>();
    const checkErrors = new Map<string, string>();
    await Promise.all(
      keys.filter(Boolean).map(async (key) => {
        // A receiver that is down must not keep the review from opening for long.
        const refreshed = await deps.drives?.refresh(key, { timeoutMs: REFRESH_TIMEOUT_MS });
        summaries.set(key, refreshed);
        if (refreshed?.last_error) checkErrors.set(key, refreshed.last_error);
      }),
    );
    const receipts = new Map(
      (await Promise.all(reports.map((r) => deps.db.get('receipts', r.id)))).filter((r): r is Receipt => Boolean(r)).map((r) => [r.report_id, r]),
    );
    const groups: UploadGroup[] = [];
    for (const key of keys) {
      const summary = summaries.get(key);
      const destination = await destinationOf(key, summary);
      const endpoint = 'endpoint' in destination ? destination.endpoint : undefined;
      groups.push({
        key,
        ...(key
          ? {
              drive: {
                id: key,
                ...(summary
                  ? {
                      name: summary.name,
                      organizer: summary.organizer,
                      license: summary.license,
                      privacy_url: summary.privacy_url,
                      contributor: summary.contributor,
                    }
                  : {}),
                ...(summary?.pending ? { pending: summary.pending } : {}),
                ...(checkErrors.has(key) ? { check_error: checkErrors.get(key) } : {}),
              },
            }
          : {}),
        // A drive that can't take reports now still says where they would go.
        ...('problem' in destination
          ? { problem: destination.problem, problem_message: destination.problem_message, consented: false, ...(summary ? { endpoint: summary.endpoint } : {}) }
          : destination),
        reports: reports
          .filter((r) => (r.drive_id ?? '') === key)
          .map((report) => {
            const uploaded = toUploaded(report);
            const redactions = findReportRedactions(uploaded);
            const receipt = receipts.get(report.id);
            return {
              id: report.id,
              outgoing: redactReport(uploaded, { redactions }).report,
              redactions,
              replaces: Boolean(endpoint && receipt && receipt.endpoint === endpoint && (receipt.remote === 'accepted' || receipt.remote === 'updated')),
            };
          }),
      });
    }
    return { groups, total_ready: Math.max(total, reports.length), shown: reports.length };
  }

  /**
   * Queue the reviewed reports, honouring the redactions the user undid, then send. Each
   * group goes to its own destination; a group that can't be sent is left as it is, with why.
   */
  async function start(options: { reportIds: readonly string[]; undone: readonly string[]; consent: boolean }) {
    const undone = new Set(options.undone);
    const byKey = new Map<string, string[]>();
    for (const id of options.reportIds) {
      const report = await deps.db.get('reports', id);
      const key = report?.drive_id ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), id]);
    }
    let queued = 0;
    let updates = 0;
    const skipped: Array<{ id: string; reason: string }> = [];
    const errors: string[] = [];
    for (const [key, ids] of byKey) {
      const summary = key ? (await deps.drives?.list())?.find((d) => d.id === key) : undefined;
      const destination = await destinationOf(key, summary);
      if ('problem' in destination) {
        errors.push(destination.problem);
        for (const id of ids) skipped.push({ id, reason: destination.problem });
        continue;
      }
      if (!key && !destination.consented) {
        if (!options.consent) {
          const error = t('errAgreeFirst', destination.endpoint);
          errors.push(error);
          for (const id of ids) skipped.push({ id, reason: error });
          continue;
        }
        const settings = await readSettings(deps.db);
        await writeSettings(deps.db, { consented_endpoints: [...settings.consented_endpoints, destination.endpoint] });
      }
      const result = await enqueueReady(deps.db, {
        endpoint: destination.endpoint,
        client: deps.client,
        driveId: key || undefined,
        // Only this drive's own pseudonym, and none for reports of no drive.
        ...(key && summary ? { contributor: summary.contributor } : {}),
        reportIds: ids,
        // Undo ids are `<field>:<kind>:<start>-<end>` in the report's own text.
        prepare: (report) =>
          redactReport(toUploaded(report), { undone: [...undone].filter((id) => id.startsWith(`${report.id}/`)).map((id) => id.slice(report.id.length + 1)) })
            .report,
      });
      if (!result.ok) {
        errors.push(result.error);
        continue;
      }
      queued += result.queued;
      updates += result.updates;
      skipped.push(...result.skipped);
    }
    if (queued === 0 && errors.length) return { ok: false as const, error: errors.join(' ') };
    deps.onChange?.();
    void run();
    return { ok: true as const, queued, updates, skipped };
  }

  /** Withdraw an uploaded report (DESIGN §8a): a DELETE through the outbox. */
  async function withdraw(reportId: string) {
    const result = await enqueueWithdraw(deps.db, reportId, { client: deps.client, now: deps.now });
    if (!result.ok) return result;
    deps.onChange?.();
    void run();
    return { ok: true as const };
  }

  /** Send whatever is due. Overlapping calls share one run. */
  function run(): Promise<void> {
    if (running) return running;
    status.running = true;
    status.last_error = undefined;
    // Only a settled report changes what the badge counts. A run that finds the outbox empty
    // (every service-worker start does one) must not recount: counting 10,000 reports holds
    // IndexedDB for 100-200 ms, in front of the request that woke the worker (the popup's list).
    let settled = false;
    running = (async () => {
      try {
        const result = await runOutbox({
          store,
          credentials,
          fetch: deps.fetch,
          config: deps.config,
          now: deps.now,
          onProgress: (progress) => {
            status.progress = progress;
            if (progress.done > 0) {
              settled = true;
              deps.onChange?.();
            }
          },
        });
        status.last_result = { uploaded: result.uploaded, failed: result.failed, withdrawn: result.withdrawn };
        status.last_error = result.lastError;
        status.next_attempt_at = result.nextAttemptAt;
        deps.scheduleWake(result.nextAttemptAt);
      } catch (error) {
        status.last_error = t('errUploadingStopped', String((error as Error)?.message ?? error));
        deps.scheduleWake((deps.now ?? Date.now)() + 60_000);
      } finally {
        status.running = false;
        running = undefined;
        status.pending = await store.pendingReports();
        if (settled) deps.onChange?.();
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
    const held = new Map<string, UploadStatus['held'][number]>();
    for (const batch of await store.held()) {
      const key = `${batch.endpoint} ${batch.drive_id ?? ''}`;
      const entry = held.get(key) ?? {
        endpoint: batch.endpoint,
        ...(batch.drive_id ? { drive_id: batch.drive_id } : {}),
        reports: 0,
        reason: batch.held ?? '',
      };
      entry.reports += batch.report_ids.length;
      held.set(key, entry);
    }
    status.held = [...held.values()];
    if (!status.running) status.next_attempt_at = await store.nextAttemptAt();
    return { ...status };
  }

  return { review, start, withdraw, run, retryNow, status: currentStatus };
}

export type Uploader = ReturnType<typeof createUploader>;
