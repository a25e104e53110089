// Likely mismatches the glossaries found in the answer (DESIGN §13): each with the local
// wording, its category and where it came from. Accept makes it a mark (source
// "glossary:<name>", editable like any mark), Dismiss hides it for this report, Accept all
// takes every one shown. Nothing is marked without the user's click.
import { useId } from 'preact/hooks';
import type { Suggestion } from '@/lib/glossary/types';
import type { SuggestionsState } from '@/lib/ui/useSuggestions';
import { dynamicKey, t } from '@/lib/ui/i18n';
import { categoryLabel } from '../MarkForm';

/** "OpenCC (Taiwan)", "Drive glossary"… for a suggestion's source. */
export function sourceLabel(source: string): string {
  const name = source.replace(/^glossary:/, '');
  if (name.startsWith('drive-')) return t('source_drive');
  const known = t(dynamicKey(`source_${name.replace(/[^a-z0-9]/gi, '_')}`));
  return known.startsWith('source_') ? name : known;
}

export function SuggestionsPanel(props: {
  state: SuggestionsState;
  readOnly: boolean;
  onAccept: (suggestion: Suggestion) => void;
  onDismiss: (suggestion: Suggestion) => void;
  onAcceptAll: (suggestions: Suggestion[]) => void;
  onShow: (suggestion: Suggestion) => void;
}) {
  const headingId = useId();
  const { state } = props;
  if (state.kind === 'loading')
    return (
      <p class="help suggestions-loading" role="status">
        {t('suggestionsLoading')}
      </p>
    );
  if (state.kind === 'failed') return <p class="notice notice-warn">{t('suggestionsFailed', state.error)}</p>;
  if (!state.suggestions.length || props.readOnly) return null;
  const list = state.suggestions;
  return (
    <section class="suggestions" aria-labelledby={headingId}>
      <div class="suggestions-head">
        <h3 id={headingId} class="section-title">
          {t('suggestionsHeading', list.length)}
        </h3>
        {list.length > 1 ? (
          <button type="button" class="subtle push-end" onClick={() => props.onAcceptAll(list)}>
            {t('suggestionsAcceptAll', list.length)}
          </button>
        ) : null}
      </div>
      <ol class="suggestions-list">
        {list.map((s) => (
          <li key={`${s.source}@${s.start}`} class="suggestion">
            <button type="button" class="suggestion-text link-like" onClick={() => props.onShow(s)} title={t('suggestionShow')}>
              <bdi class="mark-exact">{s.exact}</bdi>
              <span aria-hidden="true" class="arrow flip-rtl">
                →
              </span>
              <span class="visually-hidden">{t('markSuggestionSr')}</span>
              <bdi class="mark-suggestion">{s.suggestion}</bdi>
            </button>
            <span class="suggestion-meta" title={s.note}>
              {categoryLabel(s.category)} · {sourceLabel(s.source)}
            </span>
            <span class="suggestion-actions">
              <button type="button" class="small primary" aria-label={t('suggestionAcceptLabel', [s.exact, s.suggestion])} onClick={() => props.onAccept(s)}>
                {t('suggestionAccept')}
              </button>
              <button type="button" class="small subtle" aria-label={t('suggestionDismissLabel', s.exact)} onClick={() => props.onDismiss(s)}>
                {t('suggestionDismiss')}
              </button>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
