// The form for one mark, compact enough to sit at the bottom of a 400×600 popup with its
// buttons in view: the suggestion first (focused), the category as chips with the common
// ones first (the rest in a list), severity as a list defaulting to "minor", and
// alternatives and a note folded away. Escape cancels; Enter in the suggestion adds the
// mark (Ctrl+Enter anywhere).
import { useEffect, useRef, useState } from 'preact/hooks';
import { trapTab } from './focusTrap';
import { CATEGORIES, SEVERITIES, type Category, type Severity } from '@/lib/report';
import { checkMarkDraft, type MarkDraft, type MarkErrors, type MarkField } from '@/lib/ui/marks';
import { describe } from '@/lib/anchoring';
import { t } from '@/lib/ui/i18n';
import { describedBy } from './Field';

export function categoryLabel(code: Category): string {
  return t(`category_${code}`);
}

export function severityLabel(code: Severity): string {
  return t(`severity_${code}`);
}

/** The categories most reports use, shown as chips; the others are one list away. */
export const COMMON_CATEGORIES: readonly Category[] = [
  'regional_vocabulary',
  'spelling_variant',
  'grammar_variant',
  'units',
  'date_time_format',
  'local_facts',
];
const OTHER_CATEGORIES = CATEGORIES.filter((c) => !COMMON_CATEGORIES.includes(c));

const FIELD_ORDER: MarkField[] = ['suggestion', 'category', 'severity', 'alternatives', 'note'];

