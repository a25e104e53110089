// The editor's draft and its saving, apart from how the editor looks. Every change (a mark,
// a dismissed suggestion, the locale, the comment…) is saved by itself within a second
// (AUTOSAVE_MS after the last change), one save at a time, and at once when the popup is
// closing (pagehide / hidden), so closing the popup loses nothing. The save state says only
// what is true: "Saving…" until the background has answered, "Saved" only for what it
// stored, and which field was left out when one could not be saved (a locale still being
// typed is kept on screen, and the last valid one stays stored).
import { useEffect, useRef, useState } from 'preact/hooks';
import { canonicalizeLocale } from '../locale';
import type { Highlight, Report, ReportStatus } from '../report';
import type { Api } from './api';
import { placeProblems, type PlacedProblem } from './problems';

export const AUTOSAVE_MS = 400;

export interface DraftFields {
  locale: string;
  modelLabel: string;
  includePrompt: boolean;
  comment: string;
  /** The drive the report is for, if any (DESIGN §9: the user can move it before upload). */
  driveId?: string;
}

export type SaveState =
  /** Nothing changed since the report was opened. */
  | { kind: 'idle' }
  /** Changes waiting for their save (at most AUTOSAVE_MS) or being saved. */
  | { kind: 'saving' }
  /** Everything on screen is stored. `message` says what the last change was. */
  | { kind: 'saved'; message?: string }
  /** Stored, except a locale that is not a valid tag yet (the last valid one is kept). */
  | { kind: 'saved-except-locale'; error: string }
  /** The background refused or the message failed: the changes on screen are NOT stored. */
  | { kind: 'failed'; error: string };

export function fieldsOf(report: Report): DraftFields {
  return {
    locale: report.expected_locale,
    modelLabel: report.model.label ?? '',
    includePrompt: report.include_prompt,
    comment: report.comment ?? '',
    driveId: report.drive_id,
  };
}

/** A copy without undefined fields and without the "preselected" hint (dealt with once opened). */
function cleanReport(report: Report): Report {
  const { preselected: _p, ...rest } = report;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as unknown as Report;
}

/** The report as the screen has it, on top of the last stored one. */
export function candidateReport(
  saved: Report,
  draft: { fields: DraftFields; highlights: Highlight[]; dismissed: string[] },
  status?: Extract<ReportStatus, 'draft' | 'ready'>,
): { report: Report; localeError?: string } {
  const { status_reason: reason, ...base } = saved;
  const locale = canonicalizeLocale(draft.fields.locale);
  const label = draft.fields.modelLabel.trim();
  const model: Report['model'] = label === (saved.model.label ?? '') ? saved.model : label ? { label, source: 'user' } : { source: 'unknown' };
  const comment = draft.fields.comment.trim();
  const report = cleanReport({
    ...base,
    // A failed report keeps its reason until the user changes its status.
    ...(status ? { status } : { status: saved.status, status_reason: reason }),
    expected_locale: locale.ok ? locale.tag : saved.expected_locale,
    model,
    include_prompt: draft.fields.includePrompt && Boolean(base.prompt),
    comment: comment || undefined,
    drive_id: draft.fields.driveId || undefined,
    highlights: draft.highlights,
    dismissed_suggestions: draft.dismissed.length ? draft.dismissed : undefined,
  });
  return { report, localeError: locale.ok ? undefined : locale.error };
}

