// The background's logic, with its dependencies passed in (a db, a clock, browser hooks),
// so tests call it directly. entrypoints/background.ts only wires it to the browser.
import { z } from '../zod';
import {
  CaptureMessage,
  ContentMessage,
  MAX_MESSAGE_CHARS,
  PageMessage,
  type AnyReply,
  type Failure,
  type MessageType,
  type ReplyOf,
  type RequestOf,
} from '../messages';
import { adapterFor } from '../adapters';
import type { ClientInfo, Report, ReportStatus } from '../report';
import type { SoundsLocalDb } from '../storage/db';
import { InvalidReportError, countByStatus, deleteReports, getReport, listReports, saveReport, allReports } from '../storage/reports';
import { readSettings, writeSettings, installSalt, conversationRef } from '../settings';
import { CaptureError, captureKey, draftFromCapture, preselectionOf } from './capture';
import { parseJsonl, reportsToJsonl } from '../jsonl';
import { ownerKeysFileText, parseOwnerKeysFile, restoredRemote } from '../owner-keys';
import { STRICT } from '../storage/db';
import { LIMITS, describeIssues } from '../report';
import { defaultLocaleFrom } from '../locale';
import { validateEndpoint } from '../protocol';
import type { Uploader } from './uploads';
import type { Drives } from './drives';
import { hasToken, setToken } from '../upload/credentials';
import { formatNumber, t } from '../i18n';
import type { UiLanguage } from '../ui/i18n';
import type { ContentStrings } from '../ui/languageChoice';

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
  /** The in-page button's strings in a UI language (lib/background/language.ts). */
  contentStrings?: (language: UiLanguage) => Promise<ContentStrings>;
}

type PageType = PageMessage['type'];
/** One handler per page message type, each bound to its own request and reply types. */
type PageHandlers = { [K in PageType]: (message: RequestOf<K>) => Promise<ReplyOf<K>> };

/**
 * The background's one entry point, typed per message for callers that know what they send
 * (tests, the UI's transport); the wire itself is untyped, hence the `unknown` overload.
 */
export interface MessageHandler {
  <K extends MessageType>(message: RequestOf<K>, sender: MessageSender): Promise<ReplyOf<K>>;
  (raw: unknown, sender: MessageSender): Promise<AnyReply>;
}

const FOCUS_KEY = 'focus';
/** Requests that change no report (everything else drops the cached counts). */
const READ_ONLY = new Set([
  'get-state',
  'get-counts',
  'list-reports',
  'get-report',
  'export-reports',
  'export-owner-keys',
  'import-owner-keys',
  'upload-review',
  'upload-status',
  'page-status',
  'set-settings',
  'clear-focus',
]);
/** Requests that keep the counts right themselves. */
const KEEPS_COUNTS = new Set(['save-report']);

