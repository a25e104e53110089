// Suggested marks for the report being edited (DESIGN §13). The glossary code and its
// dictionaries are a dynamic import, so they load in the popup when a report opens and
// never in the content script. Suggestions are recomputed when the locale, the marks or the
// dismissed list change (milliseconds once the dictionaries are loaded). A report that
// belongs to a drive also gets the drive's own glossary (fetched by the background on join
// and refresh), so an accepted one is marked `glossary:drive-<id>`.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Highlight } from '../report';
import type { GlossaryEntry, Suggestion, SuggestionSource } from '../glossary/types';

/** How the editor gets a drive's glossary (the `drive-glossary` message, lib/ui/api.ts). */
export type DriveGlossaryLoader = (driveId: string) => Promise<{ entries?: GlossaryEntry[]; locales?: string[] }>;

export type SuggestionsState = { kind: 'loading' } | { kind: 'ready'; suggestions: Suggestion[] } | { kind: 'failed'; error: string };

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
  drive?: { id?: string; load: DriveGlossaryLoader },
): SuggestionsState {
  const [loaded, setLoaded] = useState<{ locale: string; module: Glossary; sources: SuggestionSource[] } | { error: string } | undefined>();
  const driveId = drive?.id;
  const loadDrive = drive?.load;

  useEffect(() => {
    let current = true;
    // A drive glossary that can't be read leaves the other sources working.
    const driveGlossary = driveId && loadDrive ? loadDrive(driveId).catch(() => undefined) : Promise.resolve(undefined);
    loadGlossary()
      .then(async (module) => {
        const own = await driveGlossary;
        const fromDrive = driveId && own?.entries?.length ? [module.driveGlossarySource(driveId, own.entries, own.locales)] : [];
        return { locale, module, sources: await module.loadSources(locale, [...extraSources, ...fromDrive]) };
      })
      .then(
        (result) => current && setLoaded(result),
        (error: unknown) => current && setLoaded({ error: String((error as Error)?.message ?? error) }),
      );
    return () => {
      current = false;
    };
  }, [locale, extraSources, driveId, loadDrive]);

  return useMemo((): SuggestionsState => {
    if (!loaded) return { kind: 'loading' };
    if ('error' in loaded) return { kind: 'failed', error: loaded.error };
    const suggestions = loaded.module.suggestAll(loaded.sources, answer, loaded.locale, { marks: highlights, dismissed });
    return { kind: 'ready', suggestions };
  }, [loaded, answer, highlights, dismissed]);
}

export { suggestionKey } from '../glossary/engine';
