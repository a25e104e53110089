// Selecting text in the answer from the keyboard (DESIGN §7: every control works by
// keyboard). The answer is not editable, so the browser offers no caret there; the editor
// keeps its own: the arrow keys move it from word to word, Shift+arrows stretch a selection
// word by word, Home/End jump to the line's ends. Words come from Intl.Segmenter, which
// also splits Chinese and Japanese text (written without spaces) into words.
import type { TextRange } from '../anchoring';

export interface CaretSelection {
  /** Where the selection started (stays put while Shift+arrows stretch it). */
  anchor: number;
  /** Where the caret is. */
  focus: number;
}

export interface WordStops {
  /** Where each word (or other non-space run: numbers, emoji, symbols) starts… */
  starts: number[];
  /** …and ends, in order. */
  ends: number[];
}

export function wordStops(text: string, locale?: string): WordStops {
  const starts: number[] = [];
  const ends: number[] = [];
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
  for (const { segment, index } of segmenter.segment(text)) {
    if (/^\s+$/u.test(segment)) continue;
    starts.push(index);
    ends.push(index + segment.length);
  }
  return { starts, ends };
}

export type CaretKey = 'forward' | 'backward' | 'line-start' | 'line-end';

/** The selection after one key press; without `extend` the selection collapses to the caret. */
export function moveCaret(text: string, stops: WordStops, selection: CaretSelection, key: CaretKey, extend: boolean): CaretSelection {
  let focus = selection.focus;
  switch (key) {
    // Forward to the end of the next word, back to the start of the previous one (as
    // Ctrl/Option+arrows do in text fields): Shift+→ twice selects two words.
    case 'forward':
      focus = stops.ends.find((s) => s > focus) ?? text.length;
      break;
    case 'backward':
      focus = [...stops.starts].reverse().find((s) => s < focus) ?? 0;
      break;
    case 'line-start': {
      const at = text.lastIndexOf('\n', focus - 1);
      focus = at === -1 ? 0 : at + 1;
      break;
    }
    case 'line-end': {
      const at = text.indexOf('\n', focus);
      focus = at === -1 ? text.length : at;
      break;
    }
  }
  return extend ? { anchor: selection.anchor, focus } : { anchor: focus, focus };
}

/** The selection as a range (start before end), or undefined when it is only a caret. */
export function selectionRange(selection: CaretSelection): TextRange | undefined {
  if (selection.anchor === selection.focus) return undefined;
  return { start: Math.min(selection.anchor, selection.focus), end: Math.max(selection.anchor, selection.focus) };
}

/** Which key a keydown means for the caret, in the text's own direction. */
export function caretKeyOf(key: string, rtl: boolean): CaretKey | undefined {
  if (key === 'ArrowRight') return rtl ? 'backward' : 'forward';
  if (key === 'ArrowLeft') return rtl ? 'forward' : 'backward';
  if (key === 'Home') return 'line-start';
  if (key === 'End') return 'line-end';
  return undefined;
}
