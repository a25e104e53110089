// The report editor (DESIGN §7): the answer as plain text, marks over it, the mark form,
// then the report's own fields and Save draft / Ready to upload. Marks are saved as they
// are added, edited or removed (each is complete on its own, and a popup can close at any
// moment); the other fields are saved with the two buttons. A save is all or nothing:
// the background validates the whole report and answers with problems per field.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TextRange } from '@/lib/anchoring';
import { canonicalizeLocale } from '@/lib/locale';
import { LIMITS, type Category, type Highlight, type Report, type ReportStatus } from '@/lib/report';
import {
  draftFromHighlight, emptyMarkDraft, findPhrase, highlightFromDraft, normalizeRange, overlappingMark, upsertHighlight,
  type MarkDraft,
} from '@/lib/ui/marks';
import { selectionRangeIn } from '@/lib/ui/selection';
import { placeProblems, type PlacedProblem } from '@/lib/ui/problems';
import { formatDate, siteName, statusLabel } from '@/lib/ui/format';
import { t } from '@/lib/ui/i18n';
import { ApiError } from '@/lib/ui/api';
import { useServices } from './services';
import { AnswerView } from './AnswerView';
import { MarkForm, categoryLabel, severityLabel } from './MarkForm';
import { LocaleField } from './LocaleField';
import { DrivePicker } from './drives/DrivePicker';
import { ReportRemote } from './drives/ReportRemote';
import { Field, describedBy } from './Field';
import { Toast, type ToastMessage } from './Toast';

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
  if (!report) return <p class="loading" role="status">{t('loading')}</p>;
  return <EditorForm key={report.id} initial={report} onBack={props.onBack} />;
}

function EditorBar(props: { onBack: () => void; report?: Report }) {
  const { openInTab, inTab } = useServices();
  return (
    <div class="editor-bar">
      <button type="button" class="back" onClick={props.onBack}>
        <span aria-hidden="true" class="flip-rtl">←</span> {t('backToReports')}
      </button>
      {props.report && !inTab ? (
        <button type="button" class="subtle push-end" onClick={() => void openInTab(props.report!.id)}>
          {t('openInTab')}
        </button>
      ) : null}
    </div>
  );
}

interface FormFields {
  locale: string;
  modelLabel: string;
  includePrompt: boolean;
  comment: string;
}

function fieldsOf(report: Report): FormFields {
  return {
    locale: report.expected_locale,
    modelLabel: report.model.label ?? '',
    includePrompt: report.include_prompt,
    comment: report.comment ?? '',
  };
}

/** A copy without undefined fields and without the local "preselected" hint (handled once). */
function cleanReport(report: Report): Report {
  const { preselected: _p, ...rest } = report;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as unknown as Report;
}

