import { describe, expect, it } from 'vitest';
import { caretKeyOf, moveCaret, selectionRange, wordStops, type CaretSelection } from '../../../lib/ui/wordSelection';

function press(text: string, keys: Array<[string, boolean]>, start: CaretSelection = { anchor: 0, focus: 0 }, rtl = false) {
  const stops = wordStops(text);
  let selection = start;
  for (const [key, shift] of keys) selection = moveCaret(text, stops, selection, caretKeyOf(key, rtl)!, shift);
  return selection;
}

describe('selecting answer text from the keyboard', () => {
  it('stretches a selection word by word with Shift+→', () => {
    const text = 'Take the parking lot, please.';
    const at = text.indexOf('parking');
    const selection = press(
      text,
      [
        ['ArrowRight', true],
        ['ArrowRight', true],
      ],
      { anchor: at, focus: at },
    );
    expect(text.slice(selectionRange(selection)!.start, selectionRange(selection)!.end)).toBe('parking lot');
  });

  it('moves the caret without selecting, and back to word starts', () => {
    const text = 'one two three';
    const caret = press(text, [
      ['ArrowRight', false],
      ['ArrowRight', false],
    ]);
    expect(caret).toEqual({ anchor: 7, focus: 7 }); // after "two"
    expect(selectionRange(caret)).toBeUndefined();
    expect(press(text, [['ArrowLeft', false]], caret)).toEqual({ anchor: 4, focus: 4 });
  });

  it('steps through Chinese words although the text has no spaces', () => {
    const text = '我們用軟件來播放視頻。';
    const selection = press(text, [['ArrowRight', true]], { anchor: 3, focus: 3 });
    const range = selectionRange(selection)!;
    // Intl.Segmenter finds a word boundary inside the run of Han characters.
    expect(range.end).toBeLessThan(text.length);
    expect(text.slice(range.start, range.end).length).toBeGreaterThan(0);
  });

  it('keeps emoji with modifiers whole', () => {
    const text = 'Nice 👍🏽 work';
    const selection = press(text, [['ArrowRight', true]], { anchor: 5, focus: 5 });
    expect(text.slice(5, selection.focus)).toBe('👍🏽');
  });

  it('swaps the arrows in right-to-left text and jumps to line ends', () => {
    expect(caretKeyOf('ArrowLeft', true)).toBe('forward');
    const text = 'first line\nsecond line';
    expect(press(text, [['End', true]], { anchor: 11, focus: 11 })).toEqual({ anchor: 11, focus: text.length });
    expect(press(text, [['Home', false]], { anchor: 15, focus: 15 })).toEqual({ anchor: 11, focus: 11 });
  });
});
