// The background's logic, with its dependencies passed in (a db, a clock, browser hooks),
// so tests call it directly. entrypoints/background.ts only wires it to the browser.
import { z } from '../zod';
import {
  CaptureMessage, ContentMessage, MAX_MESSAGE_CHARS, PageMessage, type AnyReply, type Failure, type MessageType, type ReplyOf, type RequestOf,
} from '../messages';
import { adapterFor } from '../adapters';
import type { ClientInfo, Report } from '../report';
import type { SoundsLocalDb } from '../storage/db';
import {
  InvalidReportError, countByStatus, countNotUploaded, deleteReports, getReport, listReports, saveReport, allReports,
} from '../storage/reports';
import { readSettings, writeSettings, installSalt, conversationRef } from '../settings';
import { CaptureError, draftFromCapture } from './capture';
import { parseJsonl, reportsToJsonl } from '../jsonl';
import { STRICT } from '../storage/db';
import { LIMITS, describeIssues } from '../report';
import { defaultLocaleFrom } from '../locale';
import { validateEndpoint } from '../protocol';
import type { Uploader } from './uploads';

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

export function createBackground(deps: BackgroundDeps) {
  const now = deps.now ?? (() => new Date());
  const uuid = deps.uuid ?? (() => crypto.randomUUID());
  const log = deps.log ?? ((message: string) => console.warn(`[Sounds Local] ${message}`));
  const unreadableTabs = new Map<number, string>();
  /** The structure of each unreadable tab's page (drift report), when its content script sent one. */
  const driftReports = new Map<number, { site: string; fingerprint: string }>();

  async function refreshBadge() {
    const count = await countNotUploaded(deps.db);
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
    const expectedLocale = settings.default_locale ?? defaultLocaleFrom(deps.uiLanguages()) ?? 'en-US';
    const salt = await installSalt(deps.db);
    const ref = message.conversation_id ? await conversationRef(salt, message.site, message.conversation_id) : undefined;
    let report: Report;
    try {
      report = draftFromCapture(message, { now, uuid, client: deps.client, expectedLocale, conversationRef: ref, driveId: settings.active_drive_id });
      report = await saveReport(deps.db, report);
    } catch (error) {
      if (error instanceof CaptureError) return { ok: false, error: error.message };
      if (error instanceof InvalidReportError) return { ok: false, error: error.message, problems: error.problems };
      throw error;
    }
    const tx = deps.db.transaction('settings', 'readwrite', STRICT);
    await Promise.all([tx.store.put(report.id, FOCUS_KEY), tx.done]);
    await refreshBadge();
    const opened = (await deps.openPopup?.().catch(() => false)) ?? false;
    return { ok: true, report_id: report.id, popup_opened: opened };
  }

  const pageHandlers: PageHandlers = {
    'get-state': async () => {
      const [settings, counts, focus] = await Promise.all([
        readSettings(deps.db), countByStatus(deps.db), deps.db.get('settings', FOCUS_KEY),
      ]);
      return { ok: true, settings, counts, focus_report_id: typeof focus === 'string' ? focus : undefined, unreadable: [...unreadableTabs.values()], drift: [...driftReports.values()] };
    },
    'clear-focus': async () => {
      const tx = deps.db.transaction('settings', 'readwrite', STRICT);
      await Promise.all([tx.store.delete(FOCUS_KEY), tx.done]);
      return { ok: true };
    },
    'list-reports': async (message) => {
      const page = await listReports(deps.db, message);
      return { ok: true, ...page };
    },
    'get-report': async (message) => {
      const report = await getReport(deps.db, message.id);
      return report ? { ok: true, report } : { ok: false, error: 'This report no longer exists.' };
    },
    'save-report': async (message) => {
      try {
        const candidate = { ...(message.report as object), updated_at: now().toISOString() };
        const report = await saveReport(deps.db, candidate);
        await refreshBadge();
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
      if (errors.length) return { ok: false, error: 'Some reports could not be restored.', problems: errors };
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
      const { reports, errors } = parseJsonl(message.jsonl);
      // All valid reports go in one transaction: either the whole import lands or none.
      const tx = deps.db.transaction('reports', 'readwrite', STRICT);
      let added = 0;
      let unchanged = 0;
      for (const report of reports) {
        const existing = await tx.store.get(report.id);
        if (existing && existing.updated_at >= report.updated_at) {
          unchanged++;
          continue;
        }
        await tx.store.put(report);
        added++;
      }
      await tx.done;
      await refreshBadge();
      return { ok: true, added, unchanged, problems: errors };
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
        return started.ok ? { ok: true, queued: started.queued, skipped: started.skipped } : { ok: false, error: started.error ?? 'Could not start uploading.' };
      }),
    'set-settings': async (message) => {
      const patch = { ...message.settings };
      if (typeof patch.endpoint === 'string') {
        if (patch.endpoint.trim() === '') patch.endpoint = undefined;
        else {
          const check = validateEndpoint(patch.endpoint);
          if (!check.ok) return { ok: false, error: check.error, problems: [`endpoint: ${check.error}`] };
          patch.endpoint = check.url;
        }
      }
      if (patch.token === '') patch.token = undefined;
      try {
        const settings = await writeSettings(deps.db, patch);
        return { ok: true, settings };
      } catch (error) {
        if (error instanceof z.ZodError) return { ok: false, error: 'These settings are not valid.', problems: describeIssues(error) };
        throw error;
      }
    },
  };

  function withUploader<R>(run: (uploader: Uploader) => Promise<R>): Promise<R | Failure> {
    const uploader = deps.uploader;
    if (!uploader) return Promise.resolve({ ok: false, error: 'Uploading is not available here.' });
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
        if (message.unreadable && message.fingerprint) driftReports.set(tabId, { site: message.site, fingerprint: message.fingerprint });
        else driftReports.delete(tabId);
        await refreshBadge();
        return { ok: true };
      }
      return await onPage(message);
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
  async function captureSelection(selectionText: string | undefined, pageUrl: string | undefined): Promise<ReplyOf<'capture'>> {
    const parsed = CaptureMessage.safeParse({
      type: 'capture',
      site: (pageUrl && adapterFor(pageUrl)?.site) || 'other',
      answer: selectionText?.trim() ?? '',
      page_url: pageUrl ? stripQuery(pageUrl) : undefined,
    });
    if (!parsed.success) return { ok: false, error: 'Select the text that doesn\'t sound local first.' };
    return onCapture(parsed.data);
  }

  return { handle: handle as MessageHandler, refreshBadge, captureSelection, forgetTab: (tabId: number) => {
    driftReports.delete(tabId);
    return unreadableTabs.delete(tabId) && refreshBadge();
  } };
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