function EditorForm(props: { initial: Report; onBack: () => void }) {
  const { api, uuid, inTab } = useServices();
  const uid = useId();
  const answer = props.initial.answer;
  const [driveId, setDriveId] = useState<string | undefined>(props.initial.drive_id);
  /** The chosen drive's category subset, for the mark form. */
  const [driveCategories, setDriveCategories] = useState<Category[] | undefined>();

  const [saved, setSaved] = useState<Report>(props.initial);
  // An uploaded report can be edited and uploaded again (it replaces the receiver's copy, DESIGN §8a).
  const readOnly = saved.status === 'uploading' || saved.status === 'withdrawn';
  const savedRef = useRef(saved);
  savedRef.current = saved;
  const [fields, setFields] = useState<FormFields>(() => fieldsOf(props.initial));
  const [highlights, setHighlights] = useState<Highlight[]>(props.initial.highlights);
  const [selection, setSelection] = useState<TextRange | undefined>();
  const [markDraft, setMarkDraft] = useState<MarkDraft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problems, setProblems] = useState<PlacedProblem[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [triedSave, setTriedSave] = useState(false);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const [findText, setFindText] = useState('');
  const findFrom = useRef(0);
  const answerRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const focusAfter = useRef<string | null>(null);
  const saveQueue = useRef<Promise<unknown>>(Promise.resolve());

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

  // Move focus where the user's attention is after the form closes.
  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    const container = answerRef.current;
    const el = target === 'answer' ? container : container?.querySelector<HTMLElement>(`[data-mark-id="${target}"]`);
    el?.focus();
  });

  useEffect(() => {
    if (!inTab) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (isDirty()) event.preventDefault();
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

  const modelOf = (label: string): Report['model'] => {
    const trimmed = label.trim();
    if (trimmed === (saved.model.label ?? '')) return saved.model;
    return trimmed ? { label: trimmed, source: 'user' } : { source: 'unknown' };
  };

  function isDirty(): boolean {
    const base = fieldsOf(savedRef.current);
    return (
      base.locale !== fields.locale.trim() ||
      base.modelLabel !== fields.modelLabel.trim() ||
      base.includePrompt !== fields.includePrompt ||
      base.comment !== fields.comment.trim() ||
      (savedRef.current.drive_id ?? undefined) !== driveId
    );
  }

  function showSaveFailure(error: string, found: string[]) {
    setSaveError(error);
    setProblems(placeProblems(found.length ? found : [error]));
    setMessage(null);
    queueMicrotask(() => summaryRef.current?.focus());
  }

  /** Save one change to the marks on top of the last saved report, one save at a time. */
  function persistMarks(next: Highlight[], doneMessage: string) {
    saveQueue.current = saveQueue.current.then(async () => {
      const result = await api.saveReport(cleanReport({ ...savedRef.current, highlights: next }));
      if (result.ok) {
        setSaved(result.report);
        savedRef.current = result.report;
        setMessage(doneMessage);
        setSaveError(null);
        setProblems((ps) => ps.filter((p) => p.field !== 'highlights'));
      } else showSaveFailure(result.error, result.problems);
    }).catch((e: unknown) => showSaveFailure(String((e as Error)?.message ?? e), []));
  }

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
      setNotice(t('noticeTooLong', LIMITS.exact.toLocaleString()));
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
        found.reason === 'empty' ? t('noticeFindEmpty') : found.reason === 'all-marked' ? t('noticeFindAllMarked', findText.trim()) : t('noticeFindNotFound', findText.trim()),
      );
      return;
    }
    findFrom.current = found.range.end;
    beginMark(found.range);
  }

  function closeForm(focus: string) {
    setMarkDraft(null);
    focusAfter.current = focus;
    if (savedRef.current.preselected) {
      // The page's selection has been dealt with (marked or dismissed): don't offer it again.
      persistMarks(highlights, t('savedMarks'));
    }
  }

  function submitMark(draft: MarkDraft) {
    const h = highlightFromDraft(answer, draft, uuid);
    const next = upsertHighlight(highlights, h);
    setHighlights(next);
    setMarkDraft(null);
    focusAfter.current = h.id;
    persistMarks(next, draft.id ? t('markUpdated') : t('markAdded'));
  }

  function removeMark(h: Highlight) {
    const before = highlights;
    const next = highlights.filter((x) => x.id !== h.id);
    setHighlights(next);
    setMarkDraft(null);
    focusAfter.current = 'answer';
    persistMarks(next, t('markRemoved'));
    setToast({
      id: Date.now(),
      text: t('markRemovedToast', h.exact),
      action: {
        label: t('undo'),
        run: () => {
          setHighlights(before);
          persistMarks(before, t('markRestored'));
        },
      },
    });
  }

  async function save(status: Extract<ReportStatus, 'draft' | 'ready'>) {
    setTriedSave(true);
    setMessage(null);
    const locale = canonicalizeLocale(fields.locale);
    if (!locale.ok) {
      showSaveFailure(t('saveBlocked'), [`expected_locale: ${locale.error}`]);
      return;
    }
    const { status_reason: _r, ...base } = savedRef.current;
    const comment = fields.comment.trim();
    const candidate = cleanReport({
      ...base,
      status,
      expected_locale: locale.tag,
      model: modelOf(fields.modelLabel),
      include_prompt: fields.includePrompt && Boolean(base.prompt),
      comment: comment || undefined,
      highlights,
      drive_id: driveId,
    });
    setBusy(true);
    try {
      await saveQueue.current;
      const result = await api.saveReport(candidate);
      if (result.ok) {
        setSaved(result.report);
        savedRef.current = result.report;
        setFields(fieldsOf(result.report));
        setProblems([]);
        setSaveError(null);
        setMessage(status === 'ready' ? t('savedReady') : t('savedDraft'));
      } else showSaveFailure(result.error, result.problems);
    } catch (e) {
      showSaveFailure(String((e as Error)?.message ?? e), []);
    } finally {
      setBusy(false);
    }
  }

  const editing = markDraft?.id ? highlights.find((h) => h.id === markDraft.id) : undefined;
  const localeError = problemsFor('expected_locale')[0]?.message;
  const fieldIds = {
    locale: `${uid}-locale`,
    model: `${uid}-model`,
    include: `${uid}-include`,
    comment: `${uid}-comment`,
    find: `${uid}-find`,
  };

  return (
    <div class="view editor">
      <EditorBar onBack={props.onBack} report={saved} />
      <header class="editor-head">
        <h2 class="editor-title">
          {siteName(saved.site)} <span class="muted">· {formatDate(saved.created_at)}</span>
        </h2>
        <span class={`badge badge-${saved.status}`}>{statusLabel(saved.status)}</span>
      </header>

      {saved.status === 'failed' && saved.status_reason ? (
        <p class="notice notice-error">{t('uploadFailedReason', saved.status_reason)}</p>
      ) : null}
      {readOnly ? <p class="notice">{t(saved.status === 'withdrawn' ? 'readOnlyWithdrawn' : 'readOnlyUploaded')}</p> : null}
      <ReportRemote reportId={saved.id} status={saved.status} onChanged={() => void api.getReport(saved.id).then(setSaved, () => {})} />

      <AnswerView
        id={`${uid}-answer`}
        answer={answer}
        highlights={highlights}
        pending={markDraft && !markDraft.id ? markDraft.range : undefined}
        invalidIds={invalidIds}
        lang={canonicalizeLocale(saved.expected_locale).ok ? saved.expected_locale : undefined}
        containerRef={answerRef}
        describedBy={`${uid}-mark-hint`}
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
            {highlights.length ? t('markHintMore') : t('markHint')}
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
            <label for={fieldIds.find}>{t('findLabel')}</label>
            <div class="row">
              <input id={fieldIds.find} type="text" dir="auto" value={findText} onInput={(e) => setFindText(e.currentTarget.value)} />
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

      {/* Enter in a report field saves the draft, as the Save draft button does. */}
      <form
        class="report-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly && !busy) void save('draft');
        }}
      >
        <fieldset class="report-fields" disabled={readOnly}>
          <legend class="section-title">{t('reportDetails')}</legend>
          <LocaleField
            id={fieldIds.locale}
            label={t('fieldExpectedLocale')}
            help={t('fieldExpectedLocaleHelp')}
            value={fields.locale}
            error={localeError}
            showProblems={triedSave}
            onInput={(locale) => {
              setFields((f) => ({ ...f, locale }));
              setProblems((ps) => ps.filter((p) => p.field !== 'expected_locale'));
            }}
          />

          <DrivePicker id={`${uid}-drive`} value={driveId} locale={fields.locale} disabled={readOnly} onChange={setDriveId} onDrive={(d) => setDriveCategories(d?.categories as Category[] | undefined)} />

          <Field
            id={fieldIds.model}
            label={t('fieldModel')}
            help={saved.model.source === 'page' ? t('fieldModelHelpPage') : t('fieldModelHelp')}
            error={problemsFor('model')[0]?.message}
          >
            <input
              id={fieldIds.model}
              type="text"
              value={fields.modelLabel}
              maxLength={LIMITS.modelLabel}
              aria-describedby={describedBy(fieldIds.model, { help: true, error: problemsFor('model')[0] })}
              onInput={(e) => setFields((f) => ({ ...f, modelLabel: e.currentTarget.value }))}
            />
          </Field>

          <div class={`field checkbox-field${problemsFor('prompt').length ? ' field-invalid' : ''}`}>
            {saved.prompt ? (
              <>
                <div class="checkbox">
                  <input
                    id={fieldIds.include}
                    type="checkbox"
                    checked={fields.includePrompt}
                    aria-describedby={`${fieldIds.include}-help`}
                    onChange={(e) => setFields((f) => ({ ...f, includePrompt: e.currentTarget.checked }))}
                  />
                  <label for={fieldIds.include}>{t('fieldIncludePrompt')}</label>
                </div>
                <p id={`${fieldIds.include}-help`} class="help">
                  {t('fieldIncludePromptHelp')}
                </p>
                {fields.includePrompt ? (
                  <details class="prompt">
                    <summary>{t('showPrompt')}</summary>
                    <p class="prompt-text" dir="auto">
                      {saved.prompt}
                    </p>
                  </details>
                ) : null}
              </>
            ) : (
              <p class="help">{t('noPromptCaptured')}</p>
            )}
            {problemsFor('prompt').map((p) => (
              <p class="field-error" key={p.text}>
                {p.message}
              </p>
            ))}
          </div>

          <Field id={fieldIds.comment} label={t('fieldComment')} error={problemsFor('comment')[0]?.message}>
            <textarea
              id={fieldIds.comment}
              rows={3}
              dir="auto"
              value={fields.comment}
              maxLength={LIMITS.comment}
              aria-invalid={problemsFor('comment').length ? 'true' : undefined}
              aria-describedby={describedBy(fieldIds.comment, { error: problemsFor('comment')[0] })}
              onInput={(e) => setFields((f) => ({ ...f, comment: e.currentTarget.value }))}
            />
          </Field>

          {saved.page_url ? <PageUrl url={saved.page_url} /> : null}
        </fieldset>

        {problems.length ? (
          <div ref={summaryRef} class="error-summary" role="alert" tabIndex={-1}>
            <p class="error-summary-title">{saveError && problems.length === 1 && problems[0]!.text === saveError ? t('saveFailed') : t('saveProblemsTitle')}</p>
            <ul>
              {problems.map((p) => (
                <li key={p.text}>{problemLine(p, highlights)}</li>
              ))}
            </ul>
          </div>
        ) : null}

        {!readOnly ? (
          // While the mark form is open its own buttons are the ones to press: the bar stops floating.
          <div class={`save-bar${markDraft ? ' static' : ''}`}>
            <span class="save-state" role="status" aria-live="polite">
              {message ?? (isDirty() ? t('unsavedChanges') : '')}
            </span>
            <div class="actions push-end">
              <button type="submit" disabled={busy}>
                {t('saveDraft')}
              </button>
              <button type="button" class="primary" disabled={busy} onClick={() => void save('ready')}>
                {t('readyToUpload')}
              </button>
            </div>
          </div>
        ) : null}
      </form>
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

