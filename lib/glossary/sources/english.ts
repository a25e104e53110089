// English spelling by region, from the US↔UK spelling pairs of the
// american-british-english-translator package (MIT): color→colour for a British,
// Australian, New Zealand, Irish, Indian or South African reader, colour→color for an
// American. Canadian spelling takes the British -our/-re/-ll forms but keeps -ize, so a
// Canadian reader gets only those pairs. -ize→-ise is a preference (Oxford spelling uses
// -ize in Britain too). Words that are spelled the American way in Britain in one of
// their senses (a computer program, a gas meter, a draft document) are left out.
import usToGb from 'american-british-english-translator/data/american_spellings.json';
import gbToUs from 'american-british-english-translator/data/british_spellings.json';
import { glossarySource, localeParts } from '../glossary-source';
import type { GlossaryEntry, SuggestionSource } from '../types';

export type EnglishSpelling = 'US' | 'GB' | 'CA';

/** Right in British English in at least one common sense. */
const AMERICAN_ALSO_BRITISH = new Set([
  'program',
  'programs',
  'programed',
  'programing',
  'meter',
  'meters',
  'draft',
  'drafts',
  'drafted',
  'drafting',
  'license',
  'licensed',
  'licenses',
  'licensing',
  'practice',
  'practiced',
  'practices',
  'disk',
  'disks',
  'install',
  'installs',
  'enroll',
  'enrolls',
  'fulfill',
  'fulfills',
  'ton',
  'tons',
  'tire',
  'tires',
  'tired',
  'tiring',
  'analog',
  'check',
  'checks',
  'curb',
  'curbs',
  'story',
  'stories',
  'inquiry',
  'inquiries',
  'judgment',
  'judgments',
]);
/** Right in American English in at least one common sense. */
const BRITISH_ALSO_AMERICAN = new Set([
  'disc',
  'discs',
  'tonne',
  'tonnes',
  'programme',
  'programmes',
  'draught',
  'draughts',
  'dialogue',
  'dialogues',
  'catalogue',
  'catalogues',
  'judgement',
]);
/** Canada keeps these American spellings. */
const CANADIAN_AMERICAN = new Set(['aluminum', 'tire', 'tires', 'curb', 'pajamas', 'plow', 'plows', 'mold', 'molds', 'moldy']);

const isIzePair = (us: string, gb: string) => /i[zs]|y[zs]/.test(us) && us.replace(/iz/g, 'is').replace(/yz/g, 'ys') === gb;
const isCanadianPair = (us: string, gb: string) =>
  !isIzePair(us, gb) &&
  ((/or/.test(us) && gb === us.replace(/or(?!.*or)/, 'our')) ||
    (/er$|ers$|ered$|ering$/.test(us) && gb === us.replace(/er(s|ed|ing)?$/, 're$1')) ||
    gb.replace(/ll/g, 'l') === us);

/** Which spelling a locale expects (undefined: not English). */
export function englishSpelling(expected: string): EnglishSpelling | undefined {
  const parts = localeParts(expected);
  if (parts?.language !== 'en') return undefined;
  if (parts.region === 'US' || parts.region === 'PR' || parts.region === 'PH' || parts.region === 'UM') return 'US';
  if (parts.region === 'CA') return 'CA';
  return 'GB';
}

export function englishSpellingEntries(target: EnglishSpelling): GlossaryEntry[] {
  if (target === 'US') {
    return Object.entries(gbToUs as Record<string, string>)
      .filter(([gb, us]) => gb !== us && !BRITISH_ALSO_AMERICAN.has(gb))
      .map(([gb, us]) => ({ term: gb, suggestion: us, category: 'spelling_variant', severity: 'minor', note: 'American spelling' }));
  }
  return Object.entries(usToGb as Record<string, string>).flatMap(([us, gb]): GlossaryEntry[] => {
    if (us === gb || AMERICAN_ALSO_BRITISH.has(us)) return [];
    if (target === 'CA') {
      if (CANADIAN_AMERICAN.has(us) || !isCanadianPair(us, gb)) return [];
      return [{ term: us, suggestion: gb, category: 'spelling_variant', severity: 'minor', note: 'Canadian spelling' }];
    }
    return isIzePair(us, gb)
      ? [
          {
            term: us,
            suggestion: gb,
            category: 'spelling_variant',
            severity: 'preference',
            note: 'British spelling; -ize (Oxford spelling) is also used in Britain',
          },
        ]
      : [{ term: us, suggestion: gb, category: 'spelling_variant', severity: 'minor', note: 'British spelling' }];
  });
}

const cache = new Map<EnglishSpelling, SuggestionSource>();

export function englishSpellingSource(target: EnglishSpelling): SuggestionSource {
  let source = cache.get(target);
  if (!source) {
    source = glossarySource(`en-spelling-${target.toLowerCase()}`, englishSpellingEntries(target), (expected) => englishSpelling(expected) === target);
    cache.set(target, source);
  }
  return source;
}
