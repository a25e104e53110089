// The background's logic, with its dependencies passed in (a db, a clock, browser hooks),
// so tests call it directly. entrypoints/background.ts only wires it to the browser.
import { z } from '../zod';
import { CaptureMessage, ContentMessage, MAX_MESSAGE_CHARS, PageMessage } from '../messages';
import { adapterFor } from '../adapters';
import type { ClientInfo, Report, ReportStatus } from '../report';
import type { SoundsLocalDb } from '../storage/db';
import {
  InvalidReportError, countByStatus, deleteReports, getReport, listReports, saveReport, allReports,
} from '../storage/reports';
import { readSettings, writeSettings, installSalt, conversationRef } from '../settings';
import { CaptureError, captureKey, draftFromCapture, preselectionOf } from './capture';
import { parseJsonl, reportsToJsonl } from '../jsonl';
import { STRICT } from '../storage/db';
import { LIMITS, describeIssues } from '../report';
import { defaultLocaleFrom } from '../locale';
import { validateEndpoint } from '../protocol';
import type { Uploader } from './uploads';
import type { Drives } from './drives';
import { hasToken, setToken } from '../upload/credentials';

export interface MessageSender {
  /** The sending page's URL (a chatbot page for content scripts, our own pages otherwise). */
  url?: string;
  /** Present for content scripts. */
  tab?: { id?: number };
  /** The sending extension's id. */
  id?: string;
}