export function createBackground(deps: BackgroundDeps) {
  const now = deps.now ?? (() => new Date());
  const uuid = deps.uuid ?? (() => crypto.randomUUID());
  const log = deps.log ?? ((message: string) => console.warn(`[Sounds Local] ${message}`));
  const unreadableTabs = new Map<number, string>();
  /** The structure of each unreadable tab's page (drift report), when its content script sent one. */
  const driftReports = new Map<number, { site: string; fingerprint: string }>();

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

  async function onCapture(message: CaptureMessage): Promise<ReplyOf<'capture'>> {
    const settings = await readSettings(deps.db);
    const locale = settings.default_locale ?? defaultLocaleFrom(deps.uiLanguages()) ?? 'en-US';
    // One rule (lib/background/drives.ts defaultDriveFor): an active joined drive for this locale claims the report.
    const { expected_locale: expectedLocale, drive_id: driveId } = deps.drives
      ? await deps.drives.defaultsFor(locale)
      : { expected_locale: locale, drive_id: undefined };
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

  const pageHandlers: PageHandlers = {
    'get-state': async (message) => {
      const [settings, byStatus, focus] = await Promise.all([
        readSettings(deps.db),
        message.counts === false ? undefined : counts(),
        deps.db.get('settings', FOCUS_KEY),
      ]);
      const endpointHasToken = settings.endpoint ? await hasToken(deps.db, settings.endpoint, undefined) : false;
      return {
        ok: true,
        settings,
        ...(byStatus ? { counts: byStatus } : {}),
        focus_report_id: typeof focus === 'string' ? focus : undefined,
        unreadable: [...unreadableTabs.values()],
        drift: [...driftReports.values()],
        endpoint_has_token: endpointHasToken,
        drives: deps.drives ? await deps.drives.list() : [],
      };
    },
    'get-counts': async () => ({ ok: true, counts: await counts() }),
    'clear-focus': async () => {
      const tx = deps.db.transaction('settings', 'readwrite', STRICT);
      await Promise.all([tx.store.delete(FOCUS_KEY), tx.done]);
      return { ok: true };
    },
    'list-reports': async (message) => {
      const page = await listReports(deps.db, message);
      // Uploaded reports whose edited version replaced the receiver's copy (DESIGN §8a).
      const receipts = await Promise.all(page.reports.filter((r) => r.status === 'uploaded').map((r) => deps.db.get('receipts', r.id)));
      const updated = receipts.filter((r) => r?.remote === 'updated').map((r) => r!.report_id);
      return { ok: true, ...page, updated };
    },
    'get-report': async (message) => {
      const report = await getReport(deps.db, message.id);
      return report ? { ok: true, report } : { ok: false, error: t('errReportGone') };
    },
    'save-report': async (message) => {
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
    },
    'delete-reports': async (message) => {
      const removed = await deleteReports(deps.db, message.ids);
      await refreshBadge();
      return { ok: true, removed };
    },
    'restore-reports': async (message) => {
      const { reports, errors } = parseJsonl(message.reports.map((r) => JSON.stringify(r)).join('\n'));
      if (errors.length) return { ok: false, error: t('errRestoreFailed'), problems: errors };
      const tx = deps.db.transaction('reports', 'readwrite', STRICT);
      await Promise.all([...reports.map((r) => tx.store.put(r)), tx.done]);
      await refreshBadge();
      return { ok: true, restored: reports.length };
    },
    'export-reports': async () => {
      const reports = await allReports(deps.db);
      return { ok: true, jsonl: reportsToJsonl(reports), count: reports.length };
    },
    'import-reports': async (message) => {
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
    },
    'export-owner-keys': async () => {
      const receipts = await deps.db.getAll('receipts');
      return { ok: true, text: ownerKeysFileText(receipts, now()), count: receipts.length };
    },
    'import-owner-keys': async (message) => {
      // Hashing is asynchronous and would end an IndexedDB transaction: check the file first.
      const parsed = await parseOwnerKeysFile(message.text);
      if (!parsed.ok) return { ok: false, error: parsed.error, problems: parsed.problems };
      const tx = deps.db.transaction(['reports', 'receipts'], 'readwrite', STRICT);
      const receipts = tx.objectStore('receipts');
      const result = { restored: 0, unchanged: 0, missing: 0, conflicts: [] as string[] };
      for (const receipt of parsed.receipts) {
        // A key is only worth keeping beside its report: import the reports JSONL first.
        if (!(await tx.objectStore('reports').count(receipt.report_id))) {
          result.missing++;
          continue;
        }
        const held = await receipts.get(receipt.report_id);
        if (held && held.secret !== receipt.secret) result.conflicts.push(receipt.report_id);
        else if (held) result.unchanged++;
        else {
          await receipts.put({ ...receipt, remote: restoredRemote(receipt.remote) });
          result.restored++;
        }
      }
      await tx.done;
      return { ok: true, ...result };
    },
    'upload-review': async (message) => withUploader(async (uploader) => ({ ok: true, review: await uploader.review(message.report_ids) })),
    'upload-status': async () => withUploader(async (uploader) => ({ ok: true, status: await uploader.status() })),
    'upload-now': async () =>
      withUploader(async (uploader) => {
        // Resolves once the run has started, so the next upload-status already says running.
        await uploader.retryNow();
        return { ok: true };
      }),
    'start-upload': async (message) =>
      withUploader(async (uploader) => {
        const started = await uploader.start({ reportIds: message.report_ids, undone: message.undone, consent: message.consent });
        return started.ok
          ? { ok: true, queued: started.queued, updates: started.updates, skipped: started.skipped }
          : { ok: false, error: started.error ?? t('errUploadNotStarted') };
      }),
    'withdraw-report': async (message) =>
      withUploader(async (uploader) => {
        const result = await uploader.withdraw(message.id);
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      }),
    'report-receipt': async (message) => {
      const receipt = await deps.db.get('receipts', message.id);
      if (!receipt || receipt.remote === 'pending') return { ok: true };
      return { ok: true, receipt: { endpoint: receipt.endpoint, drive_id: receipt.drive_id, remote: receipt.remote } };
    },
    'drive-preview': async (message) => withDrives((drives) => drives.preview(message.input)),
    'drive-join': async (message) => withDrives((drives) => drives.join(message)),
    'drive-leave': async (message) => withDrives((drives) => drives.leave(message.drive_id)),
    'drive-list': async () => withDrives(async (drives) => ({ ok: true, drives: await drives.list() })),
    'drive-reconsent': async (message) => withDrives((drives) => drives.reconsent(message.drive_id)),
    'drive-token': async (message) => withDrives((drives) => drives.saveToken(message.drive_id, message.token)),
    'drive-progress': async (message) => withDrives((drives) => drives.progress(message.drive_id)),
    'drive-glossary': async (message) => withDrives((drives) => drives.glossary(message.drive_id)),
    'drive-refresh': async (message) =>
      withDrives(async (drives) => {
        const drive = await drives.refresh(message.drive_id);
        return drive ? { ok: true, drive } : { ok: false, error: t('errNotInDrive') };
      }),
    'set-settings': async (message) => {
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
        if (error instanceof z.ZodError) return { ok: false, error: t('errSettingsInvalid'), problems: describeIssues(error) };
        throw error;
      }
    },
  };

  function withDrives<R>(run: (drives: NonNullable<typeof deps.drives>) => Promise<R>): Promise<R | Failure> {
    const drives = deps.drives;
    if (!drives) return Promise.resolve({ ok: false, error: t('errDrivesUnavailable') });
    return run(drives);
  }

  function withUploader<R>(run: (uploader: Uploader) => Promise<R>): Promise<R | Failure> {
    const uploader = deps.uploader;
    if (!uploader) return Promise.resolve({ ok: false, error: t('errUploadUnavailable') });
    return run(uploader);
  }

  /** Dispatch on the message's own type: the handler map ties request to reply. */
  function onPage<K extends PageType>(message: RequestOf<K>): Promise<ReplyOf<K>> {
    return (pageHandlers[(message as PageMessage).type as K] as (m: RequestOf<K>) => Promise<ReplyOf<K>>)(message);
  }

  /** The one entry point for runtime messages. Never throws: errors are replies. */
  async function handle(raw: unknown, sender: MessageSender): Promise<AnyReply> {
    const kind = senderKind(sender);
    if (kind === 'unknown') {
      log(`ignored a message from an unexpected sender (${sender.url ?? 'no url'})`);
      // Not a user's screen: the answer goes to a sender that isn't ours, so it stays in English.
      return { ok: false, error: 'Unexpected sender.' };
    }
    let size = 0;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      return { ok: false, error: t('errMessageUnreadable') };
    }
    if (kind === 'content' && size > MAX_MESSAGE_CHARS) {
      log(`refused a ${size}-character message from ${sender.url}`);
      const answer = (raw as { answer?: unknown } | null)?.answer;
      const length = typeof answer === 'string' ? answer.length : size;
      return {
        ok: false,
        error: t('errAnswerTooLongToSend', [formatNumber(length), formatNumber(LIMITS.answer)]),
      };
    }
    const schema = kind === 'content' ? ContentMessage : PageMessage;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      log(`refused a ${kind} message of type ${JSON.stringify(type)}: ${describeIssues(parsed.error).join('; ')}`);
      return { ok: false, error: kind === 'content' ? t('errAnswerUnreadable') : t('errInvalidRequest'), problems: describeIssues(parsed.error) };
    }
    try {
      const message = parsed.data;
      if (message.type === 'capture') return await onCapture(message);
      if (message.type === 'ui-strings') {
        if (!deps.contentStrings) return { ok: false, error: 'The UI language is not available here.' };
        return { ok: true, strings: await deps.contentStrings(message.language) };
      }
      if (message.type === 'page-status') {
        const tabId = sender.tab?.id ?? -1;
        if (message.unreadable) unreadableTabs.set(tabId, message.site);
        else unreadableTabs.delete(tabId);
        if (message.unreadable && message.fingerprint) driftReports.set(tabId, { site: message.site, fingerprint: message.fingerprint });
        else driftReports.delete(tabId);
        await refreshBadge();
        return { ok: true };
      }
      const reply = await onPage(message);
      if (!READ_ONLY.has(message.type) && !KEEPS_COUNTS.has(message.type)) countsCache = undefined;
      return reply;
    } catch (error) {
      log(`failed to handle ${parsed.data.type}: ${(error as Error).message}`);
      return { ok: false, error: t('errSomethingWentWrong', String((error as Error)?.message ?? error)) };
    }
  }

  /**
   * The generic fallback on any page: the context-menu item "Report selection as not
   * local" makes a report from the selected text (site `other` unless a chatbot adapter
   * knows the page).
   */
  async function captureSelection(selectionText: string | undefined, pageUrl: string | undefined): Promise<ReplyOf<'capture'>> {
    const parsed = CaptureMessage.safeParse({
      type: 'capture',
      site: (pageUrl && adapterFor(pageUrl)?.site) || 'other',
      answer: selectionText?.trim() ?? '',
      page_url: pageUrl ? stripQuery(pageUrl) : undefined,
    });
    if (!parsed.success) return { ok: false, error: t('errSelectFirst') };
    return onCapture(parsed.data);
  }

  return {
    handle: handle as MessageHandler,
    refreshBadge,
    captureSelection,
    forgetTab: (tabId: number) => {
      driftReports.delete(tabId);
      return unreadableTabs.delete(tabId) && refreshBadge();
    },
  };
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
