// Running every suggestion source for a locale over an answer and choosing what to show:
// where suggestions overlap the longest wins (then the earliest, then the first source);
// a phrase the user already marked is not suggested again; a dismissed suggestion stays
// dismissed for that report (its key is kept on the report).
import type { TextRange } from '../anchoring';
import type { Suggestion, SuggestionSource } from './types';

export interface SuggestOptions {
  /** The report's marks: nothing overlapping them is suggested. */
  marks?: readonly TextRange[];
  /** Keys (suggestionKey) the user dismissed on this report. */
  dismissed?: ReadonlySet<string> | readonly string[];
}

/** Stable for one answer: where, what and from which source. */
export function suggestionKey(s: Pick<Suggestion, 'start' | 'end' | 'source'>): string {
  return `${s.source}@${s.start}-${s.end}`;
}

const overlaps = (a: TextRange, b: TextRange) => a.start < b.end && b.start < a.end;

export function chooseSuggestions(candidates: readonly Suggestion[], options: SuggestOptions = {}): Suggestion[] {
  const marks = options.marks ?? [];
  const dismissed = options.dismissed instanceof Set ? options.dismissed : new Set(options.dismissed ?? []);
  const order = candidates
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.end > s.start && !marks.some((m) => overlaps(m, s)))
    .sort((a, b) => b.s.end - b.s.start - (a.s.end - a.s.start) || a.s.start - b.s.start || a.i - b.i);
  // Taken ranges, kept sorted by start, for an overlap check by binary search.
  const taken: Suggestion[] = [];
  for (const { s } of order) {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid]!.start < s.start) lo = mid + 1;
      else hi = mid;
    }
    if ((lo > 0 && taken[lo - 1]!.end > s.start) || (lo < taken.length && taken[lo]!.start < s.end)) continue;
    taken.splice(lo, 0, s);
  }
  return taken.filter((s) => !dismissed.has(suggestionKey(s)));
}

/** Every source's suggestions, chosen as above. A source that throws is skipped, not fatal. */
export function suggestAll(
  sources: readonly SuggestionSource[],
  answer: string,
  expected: string,
  options: SuggestOptions = {},
  onError?: (source: string, error: unknown) => void,
): Suggestion[] {
  const all: Suggestion[] = [];
  for (const source of sources) {
    try {
      all.push(...source.suggest(answer, expected));
    } catch (error) {
      onError?.(source.name, error);
    }
  }
  return chooseSuggestions(all, options);
}
