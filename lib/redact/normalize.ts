// Detectors read a normalised copy of the text: full-width forms (０９１２－３４５－６７８,
// ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ), no-break and ideographic spaces, typographic dashes and
// Arabic-Indic / Devanagari digits become their ASCII forms, so one pattern serves them all.
// NFKC can change lengths (ﬁ → fi, ㍻ → 平成), so the copy keeps, for each of its UTF-16
// units, the span of the original it came from: redactions are always reported in offsets of
// the text the user sees.

export interface NormalisedText {
  /** The copy detectors read. */
  text: string;
  /** Offsets into the original for a span [start, end) of the copy. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63]/;
const cache = new Map<string, string>();

function normaliseCodePoint(ch: string): string {
  let out = cache.get(ch);
  if (out !== undefined) return out;
  const code = ch.codePointAt(0)!;
  if (code >= 0x660 && code <= 0x669) out = String(code - 0x660);
  else if (code >= 0x6f0 && code <= 0x6f9) out = String(code - 0x6f0);
  else if (code >= 0x966 && code <= 0x96f) out = String(code - 0x966);
  else {
    out = ch.normalize('NFKC');
    if (DASHES.test(out)) out = '-';
    // A compatibility form that turns into punctuation we split on elsewhere, or into many
    // characters, is kept as it was: only the forms that stand for one ASCII character or a
    // space matter for detection.
    else if (/\s/u.test(out)) out = ' ';
  }
  if (cache.size < 10_000) cache.set(ch, out);
  return out;
}

const IDENTITY = (start: number, end: number) => ({ start, end });

const NON_ASCII = /[\u0080-\u{10FFFF}]/gu;

export function normalise(original: string): NormalisedText {
  // Plain ASCII (most answers in Latin-script languages): nothing to map.
  if (!/[\u0080-\u{10FFFF}]/u.test(original)) return { text: original, toOriginal: IDENTITY };
  // First pass: the copy, and whether every replacement kept its length (full-width → ASCII
  // does), in which case offsets are the same in both and no map is needed.
  let sameLength = true;
  const text = original.replace(NON_ASCII, (ch) => {
    const piece = normaliseCodePoint(ch);
    if (piece.length !== ch.length) sameLength = false;
    return piece;
  });
  if (sameLength) return { text, toOriginal: IDENTITY };
  // Lengths changed (ﬁ → fi, 𝟎 → 0): for each unit of the copy, the original span it came from.
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let to = 0;
  for (let from = 0; from < original.length; ) {
    const code = original.charCodeAt(from);
    const width = code >= 0xd800 && code <= 0xdbff && from + 1 < original.length ? 2 : 1;
    const pieceLength = code < 0x80 ? 1 : normaliseCodePoint(original.slice(from, from + width)).length;
    for (let k = 0; k < pieceLength; k++, to++) {
      starts[to] = from;
      ends[to] = from + width;
    }
    from += width;
  }
  return {
    text,
    toOriginal: (start, end) => ({ start: starts[start]!, end: end > start ? ends[end - 1]! : starts[start]! }),
  };
}
