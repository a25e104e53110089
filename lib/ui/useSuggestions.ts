// Suggested marks for the report being edited (DESIGN §13). The glossary code and its
// dictionaries are a dynamic import, so they load in the popup when a report opens and
// never in the content script. Suggestions are recomputed when the locale, the marks or the
// dismissed list change (milliseconds once the dictionaries are loaded).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Highlight } from '../report';
import type { Suggestion, SuggestionSource } from '../glossary/types';

export type SuggestionsState =
  | { kind: 'loading' }
  | { kind: 'ready'; suggestions: Suggestion[] }
  | { kind: 'failed'; error: string };

type Glossary = typeof import('../glossary');

const NO_SOURCES: readonly SuggestionSource[] = [];
let glossary: Promise<Glossary> | undefined;
const loadGlossary = () => (glossary ??= import('../glossary'));

export function useSuggestions(
  answer: string,
  locale: string,
  highlights: readonly Highlight[],
  dismissed: readonly string[],
  extraSources: readonly SuggestionSource[] = NO_SOURCES,
): SuggestionsState {
  const [loaded, setLoaded] = useState<{ locale: string; module: Glossary; sources: SuggestionSource[] } | { error: string } | undefined>();

  useEffect(() => {
    let current = true;
    loadGlossary()
      .then(async (module) => ({ locale, module, sources: await module.loadSources(locale, extraSources) }))
      .then(
        (result) => current && setLoaded(result),
        (error: unknown) => current && setLoaded({ error: String((error as Error)?.message ?? error) }),
      );
    return () => {
      current = false;
    };
  }, [locale, extraSources]);

  return useMemo((): SuggestionsState => {
    if (!loaded) return { kind: 'loading' };
    if ('error' in loaded) return { kind: 'failed', error: loaded.error };
    const suggestions = loaded.module.suggestAll(loaded.sources, answer, loaded.locale, { marks: highlights, dismissed });
    return { kind: 'ready', suggestions };
  }, [loaded, answer, highlights, dismissed]);
}

export { suggestionKey } from '../glossary/engine';
