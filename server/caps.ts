// Distinct values that uploaders choose — locale tags above all, where private-use tags
// (`en-x-anything`) make every report its own value — must not make /v1/stats or the
// dataset card grow with each report. Both show the most common values and fold the rest
// into one "other" entry. "other" can't be a locale: BCP 47 language subtags we accept are
// two or three letters (lib/locale.ts).

/** How many distinct values stats and the dataset card list before folding the rest. */
export const MAX_DISTINCT = 50;
export const OTHER = 'other';

export interface Capped {
  /** The most common values, by count (ties by value), at most `max`. */
  top: Array<[string, number]>;
  /** The rest: how many distinct values and their summed count (undefined when nothing was folded). */
  rest?: { values: number; count: number };
}

export function capCounts(counts: Iterable<[string, number]>, max = MAX_DISTINCT): Capped {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (sorted.length <= max) return { top: sorted };
  const folded = sorted.slice(max);
  return { top: sorted.slice(0, max), rest: { values: folded.length, count: folded.reduce((s, [, n]) => s + n, 0) } };
}

/** A stats record of at most `max` values plus `other`; its sum is unchanged. */
export function cappedRecord(counts: Record<string, number>, max = MAX_DISTINCT): Record<string, number> {
  const { top, rest } = capCounts(Object.entries(counts), max);
  const record = Object.fromEntries(top);
  if (rest) record[OTHER] = rest.count;
  return record;
}
