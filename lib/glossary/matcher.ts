// Finding many glossary terms in one answer in a single pass: a trie over the terms'
// UTF-16 code units, walked from every position. Terms in alphabetic scripts must start
// and end at word boundaries ("color" is not found in "colorful"); terms in scripts
// written without spaces (Chinese, Japanese, Thai) match anywhere. Matching ignores case;
// the offsets are the answer's own.
import type { GlossaryEntry } from './types';

export interface Match<E> {
  start: number;
  end: number;
  entry: E;
}

interface Node<E> {
  next: Map<number, Node<E>>;
  entries?: E[];
}

/** Letters, marks and digits: a term next to one of these is inside a longer word. */
const WORD_CHAR = /[\p{L}\p{M}\p{Nd}]/u;
/** Scripts written without spaces between words. */
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Lower-case without changing length, so offsets into the folded text are offsets into the
 * answer ("İ".toLowerCase() is two code units: such characters are kept as they are).
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

function isWordChar(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  // A surrogate half: look at the whole code point.
  if (code >= 0xdc00 && code <= 0xdfff && index > 0) return WORD_CHAR.test(text.slice(index - 1, index + 1));
  if (code >= 0xd800 && code <= 0xdbff) return WORD_CHAR.test(text.slice(index, index + 2));
  return WORD_CHAR.test(text[index]!);
}

export class PhraseMatcher<E extends { term: string }> {
  private readonly root: Node<E> = { next: new Map() };
  private readonly bounded = new WeakMap<E, boolean>();
  readonly size: number;

  constructor(entries: Iterable<E>) {
    let size = 0;
    for (const entry of entries) {
      const term = foldCase(entry.term.trim());
      if (!term) continue;
      let node = this.root;
      for (let i = 0; i < term.length; i++) {
        const code = term.charCodeAt(i);
        let child = node.next.get(code);
        if (!child) {
          child = { next: new Map() };
          node.next.set(code, child);
        }
        node = child;
      }
      (node.entries ??= []).push(entry);
      // Boundaries are needed at an end where the term's own character is alphabetic.
      this.bounded.set(entry, !NO_SPACES.test(term));
      size++;
    }
    this.size = size;
  }

  /**
   * Every occurrence, longest first at each start; overlapping matches are all returned
   * (the engine picks among them).
   */
  findAll(text: string): Match<E>[] {
    const folded = foldCase(text);
    const found: Match<E>[] = [];
    const n = folded.length;
    for (let start = 0; start < n; start++) {
      let node: Node<E> | undefined = this.root.next.get(folded.charCodeAt(start));
      if (!node) continue;
      const startsWord = !isWordChar(text, start - 1);
      let end = start + 1;
      const here: Match<E>[] = [];
      while (node) {
        if (node.entries) {
          for (const entry of node.entries) {
            if (this.bounded.get(entry)) {
              if (!startsWord && isWordChar(text, start)) continue;
              if (isWordChar(text, end) && isWordChar(text, end - 1)) continue;
            }
            here.push({ start, end, entry });
          }
        }
        if (end >= n) break;
        node = node.next.get(folded.charCodeAt(end));
        end++;
      }
      for (let i = here.length - 1; i >= 0; i--) found.push(here[i]!);
    }
    return found;
  }
}

/** Keep the answer's capitalisation on a replacement: "Color" → "Colour", "COLOR" → "COLOUR". */
export function matchCase(exact: string, replacement: string): string {
  if (exact.length > 1 && exact === exact.toUpperCase() && exact !== exact.toLowerCase()) return replacement.toUpperCase();
  const first = exact[0];
  if (first && first !== first.toLowerCase() && first === first.toUpperCase() && replacement[0] === replacement[0]?.toLowerCase())
    return replacement[0]!.toUpperCase() + replacement.slice(1);
  return replacement;
}

export type { GlossaryEntry };