export function useReportDraft(initial: Report, api: Pick<Api, 'saveReport'>, options: { readOnly?: boolean; delayMs?: number } = {}) {
  const delay = options.delayMs ?? AUTOSAVE_MS;
  const [saved, setSaved] = useState<Report>(initial);
  const [fields, setFieldsState] = useState<DraftFields>(() => fieldsOf(initial));
  const [highlights, setHighlightsState] = useState<Highlight[]>(initial.highlights);
  const [dismissed, setDismissedState] = useState<string[]>(initial.dismissed_suggestions ?? []);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const [problems, setProblems] = useState<PlacedProblem[]>([]);

  // The latest values for saves that run after a render (timers, pagehide).
  const latest = useRef({ saved: initial, fields: fieldsOf(initial), highlights: initial.highlights, dismissed: initial.dismissed_suggestions ?? [] });
  const revision = useRef(0);
  const storedRevision = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>();
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const pendingMessage = useRef<string | undefined>();
  const live = useRef(true);

  async function saveOnce(status?: Extract<ReportStatus, 'draft' | 'ready'>): Promise<boolean> {
    const at = revision.current;
    if (!status && at === storedRevision.current) return true;
    const { report, localeError } = candidateReport(latest.current.saved, latest.current, status);
    if (status && localeError) {
      // An explicit save must not pretend: nothing is stored with a wrong locale.
      if (live.current) {
        setProblems(placeProblems([`expected_locale: ${localeError}`]));
        setState({ kind: 'failed', error: localeError });
      }
      return false;
    }
    const message = pendingMessage.current;
    try {
      const result = await api.saveReport(report);
      if (!result.ok) {
        if (live.current) {
          setProblems(placeProblems(result.problems.length ? result.problems : [result.error]));
          setState({ kind: 'failed', error: result.error });
        }
        return false;
      }
      latest.current.saved = result.report;
      storedRevision.current = Math.max(storedRevision.current, at);
      if (!live.current) return true;
      setSaved(result.report);
      setProblems(localeError ? placeProblems([`expected_locale: ${localeError}`]) : []);
      if (revision.current === at) {
        pendingMessage.current = undefined;
        setState(localeError ? { kind: 'saved-except-locale', error: localeError } : { kind: 'saved', message });
      }
      return true;
    } catch (error) {
      if (live.current) setState({ kind: 'failed', error: String((error as Error)?.message ?? error) });
      return false;
    }
  }

  /** Run a save after the ones already going; resolves with whether it stored. */
  function enqueue(status?: Extract<ReportStatus, 'draft' | 'ready'>): Promise<boolean> {
    clearTimeout(timer.current);
    timer.current = undefined;
    const run = queue.current.then(() => saveOnce(status));
    queue.current = run.catch(() => false);
    return run;
  }

  function changed(message?: string) {
    if (options.readOnly) return;
    revision.current++;
    if (message) pendingMessage.current = message;
    setState({ kind: 'saving' });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void enqueue(), delay);
  }

  // Closing the popup: save what is waiting now, not after the timer that would die with it.
  useEffect(() => {
    const flush = () => {
      if (revision.current !== storedRevision.current) void enqueue();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
      live.current = false;
    };
  }, []);

  return {
    saved,
    fields,
    highlights,
    dismissed,
    state,
    problems,
    /** True while something on screen is not stored yet. */
    get dirty() {
      return revision.current !== storedRevision.current;
    },
    setField<K extends keyof DraftFields>(name: K, value: DraftFields[K]) {
      latest.current.fields = { ...latest.current.fields, [name]: value };
      setFieldsState(latest.current.fields);
      setProblems((ps) => ps.filter((p) => p.field !== (name === 'locale' ? 'expected_locale' : name)));
      changed();
    },
    setHighlights(next: Highlight[], message?: string) {
      latest.current.highlights = next;
      setHighlightsState(next);
      setProblems((ps) => ps.filter((p) => p.field !== 'highlights'));
      changed(message);
    },
    dismiss(keys: string[], message?: string) {
      const next = [...new Set([...latest.current.dismissed, ...keys])];
      latest.current.dismissed = next;
      setDismissedState(next);
      changed(message);
    },
    /** Save now with a status (Ready to upload / back to draft); false if it was refused. */
    saveNow(status: Extract<ReportStatus, 'draft' | 'ready'>) {
      revision.current++;
      setState({ kind: 'saving' });
      return enqueue(status);
    },
    /** The page's preselected text was dealt with (marked or dismissed): save without it. */
    forgetPreselection: () => changed(),
    /** Save whatever is waiting, now (before leaving the editor). */
    flush: () => enqueue(),
  };
}

export type ReportDraft = ReturnType<typeof useReportDraft>;