export function MarkForm(props: {
  idPrefix: string;
  answer: string;
  draft: MarkDraft;
  /** A problem the background reported for this mark on the last save. */
  savedProblem?: string;
  onSubmit: (draft: MarkDraft) => void;
  onCancel: () => void;
  onRemove?: () => void;
  /** The report's drive collects only these categories (a mark's existing one stays choosable). */
  categories?: readonly Category[];
}) {
  const [draft, setDraft] = useState<MarkDraft>(props.draft);
  const [errors, setErrors] = useState<MarkErrors>({});
  const [moreOpen, setMoreOpen] = useState(Boolean(props.draft.alternatives || props.draft.note));
  const root = useRef<HTMLElement>(null);
  const id = (field: string) => `${props.idPrefix}-${field}`;
  const isNew = !props.draft.id;
  const quote = describe(props.answer, draft.range, 20);

  useEffect(() => {
    // Start where the user's next decision is: what a local would say.
    root.current?.ownerDocument.getElementById(id('suggestion'))?.focus();
  }, [props.draft]);

  useEffect(() => setDraft(props.draft), [props.draft]);

  const update = (patch: Partial<MarkDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // Clear an error as soon as its field changes.
    const changed = Object.keys(patch) as MarkField[];
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !changed.includes(k as MarkField))));
  };

  const submit = (event?: Event) => {
    event?.preventDefault();
    const found = checkMarkDraft(draft);
    setErrors(found);
    const first = FIELD_ORDER.find((f) => found[f]);
    if (first) {
      if (first === 'alternatives' || first === 'note') setMoreOpen(true);
      const target =
        first === 'category' ? root.current?.querySelector<HTMLElement>('input[type="radio"]') : root.current?.ownerDocument.getElementById(id(first));
      queueMicrotask(() => target?.focus());
      return;
    }
    props.onSubmit(draft);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    trapTab(event, root.current);
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      submit(event);
    }
  };

  const isOther = draft.category === 'other';
  const errorText = (field: MarkField) => (errors[field] ? t(errors[field]!) : undefined);
  const otherChosen = draft.category !== '' && !COMMON_CATEGORIES.includes(draft.category);
  // A drive may collect only some categories; a mark's existing category stays choosable.
  const allowed = (code: Category) => !props.categories || props.categories.includes(code) || code === props.draft.category;

  return (
    <section ref={root} class="mark-form" role="dialog" aria-modal="true" aria-labelledby={id('title')} onKeyDown={onKeyDown}>
      <h3 id={id('title')} class="visually-hidden">
        {isNew ? t('markFormTitleNew') : t('markFormTitleEdit')}
      </h3>
      <p class="mark-quote" dir="auto">
        <span class="quote-context">
          {quote.prefix.length === 20 ? '…' : ''}
          {quote.prefix}
        </span>
        <mark class="mark-quote-exact">{quote.exact}</mark>
        <span class="quote-context">
          {quote.suffix}
          {quote.suffix.length === 20 ? '…' : ''}
        </span>
      </p>
      {props.savedProblem ? <p class="field-error">{props.savedProblem}</p> : null}
      <form noValidate onSubmit={submit}>
        <div class={`field${errors.suggestion ? ' field-invalid' : ''}`}>
          <label for={id('suggestion')}>{isOther ? t('fieldSuggestionOptional') : t('fieldSuggestionShort')}</label>
          <input
            id={id('suggestion')}
            type="text"
            dir="auto"
            value={draft.suggestion}
            aria-invalid={errors.suggestion ? 'true' : undefined}
            aria-describedby={describedBy(id('suggestion'), { error: errors.suggestion })}
            onInput={(e) => update({ suggestion: e.currentTarget.value })}
          />
          {errors.suggestion ? (
            <p id={`${id('suggestion')}-error`} class="field-error">
              {errorText('suggestion')}
            </p>
          ) : null}
        </div>

        <fieldset class={`category-chips${errors.category ? ' field-invalid' : ''}`} aria-describedby={errors.category ? `${id('category')}-error` : undefined}>
          <legend>{t('fieldCategory')}</legend>
          {COMMON_CATEGORIES.filter(allowed).map((code) => (
            <label class="category-chip" key={code} title={t(`categoryHelp_${code}`)}>
              <input
                type="radio"
                name={id('category')}
                value={code}
                checked={draft.category === code}
                onChange={() => update({ category: code })}
                onClick={(e) => {
                  // A mouse click on a chip is a decision made: go on to the suggestion (or to
                  // Add when it's typed). Arrow keys moving through the chips stay put.
                  if (e.detail === 0) return;
                  const next = draft.suggestion.trim()
                    ? root.current?.querySelector<HTMLElement>('button[type="submit"]')
                    : root.current?.ownerDocument.getElementById(id('suggestion'));
                  queueMicrotask(() => next?.focus());
                }}
              />
              <span>{categoryLabel(code)}</span>
            </label>
          ))}
          <select
            id={id('category-more')}
            class={`category-more${otherChosen ? ' chosen' : ''}`}
            aria-label={t('categoryMoreLabel')}
            value={otherChosen ? draft.category : ''}
            onChange={(e) => update({ category: e.currentTarget.value as Category | '' })}
          >
            <option value="">{t('categoryMore')}</option>
            {OTHER_CATEGORIES.filter(allowed).map((code) => (
              <option key={code} value={code}>
                {categoryLabel(code)}
              </option>
            ))}
          </select>
          {errors.category ? (
            <p id={`${id('category')}-error`} class="field-error">
              {errorText('category')}
            </p>
          ) : null}
        </fieldset>

        <div class="mark-form-row">
          <div class="field inline-field">
            <label for={id('severity')}>{t('fieldSeverity')}</label>
            <select
              id={id('severity')}
              value={draft.severity}
              title={t(`severityHelp_${draft.severity}`)}
              onChange={(e) => update({ severity: e.currentTarget.value as Severity })}
            >
              {SEVERITIES.map((code) => (
                <option key={code} value={code}>
                  {severityLabel(code)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="subtle push-end" aria-expanded={moreOpen} aria-controls={id('more')} onClick={() => setMoreOpen((o) => !o)}>
            {isOther && !moreOpen ? t('markMoreDetailsNote') : t('markMoreDetails')}
          </button>
        </div>

        <div id={id('more')} hidden={!moreOpen}>
          <div class={`field${errors.alternatives ? ' field-invalid' : ''}`}>
            <label for={id('alternatives')}>{t('fieldAlternatives')}</label>
            <input
              id={id('alternatives')}
              type="text"
              dir="auto"
              value={draft.alternatives}
              aria-invalid={errors.alternatives ? 'true' : undefined}
              aria-describedby={describedBy(id('alternatives'), { error: errors.alternatives, help: true })}
              onInput={(e) => update({ alternatives: e.currentTarget.value })}
            />
            {errors.alternatives ? (
              <p id={`${id('alternatives')}-error`} class="field-error">
                {errorText('alternatives')}
              </p>
            ) : null}
            <p id={`${id('alternatives')}-help`} class="help">
              {t('fieldAlternativesHelp')}
            </p>
          </div>
          <div class={`field${errors.note ? ' field-invalid' : ''}`}>
            <label for={id('note')}>{isOther ? t('fieldNoteRequired') : t('fieldNote')}</label>
            <input
              id={id('note')}
              type="text"
              dir="auto"
              value={draft.note}
              aria-invalid={errors.note ? 'true' : undefined}
              aria-describedby={describedBy(id('note'), { error: errors.note })}
              onInput={(e) => update({ note: e.currentTarget.value })}
            />
            {errors.note ? (
              <p id={`${id('note')}-error`} class="field-error">
                {errorText('note')}
              </p>
            ) : null}
          </div>
        </div>

        <div class="actions">
          <button type="submit" class="primary">
            {isNew ? t('markAdd') : t('markSave')}
          </button>
          <button type="button" onClick={props.onCancel}>
            {t('cancel')}
          </button>
          {props.onRemove ? (
            <button type="button" class="danger push-end" onClick={props.onRemove}>
              {t('markRemove')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
