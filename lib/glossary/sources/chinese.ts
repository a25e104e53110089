// Chinese regional vocabulary from OpenCC's phrase dictionaries (opencc-js; dictionary data
// Apache-2.0 from the OpenCC project): TWPhrases (mainland → Taiwan: 視頻→影片, 軟件→軟體,
// 信息→資訊), HKPhrases (mainland → Hong Kong), and their reverses for a mainland reader.
// Only vocabulary counts: an entry whose two sides differ only in script (the same word in
// Traditional and Simplified characters) is dropped, because script conversion alone is not
// a locale mismatch here. Terms are matched in both scripts (視頻 and 视频), since a wrong
// answer can be in either.
import { Trie } from 'opencc-js/core';
import TWPhrases from 'opencc-js/dict/TWPhrases';
import TWPhrasesRev from 'opencc-js/dict/TWPhrasesRev';
import HKPhrases from 'opencc-js/dict/HKPhrases';
import HKPhrasesRev from 'opencc-js/dict/HKPhrasesRev';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import { glossarySource, localeParts } from '../glossary-source';
import type { GlossaryEntry, SuggestionSource } from '../types';

export type ChineseRegion = 'TW' | 'HK' | 'CN';

let simplifier: Trie | undefined;
/** Traditional → Simplified characters (OpenCC's TSPhrases + TSCharacters). */
export function toSimplified(text: string): string {
  if (!simplifier) {
    simplifier = new Trie();
    simplifier.loadDictGroup([TSPhrases, TSCharacters]);
  }
  return simplifier.convert(text);
}

function pairs(dictionary: string): Array<[string, string]> {
  return dictionary.split('|').flatMap((line) => {
    const [from, to] = line.split(' ');
    return from && to ? [[from, to] as [string, string]] : [];
  });
}

/** Which region's usage a zh locale expects: TW, HK (also Macau) or CN (also Singapore, Hans). */
export function chineseRegion(expected: string): ChineseRegion | undefined {
  const parts = localeParts(expected);
  if (parts?.language !== 'zh') return undefined;
  if (parts.region === 'TW') return 'TW';
  if (parts.region === 'HK' || parts.region === 'MO') return 'HK';
  if (parts.script === 'Hans') return 'CN';
  return undefined;
}

const NOTES: Record<ChineseRegion, string> = {
  TW: 'Taiwan usage (OpenCC TWPhrases)',
  HK: 'Hong Kong usage (OpenCC HKPhrases)',
  CN: 'Mainland usage (OpenCC TWPhrasesRev/HKPhrasesRev)',
};

/** The entries for one region; exported for tests and the benchmark. */
export function chineseEntries(region: ChineseRegion): GlossaryEntry[] {
  const sources = region === 'TW' ? [TWPhrases] : region === 'HK' ? [HKPhrases] : [TWPhrasesRev, HKPhrasesRev];
  const entries: GlossaryEntry[] = [];
  const seen = new Set<string>();
  for (const dictionary of sources) {
    for (const [from, to] of pairs(dictionary)) {
      const fromSimplified = toSimplified(from);
      const toSimp = toSimplified(to);
      if (fromSimplified === toSimp) continue; // the same word in another script
      // A mainland reader gets the suggestion in Simplified characters.
      const suggestion = region === 'CN' ? toSimp : to;
      for (const term of new Set([from, fromSimplified])) {
        if (term === suggestion || seen.has(term)) continue;
        seen.add(term);
        entries.push({ term, suggestion, category: 'regional_vocabulary', severity: 'minor', note: NOTES[region] });
      }
    }
  }
  return entries;
}

const cache = new Map<ChineseRegion, SuggestionSource>();

export function chineseVocabulary(region: ChineseRegion): SuggestionSource {
  let source = cache.get(region);
  if (!source) {
    source = glossarySource(`opencc-${region.toLowerCase()}`, chineseEntries(region), (expected) => chineseRegion(expected) === region);
    cache.set(region, source);
  }
  return source;
}
