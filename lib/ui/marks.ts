// Pure helpers for marks (highlights) in the editor: splitting the answer into plain and
// marked runs, refusing overlaps, finding a typed phrase, and turning the mark form into a
// Highlight. Offsets are UTF-16 code units into `answer`, as in the report format (§3).
import { describe, snapToCharacters, type TextRange } from '../anchoring';
import { LIMITS, type Category, type Highlight, type Severity } from '../report';
import type { MessageKey } from './i18n';

export interface Segment<T extends TextRange = Highlight> {
  text: string;
  start: number;
  /** The mark over this run, if any. */
  highlight?: T;
}

/** The answer as runs of plain and marked text, in order; marks must not overlap. */
export function segmentAnswer<T extends TextRange>(answer: string, highlights: readonly T[]): Segment<T>[] {
  const sorted = [...highlights].filter((h) => h.end <= answer.length && h.start < h.end).sort((a, b) => a.start - b.start);
  const segments: Segment<T>[] = [];
  let at = 0;
  for (const h of sorted) {
    if (h.start < at) continue; // overlapping marks are refused on entry; never render one twice
    if (h.start > at) segments.push({ text: answer.slice(at, h.start), start: at });
    segments.push({ text: answer.slice(h.start, h.end), start: h.start, highlight: h });
    at = h.end;
  }
  if (at < answer.length) segments.push({ text: answer.slice(at), start: at });
  return segments;
}

/** The first existing mark that shares at least one character with range (ignoring `exceptId`). */
export function overlappingMark(range: TextRange, highlights: readonly Highlight[], exceptId?: string): Highlight | undefined {
  return highlights.find((h) => (exceptId === undefined || h.id !== exceptId) && h.start < range.end && range.start < h.end);
}

/**
 * Trim white space off a selection (double-click often takes the trailing space) and widen
 * it to whole characters (surrogate pairs, combining marks). Undefined if nothing is left.
 */
export function normalizeRange(answer: string, range: TextRange): TextRange | undefined {
  let { start, end } = range;
  if (start > end) [start, end] = [end, start];
  start = Math.max(0, start);
  end = Math.min(answer.length, end);
  while (start < end && /\s/.test(answer[start]!)) start++;
  while (end > start && /\s/.test(answer[end - 1]!)) end--;
  if (start >= end) return undefined;
  const snapped = snapToCharacters(answer, { start, end });
  return snapped.end > snapped.start ? snapped : undefined;
}

export type FindResult = { ok: true; range: TextRange } | { ok: false; reason: 'empty' | 'not-found' | 'all-marked' };

/**
 * Where a typed phrase is in the answer, for marking without a mouse: the first occurrence
 * after `from` (wrapping around) that no existing mark covers.
 */
export function findPhrase(answer: string, phrase: string, highlights: readonly Highlight[], from = 0): FindResult {
  const exact = phrase.trim();
  if (!exact) return { ok: false, reason: 'empty' };
  const starts: number[] = [];
  for (let at = answer.indexOf(exact); at !== -1; at = answer.indexOf(exact, at + 1)) starts.push(at);
  if (!starts.length) return { ok: false, reason: 'not-found' };
  const ordered = [...starts.filter((s) => s >= from), ...starts.filter((s) => s < from)];
  for (const start of ordered) {
    const range = { start, end: start + exact.length };
    if (!overlappingMark(range, highlights)) return { ok: true, range };
  }
  return { ok: false, reason: 'all-marked' };
}

/**
 * Alternatives typed one per line or separated by commas (also ，、；). A comma between two
 * digits stays: "1,234.5" is one alternative, not two.
 */
export function parseAlternatives(text: string): string[] {
  return text
    .split(/\r?\n|[，、；;]|,(?!\d)|(?<!\d),/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function formatAlternatives(alternatives: readonly string[] | undefined): string {
  return (alternatives ?? []).join('\n');
}

/** What the mark form holds while the user types. */
export interface MarkDraft {
  /** Set when editing an existing mark. */
  id?: string;
  range: TextRange;
  category: Category | '';
  severity: Severity;
  suggestion: string;
  alternatives: string;
  note: string;
  source?: Highlight['source'];
}

export type MarkField = 'category' | 'severity' | 'suggestion' | 'alternatives' | 'note';
/** Message keys (public/_locales) per field that is wrong. */
/** Message keys (lib/ui/i18n) saying what is wrong with each field. */
export type MarkErrors = Partial<Record<MarkField, MessageKey>>;

export function emptyMarkDraft(range: TextRange): MarkDraft {
  return { range, category: '', severity: 'minor', suggestion: '', alternatives: '', note: '' };
}

export function draftFromHighlight(h: Highlight): MarkDraft {
  return {
    id: h.id,
    range: { start: h.start, end: h.end },
    category: h.category,
    severity: h.severity,
    suggestion: h.suggestion,
    alternatives: formatAlternatives(h.alternatives),
    note: h.note ?? '',
    source: h.source,
  };
}

/** The same rules as the report schema, checked before saving so errors sit by their field. */
export function checkMarkDraft(draft: MarkDraft): MarkErrors {
  const errors: MarkErrors = {};
  if (!draft.category) errors.category = 'errorCategoryRequired';
  if (draft.category && draft.category !== 'other' && !draft.suggestion.trim()) errors.suggestion = 'errorSuggestionRequired';
  if (draft.category === 'other' && !draft.note.trim() && !draft.suggestion.trim()) errors.note = 'errorNoteRequiredForOther';
  if (draft.suggestion.length > LIMITS.suggestion) errors.suggestion = 'errorTooLong';
  if (draft.note.length > LIMITS.note) errors.note = 'errorTooLong';
  const alternatives = parseAlternatives(draft.alternatives);
  if (alternatives.length > LIMITS.alternatives) errors.alternatives = 'errorTooManyAlternatives';
  else if (alternatives.some((a) => a.length > LIMITS.suggestion)) errors.alternatives = 'errorTooLong';
  return errors;
}

/** A checked draft → the Highlight stored in the report. */
export function highlightFromDraft(answer: string, draft: MarkDraft, newId: () => string): Highlight {
  const quote = describe(answer, draft.range);
  const alternatives = parseAlternatives(draft.alternatives);
  const note = draft.note.trim();
  return {
    id: draft.id ?? newId(),
    start: draft.range.start,
    end: draft.range.end,
    ...quote,
    category: draft.category as Category,
    severity: draft.severity,
    suggestion: draft.suggestion.trim(),
    ...(alternatives.length ? { alternatives } : {}),
    ...(note ? { note } : {}),
    source: draft.source ?? 'user',
  };
}

/** Insert or replace a mark, keeping marks in answer order. */
export function upsertHighlight(highlights: readonly Highlight[], h: Highlight): Highlight[] {
  return [...highlights.filter((x) => x.id !== h.id), h].sort((a, b) => a.start - b.start);
}
