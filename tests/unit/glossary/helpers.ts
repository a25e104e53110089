import type { Suggestion } from '../../../lib/glossary/types';

/** Every suggestion quotes the answer exactly at its offsets (the report schema's rule). */
export function expectAnchored(answer: string, suggestions: readonly Suggestion[]) {
  for (const s of suggestions) {
    if (answer.slice(s.start, s.end) !== s.exact) throw new Error(`"${s.exact}" is not at ${s.start}–${s.end}`);
  }
}

export const pairs = (suggestions: readonly Suggestion[]) => suggestions.map((s) => [s.exact, s.suggestion]);