function MarksList(props: {
  highlights: readonly Highlight[];
  readOnly: boolean;
  problemFor: (h: Highlight) => string | undefined;
  onEdit: (h: Highlight) => void;
  onRemove: (h: Highlight) => void;
}) {
  const headingId = useId();
  if (!props.highlights.length) return null;
  return (
    <section class="marks" aria-labelledby={headingId}>
      <h3 id={headingId} class="section-title">
        {t('marksHeading', props.highlights.length)}
      </h3>
      <ol class="marks-list">
        {props.highlights.map((h) => {
          const problem = props.problemFor(h);
          return (
            <li key={h.id} class={problem ? 'invalid' : undefined}>
              <div class="mark-summary">
                <bdi class="mark-exact">{h.exact}</bdi>
                {h.suggestion ? (
                  <>
                    <span aria-hidden="true" class="arrow flip-rtl">→</span>
                    <span class="visually-hidden">{t('markSuggestionSr')}</span>
                    <bdi class="mark-suggestion">{h.suggestion}</bdi>
                  </>
                ) : null}
              </div>
              <div class="mark-meta">
                {categoryLabel(h.category)} · {severityLabel(h.severity)}
              </div>
              {problem ? <p class="field-error">{problem}</p> : null}
              {!props.readOnly ? (
                <div class="actions">
                  <button type="button" class="subtle" aria-label={t('editMarkLabel', h.exact)} onClick={() => props.onEdit(h)}>
                    {t('edit')}
                  </button>
                  <button type="button" class="subtle" aria-label={t('removeMarkLabel', h.exact)} onClick={() => props.onRemove(h)}>
                    {t('remove')}
                  </button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function PageUrl(props: { url: string }) {
  let safe: string | undefined;
  try {
    const parsed = new URL(props.url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') safe = parsed.href;
  } catch {
    // not a URL: shown as text
  }
  return (
    <p class="local-info">
      <span class="local-info-label">{t('pageUrlLabel')}</span>{' '}
      {safe ? (
        <a href={safe} target="_blank" rel="noopener noreferrer" class="url" dir="ltr">
          {props.url}
        </a>
      ) : (
        <span class="url" dir="ltr">{props.url}</span>
      )}
      <br />
      <span class="help">{t('pageUrlHelp')}</span>
    </p>
  );
}

