// The report editor (DESIGN §7, §13): the expected locale at the top, the suggestions the
// glossaries found, the answer as plain text with marks over it, the mark form, the
// report's own fields. Every change saves itself (lib/ui/useReportDraft.ts); Ready to
// upload sets the status. This file wires the pieces; state and saving live in the hook,
// the sub-forms in components/editor/.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TextRange } from '@/lib/anchoring';
import { describe as describeQuote } from '@/lib/anchoring';
import { canonicalizeLocale } from '@/lib/locale';
import { LIMITS, type Category, type Highlight, type Report, type ReportStatus } from '@/lib/report';
import type { Suggestion } from '@/lib/glossary/types';
import {
  draftFromHighlight,
  emptyMarkDraft,
  findPhrase,
  highlightFromDraft,
  normalizeRange,
  overlappingMark,
  upsertHighlight,
  type MarkDraft,
} from '@/lib/ui/marks';
import { selectionRangeIn } from '@/lib/ui/selection';
import type { PlacedProblem } from '@/lib/ui/problems';
import { formatDate, siteName, statusLabel } from '@/lib/ui/format';
import { formatNumber, t, tp } from '@/lib/ui/i18n';
import { ApiError } from '@/lib/ui/api';
import { useReportDraft, type SaveState } from '@/lib/ui/useReportDraft';
import { suggestionKey, useSuggestions } from '@/lib/ui/useSuggestions';
import { useServices } from './services';
import { AnswerView } from './AnswerView';
import { MarkForm } from './MarkForm';
import { Toast, type ToastMessage } from './Toast';
import { SuggestionsPanel } from './editor/SuggestionsPanel';
import { MarksList } from './editor/MarksList';
import { ReportFields } from './editor/ReportFields';
import { ExpectedLocale } from './editor/ExpectedLocale';
import { DrivePicker } from './drives/DrivePicker';
import { ReportRemote } from './drives/ReportRemote';

export function ReportEditor(props: { reportId: string; onBack: () => void }) {
  const { api } = useServices();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setReport(null);
    setError(null);
    api.getReport(props.reportId).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [props.reportId]);

  if (error) {
    return (
      <div class="view">
        <EditorBar onBack={props.onBack} />
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      </div>
    );
  }
  if (!report)
    return (
      <p class="loading" role="status">
        {t('loading')}
      </p>
    );
  return <EditorForm key={report.id} initial={report} onBack={props.onBack} />;
}

function EditorBar(props: { onBack: () => void; report?: Report }) {
  const { openInTab, inTab } = useServices();
  return (
    <div class="editor-bar">
      <button type="button" class="back" onClick={props.onBack}>
        <span aria-hidden="true" class="flip-rtl">
          ←
        </span>{' '}
        {t('backToReports')}
      </button>
      {props.report && !inTab ? (
        <button type="button" class="subtle push-end" onClick={() => void openInTab(props.report!.id)}>
          {t('openInTab')}
        </button>
      ) : null}
    </div>
  );
}

function saveStateText(state: SaveState): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'saving':
      return t('autosaveSaving');
    case 'saved':
      return state.message ? t('autosaveSavedWith', state.message) : t('autosaveSaved');
    case 'saved-except-locale':
      return t('autosaveSavedExceptLocale');
    case 'failed':
      return t('autosaveFailed', state.error);
  }
}