export interface BackgroundDeps {
  db: SoundsLocalDb;
  extensionId: string;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/`. */
  extensionOrigin: string;
  client: ClientInfo;
  uiLanguages: () => readonly string[];
  now?: () => Date;
  uuid?: () => string;
  setBadge?: (count: number, warning?: string) => void;
  /** Try to open the popup after a capture; resolves false where the browser refuses. */
  openPopup?: () => Promise<boolean>;
  log?: (message: string) => void;
  /** Uploading (lib/background/uploads.ts); without it upload requests are refused. */
  uploader?: Uploader;
  /** Joined feedback drives (lib/background/drives.ts); without it drive requests are refused. */
  drives?: Drives;
}

export type Reply = { ok: true; [key: string]: unknown } | { ok: false; error: string; problems?: string[] };

const FOCUS_KEY = 'focus';
/** Requests that change no report (everything else drops the cached counts). */
const READ_ONLY = new Set(['get-state', 'get-counts', 'list-reports', 'get-report', 'export-reports', 'upload-review', 'upload-status', 'page-status', 'set-settings', 'clear-focus']);
/** Requests that keep the counts right themselves. */
const KEEPS_COUNTS = new Set(['save-report']);

export function createBackground(deps: BackgroundDeps) {
  const now = deps.now ?? (() => new Date());
  const uuid = deps.uuid ?? (() => crypto.randomUUID());
  const log = deps.log ?? ((message: string) => console.warn(`[Sounds Local] ${message}`));
  const unreadableTabs = new Map<number, string>();

  // Counting 10,000 reports by status takes a few hundred ms in IndexedDB: the counts are
  // kept until something may have changed them (any request that writes, or the uploader).
  let countsCache: Promise<Record<ReportStatus, number>> | undefined;
  const counts = () =>
    (countsCache ??= countByStatus(deps.db).catch((error: unknown) => {
      countsCache = undefined;
      throw error;
    }));

  let badgeTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleBadge() {
    countsCache = undefined;
    clearTimeout(badgeTimer);
    badgeTimer = setTimeout(() => void refreshBadge().catch(() => {}), 300);
  }

  async function refreshBadge() {
    countsCache = undefined;
    const c = await counts();
    const count = c.draft + c.ready + c.uploading + c.failed;
    const warning = unreadableTabs.size ? [...unreadableTabs.values()][0] : undefined;
    deps.setBadge?.(count, warning);
  }

  function senderKind(sender: MessageSender): 'page' | 'content' | 'unknown' {
    if (sender.id !== deps.extensionId) return 'unknown';
    // Our own pages (popup, options, the editor in a tab) are served from the extension origin.
    if (sender.url?.startsWith(deps.extensionOrigin)) return 'page';
    if (sender.tab) return 'content';
    return 'unknown';
  }

  async function onCapture(message: CaptureMessage): Promise<Reply> {
    const settings = await readSettings(deps.db);
    const locale = settings.default_locale ?? defaultLocaleFrom(deps.uiLanguages()) ?? 'en-US';
    // One rule (lib/background/drives.ts defaultDriveFor): an active joined drive for this locale claims the report.
    const { expected_locale: expectedLocale, drive_id: driveId } = deps.drives ? await deps.drives.defaultsFor(locale) : { expected_locale: locale, drive_id: undefined };
    const salt = await installSalt(deps.db);
    const key = await captureKey(salt, message);
    // A second click on the same answer: open the report it already is (lib/background/capture.ts).
    const knownId = await deps.db.get('settings', key);
    const known = typeof knownId === 'string' ? await getReport(deps.db, knownId) : undefined;
    if (known) {
      const preselected = preselectionOf(message);
      const editable = known.status === 'draft' || known.status === 'ready' || known.status === 'failed';
      if (preselected && editable) await saveReport(deps.db, { ...known, preselected });
      const tx = deps.db.transaction('settings', 'readwrite', STRICT);
      await Promise.all([tx.store.put(known.id, FOCUS_KEY), tx.done]);
      const opened = (await deps.openPopup?.().catch(() => false)) ?? false;
      return { ok: true, report_id: known.id, popup_opened: opened, existing: true };
    }
    const ref = message.conversation_id ? await conversationRef(salt, message.site, message.conversation_id) : undefined;
    let report: Report;
    try {
      report = draftFromCapture(message, { now, uuid, client: deps.client, expectedLocale, conversationRef: ref, driveId });
      report = await saveReport(deps.db, report);
    } catch (error) {
      if (error instanceof CaptureError) return { ok: false, error: error.message };
      if (error instanceof InvalidReportError) return { ok: false, error: error.message, problems: error.problems };
      throw error;
    }
    const tx = deps.db.transaction('settings', 'readwrite', STRICT);
    await Promise.all([tx.store.put(report.id, FOCUS_KEY), tx.store.put(report.id, key), tx.done]);
    await refreshBadge();
    const opened = (await deps.openPopup?.().catch(() => false)) ?? false;
    return { ok: true, report_id: report.id, popup_opened: opened };
  }

  async function onPage(message: PageMessage): Promise<Reply> {
    switch (message.type) {
      case 'get-state': {
        const [settings, byStatus, focus] = await Promise.all([
          readSettings(deps.db), message.counts === false ? undefined : counts(), deps.db.get('settings', FOCUS_KEY),
        ]);
        const endpointHasToken = settings.endpoint ? await hasToken(deps.db, settings.endpoint, undefined) : false;
        return {
          ok: true, settings, ...(byStatus ? { counts: byStatus } : {}), focus_report_id: typeof focus === 'string' ? focus : undefined, unreadable: [...unreadableTabs.values()],
          endpoint_has_token: endpointHasToken,
          drives: deps.drives ? await deps.drives.list() : [],
        };
      }
      case 'get-counts':
        return { ok: true, counts: await counts() };
      case 'clear-focus': {
        const tx = deps.db.transaction('settings', 'readwrite', STRICT);
        await Promise.all([tx.store.delete(FOCUS_KEY), tx.done]);
        return { ok: true };
      }
      case 'list-reports': {
        const page = await listReports(deps.db, message);
        // Uploaded reports whose edited version replaced the receiver's copy (DESIGN §8a).
        const receipts = await Promise.all(page.reports.filter((r) => r.status === 'uploaded').map((r) => deps.db.get('receipts', r.id)));
        const updated = receipts.filter((r) => r?.remote === 'updated').map((r) => r!.report_id);
        return { ok: true, ...page, updated };
      }
      case 'get-report': {
        const report = await getReport(deps.db, message.id);
        return report ? { ok: true, report } : { ok: false, error: 'This report no longer exists.' };
      }
      case 'save-report': {
        try {
          const candidate = { ...(message.report as object), updated_at: now().toISOString() };
          const id = (candidate as { id?: unknown }).id;
          const before = typeof id === 'string' ? await getReport(deps.db, id).catch(() => undefined) : undefined;
          const report = await saveReport(deps.db, candidate);
          // The editor saves every change by itself: only a new report or a new status changes
          // the counts, so only then recount (a recount of 10,000 takes a few hundred ms).
          if (!before || before.status !== report.status) await refreshBadge();
          return { ok: true, report };
        } catch (error) {
          if (error instanceof InvalidReportError) return { ok: false, error: error.message, problems: error.problems };
          throw error;
        }
      }
      case 'delete-reports': {
        const removed = await deleteReports(deps.db, message.ids);
        await refreshBadge();
        return { ok: true, removed };
      }
      case 'restore-reports': {
        const { reports, errors } = parseJsonl(message.reports.map((r) => JSON.stringify(r)).join('\n'));
        if (errors.length) return { ok: false, error: 'Some reports could not be restored.', problems: errors };
        const tx = deps.db.transaction('reports', 'readwrite', STRICT);
        await Promise.all([...reports.map((r) => tx.store.put(r)), tx.done]);
        await refreshBadge();
        return { ok: true, restored: reports.length };
      }
      case 'export-reports': {
        const reports = await allReports(deps.db);
        return { ok: true, jsonl: reportsToJsonl(reports), count: reports.length };
      }
      case 'import-reports': {
        const { reports, errors } = parseJsonl(message.jsonl, message.first_line);
        // One transaction per message (the options page sends big files in chunks): every
        // lookup at once, then the writes, so 10,000 reports take seconds, not minutes.
        const tx = deps.db.transaction('reports', 'readwrite', STRICT);
        const existing = await Promise.all(reports.map((report) => tx.store.get(report.id)));
        let added = 0;
        let unchanged = 0;
        const writes: Promise<unknown>[] = [];
        reports.forEach((report, i) => {
          const old = existing[i];
          if (old && old.updated_at >= report.updated_at) unchanged++;
          else {
            writes.push(tx.store.put(report));
            added++;
          }
        });
        await Promise.all([...writes, tx.done]);
        // A 10,000-report import arrives as ten messages: recount once they stop coming.
        scheduleBadge();
        return { ok: true, added, unchanged, problems: errors };
      }
      case 'upload-review':
      case 'start-upload':
      case 'upload-status':
      case 'upload-now': {
        const uploader = deps.uploader;
        if (!uploader) return { ok: false, error: 'Uploading is not available here.' };
        if (message.type === 'upload-review') return { ok: true, review: await uploader.review(message.report_ids) };
        if (message.type === 'upload-status') return { ok: true, status: await uploader.status() };
        if (message.type === 'upload-now') {
          // Resolves once the run has started, so the next upload-status already says running.
          await uploader.retryNow();
          return { ok: true };
        }
        const started = await uploader.start({ reportIds: message.report_ids, undone: message.undone, consent: message.consent });
        return started.ok ? { ok: true, queued: started.queued, skipped: started.skipped } : { ok: false, error: started.error ?? 'Could not start uploading.' };
      }
      case 'withdraw-report': {
        if (!deps.uploader) return { ok: false, error: 'Uploading is not available here.' };
        const result = await deps.uploader.withdraw(message.id);
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      }
      case 'report-receipt': {
        const receipt = await deps.db.get('receipts', message.id);
        if (!receipt || receipt.remote === 'pending') return { ok: true };
        return { ok: true, receipt: { endpoint: receipt.endpoint, drive_id: receipt.drive_id, remote: receipt.remote } };
      }
      case 'drive-preview':
      case 'drive-join':
      case 'drive-leave':
      case 'drive-list':
      case 'drive-reconsent':
      case 'drive-token':
      case 'drive-progress':
      case 'drive-refresh': {
        const drives = deps.drives;
        if (!drives) return { ok: false, error: 'Drives are not available here.' };
        switch (message.type) {
          case 'drive-preview':
            return drives.preview(message.input);
          case 'drive-join':
            return drives.join(message);
          case 'drive-leave':
            return drives.leave(message.drive_id);
          case 'drive-list':
            return { ok: true, drives: await drives.list() };
          case 'drive-reconsent':
            return drives.reconsent(message.drive_id);
          case 'drive-token':
            return drives.saveToken(message.drive_id, message.token);
          case 'drive-progress':
            return drives.progress(message.drive_id);
          case 'drive-refresh': {
            const drive = await drives.refresh(message.drive_id);
            return drive ? { ok: true, drive } : { ok: false, error: 'You are not in this drive.' };
          }
        }
        return { ok: false, error: 'Unknown drive request.' };
      }
      case 'set-settings': {
        const { token, ...patch } = { ...message.settings };
        if (typeof patch.endpoint === 'string') {
          if (patch.endpoint.trim() === '') patch.endpoint = undefined;
          else {
            const check = validateEndpoint(patch.endpoint);
            if (!check.ok) return { ok: false, error: check.error, problems: [`endpoint: ${check.error}`] };
            patch.endpoint = check.url;
          }
        }
        try {
          const settings = await writeSettings(deps.db, patch);
          // The token is filed under the endpoint saved with it, never in the settings record.
          if (typeof token === 'string' && settings.endpoint) {
            await setToken(deps.db, settings.endpoint, undefined, token);
            if (token.trim()) await deps.uploader?.retryNow();
          }
          return { ok: true, settings };
        } catch (error) {
          if (error instanceof z.ZodError) return { ok: false, error: 'These settings are not valid.', problems: describeIssues(error) };
          throw error;
        }
      }
    }
  }

  /** The one entry point for runtime messages. Never throws: errors are replies. */
  async function handle(raw: unknown, sender: MessageSender): Promise<Reply> {
    const kind = senderKind(sender);
    if (kind === 'unknown') {
      log(`ignored a message from an unexpected sender (${sender.url ?? 'no url'})`);
      return { ok: false, error: 'Unexpected sender.' };
    }
    let size = 0;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      return { ok: false, error: 'The message could not be read.' };
    }
    if (kind === 'content' && size > MAX_MESSAGE_CHARS) {
      log(`refused a ${size}-character message from ${sender.url}`);
      const answer = (raw as { answer?: unknown } | null)?.answer;
      const length = typeof answer === 'string' ? answer.length : size;
      return { ok: false, error: `This answer is too long to report (${length.toLocaleString('en')} characters; the limit is ${LIMITS.answer.toLocaleString('en')}). Select the part that doesn't sound local and report that instead.` };
    }
    const schema = kind === 'content' ? ContentMessage : PageMessage;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      log(`refused a ${kind} message of type ${JSON.stringify(type)}: ${describeIssues(parsed.error).join('; ')}`);
      return { ok: false, error: kind === 'content' ? 'Sounds Local could not read this answer.' : 'Invalid request.', problems: describeIssues(parsed.error) };
    }
    try {
      const message = parsed.data;
      if (message.type === 'capture') return await onCapture(message);
      if (message.type === 'page-status') {
        const tabId = sender.tab?.id ?? -1;
        if (message.unreadable) unreadableTabs.set(tabId, message.site);
        else unreadableTabs.delete(tabId);
        await refreshBadge();
        return { ok: true };
      }
      const reply = await onPage(message as PageMessage);
      if (!READ_ONLY.has(message.type) && !KEEPS_COUNTS.has(message.type)) countsCache = undefined;
      return reply;
    } catch (error) {
      log(`failed to handle ${parsed.data.type}: ${(error as Error).message}`);
      return { ok: false, error: `Something went wrong: ${(error as Error).message}` };
    }
  }

  /**
   * The generic fallback on any page: the context-menu item "Report selection as not
   * local" makes a report from the selected text (site `other` unless a chatbot adapter
   * knows the page).
   */
  async function captureSelection(selectionText: string | undefined, pageUrl: string | undefined): Promise<Reply> {
    const parsed = CaptureMessage.safeParse({
      type: 'capture',
      site: (pageUrl && adapterFor(pageUrl)?.site) || 'other',
      answer: selectionText?.trim() ?? '',
      page_url: pageUrl ? stripQuery(pageUrl) : undefined,
    });
    if (!parsed.success) return { ok: false, error: 'Select the text that doesn\'t sound local first.' };
    return onCapture(parsed.data);
  }

  return { handle, refreshBadge, captureSelection, forgetTab: (tabId: number) => unreadableTabs.delete(tabId) && refreshBadge() };
}

/** Page URLs are kept locally only, and without query or fragment (they can carry tokens). */
function stripQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return undefined;
  }
}
