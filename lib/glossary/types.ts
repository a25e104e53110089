// Suggested marks (DESIGN.md §13): what a suggestion source finds in an answer. A
// suggestion carries the same fields as a Highlight, so accepting one is making a mark
// with `source: "glossary:<source name>"`.
import type { Category, Severity } from '../report';

export interface Suggestion {
  /** UTF-16 offsets into the answer; `answer.slice(start, end) === exact`. */
  start: number;
  end: number;
  exact: string;
  /** What a local would say. */
  suggestion: string;
  alternatives?: string[];
  category: Category;
  severity: Severity;
  note?: string;
  /** `glossary:<source name>`, as stored on an accepted mark. */
  source: `glossary:${string}`;
}

export interface SuggestionSource {
  /** Short id, `[A-Za-z0-9._-]{1,64}` (it becomes `glossary:<name>` on a mark). */
  name: string;
  suggest(answer: string, expected: string): Suggestion[];
}

/** One glossary line: a phrase that sounds foreign to the locale and what a local says. */
export interface GlossaryEntry {
  term: string;
  suggestion: string;
  alternatives?: string[];
  category: Category;
  severity?: Severity;
  note?: string;
}
