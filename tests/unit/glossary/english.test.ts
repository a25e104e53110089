import { describe, expect, it } from 'vitest';
import { englishSpelling, englishSpellingSource, englishSpellingEntries } from '../../../lib/glossary/sources/english';
import { loadSources, suggestAll } from '../../../lib/glossary';
import { expectAnchored, pairs } from './helpers';

describe('English regional spelling (american-british-english-translator pairs)', () => {
  it('suggests British spelling to an en-GB reader, keeping capitals', () => {
    const answer = 'The Color of the center is gray. COLOR!';
    const found = englishSpellingSource('GB').suggest(answer, 'en-GB');
    expectAnchored(answer, found);
    expect(pairs(found)).toEqual([
      ['Color', 'Colour'],
      ['center', 'centre'],
      ['gray', 'grey'],
      ['COLOR', 'COLOUR'],
    ]);
  });

  it('matches whole words only', () => {
    expect(
      englishSpellingSource('GB')
        .suggest('discolorations and colorful graying', 'en-GB')
        .map((s) => s.exact),
    ).not.toContain('color');
    expect(englishSpellingSource('GB').suggest('multicolor', 'en-GB')).toEqual([]);
  });

  it('makes -ize → -ise a preference, other spellings minor', () => {
    const found = englishSpellingSource('GB').suggest('Organize the flavor.', 'en-GB');
    expect(found.map((s) => [s.exact, s.severity])).toEqual([
      ['Organize', 'preference'],
      ['flavor', 'minor'],
    ]);
  });

  it('leaves out words British English also spells the American way (a computer program, a gas meter)', () => {
    expect(englishSpellingSource('GB').suggest('Run the program and read the meter.', 'en-GB')).toEqual([]);
    expect(englishSpellingEntries('GB').length).toBeGreaterThan(1500);
  });

  it('suggests American spelling to an en-US reader', () => {
    expect(pairs(englishSpellingSource('US').suggest('The colour of the centre; organise it.', 'en-US'))).toEqual([
      ['colour', 'color'],
      ['centre', 'center'],
      ['organise', 'organize'],
    ]);
  });

  it('gives Canadians -our and -re but keeps -ize', () => {
    expect(pairs(englishSpellingSource('CA').suggest('The color of the center; organize it.', 'en-CA'))).toEqual([
      ['color', 'colour'],
      ['center', 'centre'],
    ]);
  });

  it('reads Australia, New Zealand and India as British spelling', () => {
    expect(englishSpelling('en-AU')).toBe('GB');
    expect(englishSpelling('en-IN')).toBe('GB');
    expect(englishSpelling('en')).toBe('US');
    expect(englishSpelling('de-DE')).toBeUndefined();
  });

  it('adds curated vocabulary next to spelling for en-GB', async () => {
    const answer = 'Take the elevator to the parking lot, then the truck.';
    const found = suggestAll(await loadSources('en-GB'), answer, 'en-GB');
    expectAnchored(answer, found);
    expect(pairs(found)).toEqual([
      ['elevator', 'lift'],
      ['parking lot', 'car park'],
      ['truck', 'lorry'],
    ]);
    expect(found.every((s) => s.source === 'glossary:curated-en' && s.note)).toBe(true);
  });
});
