// The suggestion sources for one expected locale, loaded on demand. The editor imports
// this module dynamically, and each dictionary is a further dynamic import, so OpenCC's
// phrase lists, the spelling pairs and the curated files end up in chunks the popup loads
// only for a locale that needs them — never in the content script.
import { localeParts } from './glossary-source';
import type { SuggestionSource } from './types';

export type { Suggestion, SuggestionSource, GlossaryEntry } from './types';
export { suggestAll, chooseSuggestions, suggestionKey } from './engine';
export { driveGlossarySource } from './drive';

/** Every source that has something to say about `expected`. Dictionaries are built once. */
export async function loadSources(expected: string, extra: readonly SuggestionSource[] = []): Promise<SuggestionSource[]> {
  const sources: SuggestionSource[] = [];
  const language = localeParts(expected)?.language;
  if (language === 'zh') {
    const { chineseRegion, chineseVocabulary } = await import('./sources/chinese');
    const region = chineseRegion(expected);
    if (region) sources.push(chineseVocabulary(region));
  }
  if (language === 'en') {
    const { englishSpelling, englishSpellingSource } = await import('./sources/english');
    const spelling = englishSpelling(expected);
    if (spelling) sources.push(englishSpellingSource(spelling));
  }
  const { CURATED_NAMES, curatedVariety, loadCurated } = await import('./curated');
  for (const name of CURATED_NAMES) {
    const variety = curatedVariety(name, expected);
    if (variety) sources.push(await loadCurated(name, variety));
  }
  const { conventions } = await import('./sources/conventions');
  sources.push(conventions, ...extra);
  return sources;
}
