// The form for one mark: category, severity, suggestion, alternatives, note. Escape
// cancels, Enter (or Ctrl+Enter in a multi-line field) submits.
import { useEffect, useRef, useState } from 'preact/hooks';
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

const FIELD_ORDER: MarkField[] = ['category', 'severity', 'suggestion', 'alternatives', 'note'];

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
  const root = useRef<HTMLElement>(null);
  const id = (field: string) => `${props.idPrefix}-${field}`;
  const isNew = !props.draft.id;
  const quote = describe(props.answer, draft.range, 24);

  useEffect(() => {
    // Start where the user's next decision is: the category for a new mark.
    root.current?.querySelector<HTMLElement>(isNew ? 'select' : 'input[type="text"], select')?.focus();
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
      root.current?.ownerDocument.getElementById(first === 'severity' ? `${id('severity')}-${draft.severity}` : id(first))?.focus();
      return;
    }
    props.onSubmit(draft);
  };

  const onKeyDown = (event: KeyboardEvent) => {
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
  const categoryHelp = draft.category ? t(`categoryHelp_${draft.category}`) : t('categoryHelpChoose');

  return (
    <section
      ref={root}
      class="mark-form"
      role="dialog"
      aria-modal="false"
      aria-labelledby={id('title')}
      onKeyDown={onKeyDown}
    >
      <h3 id={id('title')} class="mark-form-title">
        {isNew ? t('markFormTitleNew') : t('markFormTitleEdit')}
      </h3>
      <p class="mark-quote" dir="auto">
        <span class="quote-context">{quote.prefix.length === 24 ? '…' : ''}{quote.prefix}</span>
        <mark class="mark-quote-exact">{quote.exact}</mark>
        <span class="quote-context">{quote.suffix}{quote.suffix.length === 24 ? '…' : ''}</span>
      </p>
      {props.savedProblem ? <p class="field-error">{props.savedProblem}</p> : null}
      <form noValidate onSubmit={submit}>
        <div class={`field${errors.category ? ' field-invalid' : ''}`}>
          <label for={id('category')}>{t('fieldCategory')}</label>
          <select
            id={id('category')}
            value={draft.category}
            aria-invalid={errors.category ? 'true' : undefined}
            aria-describedby={describedBy(id('category'), { error: errors.category, help: true })}
            onChange={(e) => update({ category: e.currentTarget.value as Category | '' })}
          >
            <option value="">{t('categoryChoose')}</option>
            {CATEGORIES.filter((code) => !props.categories || props.categories.includes(code) || code === props.draft.category).map((code) => (
              <option key={code} value={code}>
                {categoryLabel(code)}
              </option>
            ))}
          </select>
          {errors.category ? <p id={`${id('category')}-error`} class="field-error">{errorText('category')}</p> : null}
          <p id={`${id('category')}-help`} class="help">{categoryHelp}</p>
        </div>

        <fieldset class="severity">
          <legend>{t('fieldSeverity')}</legend>
          {SEVERITIES.map((code) => (
            <div class="radio" key={code}>
              <input
                type="radio"
                id={`${id('severity')}-${code}`}
                name={id('severity')}
                value={code}
                checked={draft.severity === code}
                aria-describedby={`${id('severity')}-${code}-help`}
                onChange={() => update({ severity: code })}
              />
              <label for={`${id('severity')}-${code}`}>{severityLabel(code)}</label>
              <span id={`${id('severity')}-${code}-help`} class="help">{t(`severityHelp_${code}`)}</span>
            </div>
          ))}
        </fieldset>

        <div class={`field${errors.suggestion ? ' field-invalid' : ''}`}>
          <label for={id('suggestion')}>{isOther ? t('fieldSuggestionOptional') : t('fieldSuggestion')}</label>
          <input
            id={id('suggestion')}
            type="text"
            dir="auto"
            value={draft.suggestion}
            aria-invalid={errors.suggestion ? 'true' : undefined}
            aria-describedby={describedBy(id('suggestion'), { error: errors.suggestion, help: true })}
            onInput={(e) => update({ suggestion: e.currentTarget.value })}
          />
          {errors.suggestion ? <p id={`${id('suggestion')}-error`} class="field-error">{errorText('suggestion')}</p> : null}
          <p id={`${id('suggestion')}-help`} class="help">{t('fieldSuggestionHelp')}</p>
        </div>

        <div class={`field${errors.alternatives ? ' field-invalid' : ''}`}>
          <label for={id('alternatives')}>{t('fieldAlternatives')}</label>
          <textarea
            id={id('alternatives')}
            rows={2}
            dir="auto"
            value={draft.alternatives}
            aria-invalid={errors.alternatives ? 'true' : undefined}
            aria-describedby={describedBy(id('alternatives'), { error: errors.alternatives, help: true })}
            onInput={(e) => update({ alternatives: e.currentTarget.value })}
          />
          {errors.alternatives ? <p id={`${id('alternatives')}-error`} class="field-error">{errorText('alternatives')}</p> : null}
          <p id={`${id('alternatives')}-help`} class="help">{t('fieldAlternativesHelp')}</p>
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
          {errors.note ? <p id={`${id('note')}-error`} class="field-error">{errorText('note')}</p> : null}
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
