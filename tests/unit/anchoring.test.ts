import { describe as group, expect, it } from 'vitest';
import { anchor, describe, locateSelection, snapToCharacters } from '../../lib/anchoring';

group('highlight anchoring', () => {
  it('describes and re-anchors a CJK phrase by UTF-16 offsets', () => {
    const answer = '在台灣，我們通常說影片，而不是視頻。';
    const start = answer.indexOf('視頻');
    const quote = describe(answer, { start, end: start + 2 });
    expect(quote).toEqual({ exact: '視頻', prefix: '在台灣，我們通常說影片，而不是', suffix: '。' });
    expect(anchor(answer, quote)).toEqual({ start, end: start + 2 });
  });

  it('counts emoji as two UTF-16 units and never splits a surrogate pair', () => {
    const answer = 'Great job 👍🏽 — see you at 5 pm';
    const thumb = answer.indexOf('👍');
    expect(answer.slice(thumb, thumb + 4)).toBe('👍🏽');
    // A selection ending inside the pair or before the skin-tone modifier is widened.
    expect(snapToCharacters(answer, { start: thumb, end: thumb + 1 })).toEqual({ start: thumb, end: thumb + 4 });
    expect(snapToCharacters(answer, { start: thumb + 1, end: thumb + 2 })).toEqual({ start: thumb, end: thumb + 4 });
    const quote = describe(answer, { start: thumb, end: thumb + 4 });
    expect(quote.exact).toBe('👍🏽');
    expect(anchor(answer + ' 👍🏽', quote)).toEqual({ start: thumb, end: thumb + 4 });
  });

  it('keeps a combining mark with its base letter', () => {
    const answer = 'econo\u0302mico e econômico';
    const o = answer.indexOf('o\u0302');
    expect(snapToCharacters(answer, { start: 0, end: o + 1 })).toEqual({ start: 0, end: o + 2 });
    expect(snapToCharacters(answer, { start: o + 1, end: o + 4 })).toEqual({ start: o, end: o + 4 });
  });

  it('anchors right-to-left text by logical offsets', () => {
    const answer = 'يمكنك الاتصال بالرقم 911 في حالات الطوارئ. في ألمانيا اتصل بالرقم 112.';
    const start = answer.indexOf('911');
    const quote = describe(answer, { start, end: start + 3 });
    expect(quote.prefix.endsWith('بالرقم ')).toBe(true);
    expect(anchor(answer, quote)).toEqual({ start, end: start + 3 });
    const hebrew = 'שלום עולם, שלום לכולם';
    const second = hebrew.lastIndexOf('שלום');
    expect(anchor(hebrew, describe(hebrew, { start: second, end: second + 4 }))).toEqual({ start: second, end: second + 4 });
  });

  it('picks the right one of a phrase that occurs twice, by its context', () => {
    const answer = 'Use the colour picker. The color picker in the US spelling is color.';
    const second = answer.indexOf('color', answer.indexOf('color') + 1);
    const quote = describe(answer, { start: second, end: second + 5 });
    expect(anchor(answer, quote)).toEqual({ start: second, end: second + 5 });
    // Text before the answer changed: the context still finds the same occurrence.
    const edited = 'Note: ' + answer;
    expect(anchor(edited, quote)).toEqual({ start: second + 6, end: second + 11 });
    expect(anchor(answer, { exact: 'absent', prefix: '', suffix: '' })).toBeUndefined();
  });

  it('locates a page selection from its text and the text before it', () => {
    const answer = '視頻 and more 視頻 here';
    expect(locateSelection(answer, '視頻', '視頻 and more ')).toEqual({ start: 12, end: 14 });
    expect(locateSelection(answer, ' 視頻 ', '視頻 and more')).toEqual({ start: 12, end: 14 });
    expect(locateSelection(answer, '   ', '')).toBeUndefined();
  });
});

group('whole characters', () => {
  it('keeps a ZWJ family emoji together', () => {
    const answer = 'a 👨‍👩‍👧 b';
    expect(snapToCharacters(answer, { start: 2, end: 4 })).toEqual({ start: 2, end: 2 + '👨‍👩‍👧'.length });
    expect(snapToCharacters(answer, { start: 5, end: 7 })).toEqual({ start: 2, end: 2 + '👨‍👩‍👧'.length });
  });
});
