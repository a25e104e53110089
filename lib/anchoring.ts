// Highlight anchoring, after the W3C Web Annotation TextQuoteSelector: describe turns
// UTF-16 offsets into exact/prefix/suffix; anchor finds them again in a (possibly changed)
// answer. Pure functions over strings: no DOM here.

export const AFFIX_LENGTH = 32;

export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}

export interface TextRange {
  start: number;
  end: number;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
// Combining marks, variation selectors, ZWJ, emoji modifiers: they belong to the character before.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: matching one joining code point at a time is the point here
const CLINGS_TO_PREVIOUS = /^[\p{M}\u200d\ufe0e\ufe0f\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/u;
const ZWJ = 0x200d;

/**
 * Widen a range so it never splits a surrogate pair or separates a combining mark from
 * its base: the marked text is always whole characters the user can see.
 */
export function snapToCharacters(text: string, range: TextRange): TextRange {
  let { start, end } = range;
  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(start, Math.min(end, text.length));
  if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  // A mark, modifier or a character joined by ZWJ (👨‍👩‍👧) belongs to what comes before it.
  while (start > 0 && (CLINGS_TO_PREVIOUS.test(text.slice(start, start + 2)) || text.charCodeAt(start - 1) === ZWJ)) {
    start--;
    if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) start--;
  }
  if (end < text.length && isLowSurrogate(text.charCodeAt(end)) && isHighSurrogate(text.charCodeAt(end - 1))) end++;
  while (end < text.length && (CLINGS_TO_PREVIOUS.test(text.slice(end, end + 2)) || text.charCodeAt(end - 1) === ZWJ)) {
    end += isHighSurrogate(text.charCodeAt(end)) ? 2 : 1;
  }
  return { start, end };
}

/** Offsets → quote. The prefix/suffix never split a surrogate pair either. */
export function describe(text: string, range: TextRange, affix = AFFIX_LENGTH): TextQuote {
  let prefixStart = Math.max(0, range.start - affix);
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) prefixStart++;
  let suffixEnd = Math.min(text.length, range.end + affix);
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd--;
  return {
    exact: text.slice(range.start, range.end),
    prefix: text.slice(prefixStart, range.start),
    suffix: text.slice(range.end, suffixEnd),
  };
}

/** Length of the common tail of a and b. */
function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Quote → offsets. Among all occurrences of `exact`, pick the one whose surroundings best
 * match prefix/suffix; `hint` (the old start offset) breaks ties. Undefined if absent.
 */
export function anchor(text: string, quote: TextQuote, hint?: number): TextRange | undefined {
  if (!quote.exact) return undefined;
  let best: { start: number; score: number } | undefined;
  for (let at = text.indexOf(quote.exact); at !== -1; at = text.indexOf(quote.exact, at + 1)) {
    const before = text.slice(Math.max(0, at - quote.prefix.length), at);
    const after = text.slice(at + quote.exact.length, at + quote.exact.length + quote.suffix.length);
    let score = commonSuffixLength(before, quote.prefix) + commonPrefixLength(after, quote.suffix);
    if (hint !== undefined) score -= Math.min(Math.abs(at - hint), 10_000) / 100_000;
    if (!best || score > best.score) best = { start: at, score };
  }
  return best && { start: best.start, end: best.start + quote.exact.length };
}

/**
 * Where a selected string lies in the answer when only the selection text and the text
 * before it are known (what the content script captures from a page selection).
 */
export function locateSelection(answer: string, selected: string, textBefore?: string): TextRange | undefined {
  const exact = selected.trim();
  if (!exact) return undefined;
  const hintStart = textBefore === undefined ? undefined : textBefore.length + (selected.length - selected.trimStart().length);
  const range = anchor(answer, { exact, prefix: (textBefore ?? '').slice(-AFFIX_LENGTH), suffix: '' }, hintStart);
  return range && snapToCharacters(answer, range);
}
