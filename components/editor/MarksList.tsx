// The report's marks as a list: phrase → suggestion, category, severity, where it came
// from (typed or a glossary), Edit and Remove.
import { useId } from 'preact/hooks';
import type { Highlight } from '@/lib/report';
import { t } from '@/lib/ui/i18n';
import { categoryLabel, severityLabel } from '../MarkForm';
import { sourceLabel } from './SuggestionsPanel';

export function MarksList(props: {
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
                    <span aria-hidden="true" class="arrow flip-rtl">
                      →
                    </span>
                    <span class="visually-hidden">{t('markSuggestionSr')}</span>
                    <bdi class="mark-suggestion">{h.suggestion}</bdi>
                  </>
                ) : null}
              </div>
              <div class="mark-meta">
                {categoryLabel(h.category)} · {severityLabel(h.severity)}
                {h.source !== 'user' ? ` · ${sourceLabel(h.source)}` : ''}
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
