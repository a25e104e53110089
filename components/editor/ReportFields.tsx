// The report's own fields below the marks: the model label (correctable), "include my
// question", a comment, and the page address (kept locally, never uploaded). Every change
// goes to the draft, which saves it by itself.
import type { Report } from '@/lib/report';
import { LIMITS } from '@/lib/report';
import type { DraftFields } from '@/lib/ui/useReportDraft';
import type { PlacedProblem } from '@/lib/ui/problems';
import { t } from '@/lib/ui/i18n';
import { Field, describedBy } from '../Field';

export function ReportFields(props: {
  idPrefix: string;
  saved: Report;
  fields: DraftFields;
  readOnly: boolean;
  problemsFor: (field: PlacedProblem['field']) => PlacedProblem[];
  onChange: <K extends keyof DraftFields>(name: K, value: DraftFields[K]) => void;
}) {
  const { saved, fields } = props;
  const ids = { model: `${props.idPrefix}-model`, include: `${props.idPrefix}-include`, comment: `${props.idPrefix}-comment` };
  const modelProblem = props.problemsFor('model')[0];
  const commentProblem = props.problemsFor('comment')[0];
  return (
    <fieldset class="report-fields" disabled={props.readOnly}>
      <legend class="section-title">{t('reportDetails')}</legend>
      <Field
        id={ids.model}
        label={t('fieldModel')}
        help={saved.model.source === 'page' ? t('fieldModelHelpPage') : t('fieldModelHelp')}
        error={modelProblem?.message}
      >
        <input
          id={ids.model}
          type="text"
          value={fields.modelLabel}
          maxLength={LIMITS.modelLabel}
          aria-describedby={describedBy(ids.model, { help: true, error: modelProblem })}
          onInput={(e) => props.onChange('modelLabel', e.currentTarget.value)}
        />
      </Field>

      <div class={`field checkbox-field${props.problemsFor('prompt').length ? ' field-invalid' : ''}`}>
        {saved.prompt ? (
          <>
            <div class="checkbox">
              <input
                id={ids.include}
                type="checkbox"
                checked={fields.includePrompt}
                aria-describedby={`${ids.include}-help`}
                onChange={(e) => props.onChange('includePrompt', e.currentTarget.checked)}
              />
              <label for={ids.include}>{t('fieldIncludePrompt')}</label>
            </div>
            <p id={`${ids.include}-help`} class="help">
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
        {props.problemsFor('prompt').map((p) => (
          <p class="field-error" key={p.text}>
            {p.message}
          </p>
        ))}
      </div>

      <Field id={ids.comment} label={t('fieldComment')} error={commentProblem?.message}>
        <textarea
          id={ids.comment}
          rows={2}
          dir="auto"
          value={fields.comment}
          maxLength={LIMITS.comment}
          aria-invalid={commentProblem ? 'true' : undefined}
          aria-describedby={describedBy(ids.comment, { error: commentProblem })}
          onInput={(e) => props.onChange('comment', e.currentTarget.value)}
        />
      </Field>

      {saved.page_url ? <PageUrl url={saved.page_url} /> : null}
    </fieldset>
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
        <span class="url" dir="ltr">
          {props.url}
        </span>
      )}
      <br />
      <span class="help">{t('pageUrlHelp')}</span>
    </p>
  );
}
