import { describe, expect, it } from 'vitest';
import { chooseSuggestions, suggestAll, suggestionKey } from '../../../lib/glossary/engine';
import { PhraseMatcher, foldCase, matchCase } from '../../../lib/glossary/matcher';
import { glossarySource } from '../../../lib/glossary/glossary-source';
import { loadSources } from '../../../lib/glossary';
import type { Suggestion, SuggestionSource } from '../../../lib/glossary/types';
import { expectAnchored } from './helpers';

const s = (start: number, end: number, source = 'glossary:a'): Suggestion => ({
  start,
  end,
  exact: 'x'.repeat(end - start),
  suggestion: 'y',
  category: 'regional_vocabulary',
  severity: 'minor',
  source: source as Suggestion['source'],
});

describe('choosing suggestions', () => {
  it('lets the longest match win where suggestions overlap, then the earliest, then the first source', () => {
    const chosen = chooseSuggestions([s(0, 2), s(1, 5), s(4, 6), s(10, 12, 'glossary:a'), s(10, 12, 'glossary:b')]);
    expect(chosen.map((c) => [c.start, c.end, c.source])).toEqual([
      [1, 5, 'glossary:a'],
      [10, 12, 'glossary:a'],
    ]);
  });

  it('does not suggest a phrase the user already marked, even partly', () => {
    expect(chooseSuggestions([s(0, 4), s(6, 8)], { marks: [{ start: 3, end: 5 }] }).map((c) => c.start)).toEqual([6]);
  });

  it('keeps dismissed suggestions dismissed, by key', () => {
    const all = [s(0, 4), s(6, 8)];
    expect(chooseSuggestions(all, { dismissed: [suggestionKey(all[0]!)] }).map((c) => c.start)).toEqual([6]);
    expect(suggestionKey(all[0]!)).toBe('glossary:a@0-4');
  });

  it('skips a source that throws and reports it', () => {
    const broken: SuggestionSource = {
      name: 'broken',
      suggest: () => {
        throw new Error('bad data');
      },
    };
    const good = glossarySource('good', [{ term: 'truck', suggestion: 'lorry', category: 'regional_vocabulary' }], () => true);
    const errors: string[] = [];
    expect(suggestAll([broken, good], 'a truck', 'en-GB', {}, (name) => errors.push(name)).map((c) => c.exact)).toEqual(['truck']);
    expect(errors).toEqual(['broken']);
  });
});

describe('phrase matching', () => {
  it('needs word boundaries in alphabetic scripts, none in CJK', () => {
    const m = new PhraseMatcher([{ term: 'color' }, { term: '視頻' }, { term: 'día' }]);
    expect(m.findAll('colorful color, discolor').map((x) => x.start)).toEqual([9]);
    expect(m.findAll('看視頻了').map((x) => x.start)).toEqual([1]);
    expect(m.findAll('buen día, mediodía').map((x) => x.start)).toEqual([5]);
  });

  it('matches regardless of case without moving offsets', () => {
    expect(foldCase('İstanbul COLOR')).toHaveLength('İstanbul COLOR'.length);
    const m = new PhraseMatcher([{ term: 'color' }]);
    expect(m.findAll('İİ COLOR').map((x) => x.start)).toEqual([3]);
    expect(matchCase('Color', 'colour')).toBe('Colour');
    expect(matchCase('COLOR', 'colour')).toBe('COLOUR');
    expect(matchCase('color', 'colour')).toBe('colour');
  });

  it('finds terms after emoji, combining marks and in right-to-left text', () => {
    const source = glossarySource(
      't',
      [
        { term: 'מחשב נייד', suggestion: 'לפטופ', category: 'regional_vocabulary' },
        { term: 'café', suggestion: 'coffee', category: 'regional_vocabulary' },
      ],
      () => true,
    );
    const answer = '👩🏽‍💻 קניתי מחשב נייד. cafe\u0301 café';
    const found = source.suggest(answer, 'he-IL');
    expectAnchored(answer, found);
    expect(found.map((f) => f.exact)).toEqual(['מחשב נייד', 'café']);
    expect(found[0]!.start).toBe(answer.indexOf('מחשב'));
  });
});

describe('loading sources per locale', () => {
  it('loads only the sources for the expected locale', async () => {
    expect((await loadSources('zh-TW')).map((x) => x.name)).toEqual(['opencc-tw', 'curated-zh', 'conventions']);
    expect((await loadSources('en-GB')).map((x) => x.name)).toEqual(['en-spelling-gb', 'curated-en', 'conventions']);
    expect((await loadSources('pt-BR')).map((x) => x.name)).toEqual(['curated-pt', 'conventions']);
    expect((await loadSources('ko-KR')).map((x) => x.name)).toEqual(['conventions']);
  });

  it('finds nothing in an answer that already sounds local', async () => {
    const answer = '這部影片的品質很好，軟體和資訊都在網路上。';
    expect(suggestAll(await loadSources('zh-TW'), answer, 'zh-TW')).toEqual([]);
  });
});