function EditorForm(props: { initial: Report; onBack: () => void }) {
  const { api, uuid, inTab } = useServices();
  const uid = useId();
  const answer = props.initial.answer;
  // An uploaded report stays editable: uploading it again replaces the receiver's copy
  // (DESIGN §8a). One being sent, or withdrawn, is not.
  const [remoteStatus, setRemoteStatus] = useState<ReportStatus | undefined>();
  const status = remoteStatus ?? props.initial.status;
  const readOnly = status === 'uploading' || status === 'withdrawn';
  const draft = useReportDraft(props.initial, api, { readOnly });
  const { saved, fields, highlights, problems } = draft;
  /** The chosen drive's category subset, for the mark form. */
  const [driveCategories, setDriveCategories] = useState<Category[] | undefined>();

  const [selection, setSelection] = useState<TextRange | undefined>();
  const [markDraft, setMarkDraft] = useState<MarkDraft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [readyMessage, setReadyMessage] = useState<string | null>(null);
  const [findText, setFindText] = useState('');
  const findFrom = useRef(0);
  const answerRef = useRef<HTMLDivElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusAfter = useRef<string | null>(null);

  const typedLocale = canonicalizeLocale(fields.locale);
  const locale = typedLocale.ok ? typedLocale.tag : saved.expected_locale;
  const suggestions = useSuggestions(answer, locale, highlights, draft.dismissed, undefined, { id: fields.driveId || undefined, load: api.driveGlossary });

  // The browser's selection inside the answer enables Mark. A layout effect, so the listener
  // is there from the first paint on.
  useLayoutEffect(() => {
    const doc = answerRef.current?.ownerDocument ?? document;
    const onSelectionChange = () => {
      const container = answerRef.current;
      if (!container) return;
      const raw = selectionRangeIn(container, doc.getSelection());
      setSelection(raw ? normalizeRange(answer, raw) : undefined);
    };
    doc.addEventListener('selectionchange', onSelectionChange);
    return () => doc.removeEventListener('selectionchange', onSelectionChange);
  }, [answer]);

  // Text selected on the page arrives as `preselected`: open the form on it.
  useEffect(() => {
    const pre = props.initial.preselected;
    if (readOnly || !pre || pre.end > answer.length) return;
    const range = normalizeRange(answer, pre);
    if (range && !overlappingMark(range, highlights)) setMarkDraft(emptyMarkDraft(range));
  }, []);

  // First focus: the first suggestion's Accept when there are suggestions, else the answer.
  const firstFocusDone = useRef(false);
  useEffect(() => {
    if (firstFocusDone.current || markDraft || suggestions.kind === 'loading') return;
    firstFocusDone.current = true;
    const accept = rootRef.current?.querySelector<HTMLElement>('.suggestion-actions .primary');
    (accept ?? answerRef.current)?.focus();
  }, [suggestions.kind]);

  // Move focus where the user's attention is after an action.
  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    const root = rootRef.current;
    let el: HTMLElement | null | undefined;
    if (target === 'answer') el = answerRef.current;
    else if (target === 'suggestions')
      el = root?.querySelector<HTMLElement>('.suggestion-actions .primary') ?? root?.querySelector<HTMLElement>('.save-bar .primary');
    else if (target === 'ready') el = root?.querySelector<HTMLElement>('.save-bar .primary');
    else el = answerRef.current?.querySelector<HTMLElement>(`[data-mark-id="${target}"]`);
    el?.focus();
  });

  useEffect(() => {
    if (!inTab) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (draft.dirty) event.preventDefault();
    };
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  });

  const problemsFor = (field: PlacedProblem['field']) => problems.filter((p) => p.field === field && p.markIndex === undefined);
  const markProblem = (index: number) => problems.find((p) => p.field === 'highlights' && p.markIndex === index)?.message;
  const invalidIds = useMemo(
    () => new Set(problems.flatMap((p) => (p.markIndex !== undefined && highlights[p.markIndex] ? [highlights[p.markIndex]!.id] : []))),
    [problems, highlights],
  );

  function beginMark(range: TextRange | undefined) {
    if (readOnly) return;
    if (!range) {
      setNotice(t('noticeSelectFirst'));
      return;
    }
    const clash = overlappingMark(range, highlights);
    if (clash) {
      setNotice(t('noticeOverlap', clash.exact));
      return;
    }
    if (range.end - range.start > LIMITS.exact) {
      setNotice(t('noticeTooLong', formatNumber(LIMITS.exact)));
      return;
    }
    if (highlights.length >= LIMITS.highlights) {
      setNotice(t('noticeTooManyMarks', LIMITS.highlights));
      return;
    }
    setNotice(null);
    answerRef.current?.ownerDocument.getSelection()?.removeAllRanges();
    setMarkDraft(emptyMarkDraft(range));
  }

  function markSelection() {
    const container = answerRef.current;
    const raw = container ? selectionRangeIn(container, container.ownerDocument.getSelection()) : undefined;
    beginMark((raw && normalizeRange(answer, raw)) ?? selection);
  }

  function findAndMark(event: Event) {
    event.preventDefault();
    const found = findPhrase(answer, findText, highlights, findFrom.current);
    if (!found.ok) {
      setNotice(
        found.reason === 'empty'
          ? t('noticeFindEmpty')
          : found.reason === 'all-marked'
            ? t('noticeFindAllMarked', findText.trim())
            : t('noticeFindNotFound', findText.trim()),
      );
      return;
    }
    findFrom.current = found.range.end;
    beginMark(found.range);
  }

  function closeForm(focus: string) {
    setMarkDraft(null);
    focusAfter.current = focus;
    // The page's selection has been dealt with (marked or dismissed): don't offer it again.
    if (saved.preselected) draft.forgetPreselection();
  }

  function submitMark(markDraftValue: MarkDraft) {
    const h = highlightFromDraft(answer, markDraftValue, uuid);
    draft.setHighlights(upsertHighlight(highlights, h), markDraftValue.id ? t('markUpdated') : t('markAdded'));
    setMarkDraft(null);
    setReadyMessage(null);
    focusAfter.current = h.id;
  }

  function removeMark(h: Highlight) {
    const before = highlights;
    draft.setHighlights(
      highlights.filter((x) => x.id !== h.id),
      t('markRemoved'),
    );
    setMarkDraft(null);
    focusAfter.current = 'answer';
    setToast({
      id: Date.now(),
      text: t('markRemovedToast', h.exact),
      action: { label: t('undo'), run: () => draft.setHighlights(before, t('markRestored')) },
    });
  }

  function highlightOf(s: Suggestion): Highlight {
    return {
      id: uuid(),
      start: s.start,
      end: s.end,
      ...describeQuote(answer, s),
      category: s.category,
      severity: s.severity,
      suggestion: s.suggestion,
      ...(s.alternatives?.length ? { alternatives: s.alternatives.slice(0, LIMITS.alternatives) } : {}),
      ...(s.note ? { note: s.note } : {}),
      source: s.source,
    };
  }

  function accept(list: Suggestion[]) {
    const room = LIMITS.highlights - highlights.length;
    if (room <= 0) {
      setNotice(t('noticeTooManyMarks', LIMITS.highlights));
      return;
    }
    let next = highlights;
    for (const s of list.slice(0, room)) next = upsertHighlight(next, highlightOf(s));
    draft.setHighlights(next, list.length === 1 ? t('suggestionAccepted', list[0]!.exact) : tp('suggestionsAcceptedAll', Math.min(list.length, room)));
    setNotice(null);
    focusAfter.current = 'suggestions';
  }

  function dismiss(s: Suggestion) {
    draft.dismiss([suggestionKey(s)], t('suggestionDismissed', s.exact));
    focusAfter.current = 'suggestions';
  }

  /** Select a suggested phrase in the answer, to look at it in context. */
  function show(s: Suggestion) {
    const container = answerRef.current;
    if (!container) return;
    const el = [...container.querySelectorAll<HTMLElement>('.suggested')].find((node) => node.textContent === s.exact);
    el?.scrollIntoView({ block: 'center' });
    container.focus();
  }

  async function setStatus(status: 'draft' | 'ready') {
    const ok = await draft.saveNow(status);
    if (ok) {
      setReadyMessage(status === 'ready' ? t('savedReady') : t('savedDraft'));
      if (status === 'ready') focusAfter.current = 'ready';
    } else queueMicrotask(() => summaryRef.current?.focus());
  }

  const editing = markDraft?.id ? highlights.find((h) => h.id === markDraft.id) : undefined;
  const localeError = problemsFor('expected_locale')[0]?.message;
  const suggestedRanges = suggestions.kind === 'ready' && !readOnly ? suggestions.suggestions : undefined;
  const statusText = readyMessage && draft.state.kind === 'saved' ? readyMessage : saveStateText(draft.state);

  return (
    <div class="view editor" ref={rootRef}>
      <EditorBar onBack={props.onBack} report={saved} />
      <header class="editor-head">
        <h2 class="editor-title">
          {/* Each part isolated: in an rtl UI a Latin site name would otherwise pull the date's digits into its run. */}
          <bdi>{siteName(saved.site)}</bdi>{' '}
          <span class="muted">
            · <bdi>{formatDate(saved.created_at)}</bdi>
          </span>
        </h2>
        <span class={`badge badge-${saved.status}`}>{statusLabel(saved.status)}</span>
      </header>
      <ExpectedLocale
        id={`${uid}-locale`}
        value={fields.locale}
        storedTag={saved.expected_locale}
        readOnly={readOnly}
        error={localeError}
        onInput={(value) => draft.setField('locale', value)}
        onCommit={() => void setStatus(saved.status === 'ready' ? 'ready' : 'draft')}
      />

      {saved.status === 'failed' && saved.status_reason ? <p class="notice notice-error">{t('uploadFailedReason', saved.status_reason)}</p> : null}
      {readOnly ? <p class="notice">{t(status === 'withdrawn' ? 'readOnlyWithdrawn' : 'readOnlyUploaded')}</p> : null}
      <ReportRemote
        reportId={saved.id}
        status={status}
        onChanged={() =>
          void api.getReport(saved.id).then(
            (r) => setRemoteStatus(r.status),
            () => {},
          )
        }
      />

      <SuggestionsPanel state={suggestions} readOnly={readOnly} onAccept={(s) => accept([s])} onAcceptAll={accept} onDismiss={dismiss} onShow={show} />

      <AnswerView
        id={`${uid}-answer`}
        answer={answer}
        highlights={highlights}
        pending={markDraft && !markDraft.id ? markDraft.range : undefined}
        suggested={suggestedRanges}
        invalidIds={invalidIds}
        lang={locale}
        containerRef={answerRef}
        describedBy={`${uid}-mark-hint`}
        onMarkSelection={markSelection}
        onOpenMark={(h) => {
          if (readOnly) return;
          setNotice(null);
          setMarkDraft(draftFromHighlight(h));
        }}
      />

      {!readOnly ? (
        <div class="mark-bar">
          <button
            type="button"
            class="primary"
            disabled={!selection || Boolean(markDraft && !markDraft.id)}
            aria-describedby={`${uid}-mark-hint`}
            // Keep the page selection: pressing the button must not collapse it first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={markSelection}
          >
            {t('markButton')}
          </button>
          <p id={`${uid}-mark-hint`} class="help">
            {highlights.length ? t('markHintMore') : t('markHintKeyboard')}
          </p>
        </div>
      ) : null}

      {notice ? (
        <p class="notice notice-warn" role="alert">
          {notice}
        </p>
      ) : null}

      {markDraft ? (
        <MarkForm
          idPrefix={`${uid}-mark`}
          answer={answer}
          draft={markDraft}
          savedProblem={editing ? markProblem(highlights.indexOf(editing)) : undefined}
          onSubmit={submitMark}
          onCancel={() => closeForm(markDraft.id ?? 'answer')}
          onRemove={editing ? () => removeMark(editing) : undefined}
          categories={driveCategories}
        />
      ) : null}

      {!readOnly ? (
        <details class="find-mark">
          <summary>{t('findSummary')}</summary>
          <form class="find-row" onSubmit={findAndMark}>
            <label for={`${uid}-find`}>{t('findLabel')}</label>
            <div class="row">
              <input id={`${uid}-find`} type="text" dir="auto" value={findText} onInput={(e) => setFindText(e.currentTarget.value)} />
              <button type="submit">{t('findButton')}</button>
            </div>
          </form>
        </details>
      ) : null}

      <MarksList
        highlights={highlights}
        problemFor={(h) => markProblem(highlights.indexOf(h))}
        readOnly={readOnly}
        onEdit={(h) => {
          setNotice(null);
          setMarkDraft(draftFromHighlight(h));
        }}
        onRemove={removeMark}
      />

      {/* Enter in a report field saves now (it saves by itself within a second anyway). */}
      <form
        class="report-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly) void setStatus(saved.status === 'ready' ? 'ready' : 'draft');
        }}
      >
        <DrivePicker
          id={`${uid}-drive`}
          value={fields.driveId}
          locale={fields.locale}
          disabled={readOnly}
          onChange={(id) => draft.setField('driveId', id)}
          onDrive={(d) => setDriveCategories(d?.categories as Category[] | undefined)}
        />
        <ReportFields
          idPrefix={uid}
          saved={saved}
          fields={fields}
          readOnly={readOnly}
          problemsFor={problemsFor}
          onChange={(name, value) => {
            setReadyMessage(null);
            draft.setField(name, value);
          }}
        />

        {problems.length ? (
          <div ref={summaryRef} class="error-summary" role="alert" tabIndex={-1}>
            <p class="error-summary-title">{draft.state.kind === 'failed' ? t('saveProblemsTitle') : t('saveProblemsLocaleTitle')}</p>
            <ul>
              {problems.map((p) => (
                <li key={p.text}>{problemLine(p, highlights)}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </form>
      {!readOnly ? (
        // While the mark form is open its own buttons are the ones to press: the bar hides.
        <div class={`save-bar${markDraft ? ' hidden-while-marking' : ''}`}>
          <span class={`save-state save-${draft.state.kind}`} role="status" aria-live="polite">
            {statusText}
          </span>
          <div class="actions push-end">
            {saved.status === 'ready' ? (
              <button type="button" onClick={() => void setStatus('draft')}>
                {t('backToDraft')}
              </button>
            ) : null}
            <button type="button" class="primary" onClick={() => void setStatus('ready')}>
              {t('readyToUpload')}
            </button>
          </div>
        </div>
      ) : null}
      <Toast toast={toast} onDismiss={() => setToast(null)} />
    </div>
  );
}

function problemLine(p: PlacedProblem, highlights: readonly Highlight[]): string {
  if (p.field === 'highlights' && p.markIndex !== undefined) {
    const h = highlights[p.markIndex];
    return h ? t('problemInMark', [h.exact, p.message]) : p.text;
  }
  const names: Partial<Record<PlacedProblem['field'], string>> = {
    expected_locale: t('fieldExpectedLocale'),
    model: t('fieldModel'),
    prompt: t('fieldIncludePrompt'),
    comment: t('fieldComment'),
  };
  const name = names[p.field];
  return name ? `${name}: ${p.message}` : p.text;
}
