// A suggestion source made from a list of glossary entries (a phrase that sounds foreign
// to the locale → what a local says). The curated pt/es lists, the English vocabulary and
// a drive's own glossary are all this shape.
import { matchCase, PhraseMatcher } from './matcher';
import type { GlossaryEntry, Suggestion, SuggestionSource } from './types';

export interface LocaleParts {
  language: string;
  script?: string;
  region?: string;
}

/** Language, script and region of a tag after `maximize()` (`zh-TW` → zh, Hant, TW). */
export function localeParts(tag: string): LocaleParts | undefined {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return { language: locale.language, script: locale.script, region: locale.region };
  } catch {
    return undefined;
  }
}

export function glossarySource(name: string, entries: readonly GlossaryEntry[], appliesTo: (expected: string) => boolean): SuggestionSource & { size: number } {
  const matcher = new PhraseMatcher(entries);
  const source = `glossary:${name}` as const;
  return {
    name,
    size: matcher.size,
    suggest(answer, expected) {
      if (!appliesTo(expected)) return [];
      return matcher.findAll(answer).map(({ start, end, entry }): Suggestion => {
        const exact = answer.slice(start, end);
        return {
          start,
          end,
          exact,
          suggestion: matchCase(exact, entry.suggestion),
          ...(entry.alternatives?.length ? { alternatives: entry.alternatives.map((a) => matchCase(exact, a)) } : {}),
          category: entry.category,
          severity: entry.severity ?? 'minor',
          ...(entry.note ? { note: entry.note } : {}),
          source,
        };
      });
    },
  };
}
