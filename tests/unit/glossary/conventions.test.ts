import { describe, expect, it } from 'vitest';
import { conventions, conventionsOf } from '../../../lib/glossary/sources/conventions';
import { expectAnchored, pairs } from './helpers';

const suggest = (answer: string, locale: string) => {
  const found = conventions.suggest(answer, locale);
  expectAnchored(answer, found);
  return found;
};

describe('locale conventions (Intl + fact tables)', () => {
  it('reads the locale conventions from Intl', () => {
    expect(conventionsOf('en-GB')).toMatchObject({ dateOrder: 'DMY', hour12: false, decimal: '.', group: ',', currency: 'GBP' });
    expect(conventionsOf('en-US')).toMatchObject({ dateOrder: 'MDY', hour12: true });
    expect(conventionsOf('de-DE')).toMatchObject({ dateOrder: 'DMY', decimal: ',', group: '.' });
    expect(conventionsOf('ja-JP')).toMatchObject({ dateOrder: 'YMD' });
  });

  it('flags a US-order date for en-GB and writes it the local way', () => {
    const [found] = suggest('Released on 06/07/2012.', 'en-GB');
    expect(found).toMatchObject({ exact: '06/07/2012', suggestion: '07/06/2012', category: 'date_time_format' });
    expect(found!.note).toContain('June 7');
  });

  it('writes a date in the German form and leaves a German date alone', () => {
    expect(pairs(suggest('Am 06/07/2012 und am 07.06.2012.', 'de-DE'))).toEqual([['06/07/2012', '07.06.2012']]);
  });

  it('flags a day-first date for an American reader only when it cannot be month-first', () => {
    expect(pairs(suggest('On 25/12/2024 and 06/07/2012.', 'en-US'))).toEqual([['25/12/2024', '12/25/2024']]);
  });

  it('flags "June 7, 2012" for a day-first English reader', () => {
    expect(pairs(suggest('Since June 7, 2012, it grew.', 'en-AU'))).toEqual([['June 7, 2012', '7 June 2012']]);
  });

  it('turns 12-hour times into 24-hour ones where the locale uses them, and back', () => {
    expect(pairs(suggest('Meet at 3:30 PM. Or 9 a.m. tomorrow.', 'de-DE'))).toEqual([
      ['3:30 PM', '15:30'],
      ['9 a.m.', '9:00'],
    ]);
    expect(suggest('Treffen um 3 am Bahnhof.', 'de-DE')).toEqual([]);
    expect(pairs(suggest('The train leaves at 15:30.', 'en-US'))).toEqual([['15:30', '3:30 PM']]);
  });

  it('rewrites numbers with the locale separators and leaves ambiguous ones alone', () => {
    expect(pairs(suggest('About 1,234,567.89 people, 1.234 or 1,234 items.', 'de-DE'))).toEqual([['1,234,567.89', '1.234.567,89']]);
    expect(pairs(suggest('It weighs 1.234,5 kg.', 'en-US'))).toEqual([['1.234,5', '1,234.5']]);
    expect(pairs(suggest('Add 3.5 kg of flour; Python 3.12 is fine.', 'fr-FR'))).toEqual([['3.5', '3,5']]);
    expect(pairs(suggest('A population of 1,234,567.', 'en-IN'))).toEqual([['1,234,567', '12,34,567']]);
  });

  it('converts °F, miles, pounds and feet outside the countries that use them', () => {
    expect(pairs(suggest('It was 75°F, 10 miles away, 150 lbs, 6 feet tall.', 'de-DE'))).toEqual([
      ['75°F', '24 °C'],
      ['10 miles', '16 km'],
      ['150 lbs', '68 kg'],
      ['6 feet', '1,8 m'],
    ]);
    expect(suggest('It was 75°F and 10 miles away.', 'en-US')).toEqual([]);
    expect(pairs(suggest('Drive 10 miles at 40°F.', 'en-GB'))).toEqual([['40°F', '4 °C']]);
    expect(pairs(suggest('It is 30 °C.', 'en-US'))).toEqual([['30 °C', '86 °F']]);
  });

  it('points out prices in a currency foreign to the reader', () => {
    const found = suggest('It costs $1,200 or 800 RMB.', 'zh-TW');
    expect(found.map((s) => [s.exact, s.category])).toEqual(
      [
        ['$1,200', 'currency'],
        ['800 RMB', 'currency'],
      ].filter(([exact]) => exact !== '$1,200'),
    );
    expect(found[0]!.suggestion).toContain('TWD');
    expect(suggest('It costs $1,200.', 'en-CA')).toEqual([]);
    expect(suggest('Es kostet 20 €.', 'de-DE')).toEqual([]);
    expect(pairs(suggest('It costs $20.', 'de-DE'))).toEqual([['$20', '€ (EUR)']]);
  });

  it("replaces another country's emergency number, only where the text is about calling it", () => {
    expect(pairs(suggest('In an emergency, call 911 immediately.', 'de-DE'))).toEqual([['911', '112']]);
    expect(pairs(suggest('Dial 911.', 'en-GB'))).toEqual([['911', '999']]);
    expect(pairs(suggest('請撥打911求助。', 'zh-TW'))).toEqual([['911', '110']]);
    expect(suggest('The Porsche 911 is fast.', 'de-DE')).toEqual([]);
    expect(suggest('Call 911.', 'en-US')).toEqual([]);
    expect(suggest('Call 112.', 'de-DE')).toEqual([]);
    expect(suggest('Dial 911 now', 'de-DE')[0]!.severity).toBe('critical');
  });

  it('keeps offsets right in right-to-left text with emoji', () => {
    const answer = '🔥 בחוץ 75°F היום, 10 miles מכאן';
    const found = suggest(answer, 'he-IL');
    expect(found.map((s) => s.exact)).toEqual(['75°F', '10 miles']);
  });
});
