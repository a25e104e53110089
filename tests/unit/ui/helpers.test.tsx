import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, SEVERITIES, SITES, STATUSES } from '../../../lib/report';
import { FILTERS } from '../../../components/ReportList';
import { findPhrase, normalizeRange, parseAlternatives, segmentAnswer } from '../../../lib/ui/marks';
import { offsetInContainer } from '../../../lib/ui/selection';
import { placeProblem } from '../../../lib/ui/problems';
import { suggestDefaultLocale } from '../../../lib/ui/locale';
import { firstLine, formatDate, hostOfPattern } from '../../../lib/ui/format';
import { readLaunchParams, appUrl } from '../../../lib/ui/navigation';
import { applyDocumentLanguage } from '../../../lib/ui/i18n';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MESSAGES, getMessage } from './harness';

const ROOT = resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('UI strings', () => {
  it('has a message for every key the UI asks for', () => {
    const files = [...sources(join(ROOT, 'components')), ...sources(join(ROOT, 'lib/ui'))];
    const keys = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) keys.add(m[1]!);
      for (const m of text.matchAll(/'(error[A-Z][A-Za-z]+)'/g)) keys.add(m[1]!);
      for (const m of text.matchAll(/titleKey: '([A-Za-z]+)'/g)) keys.add(m[1]!);
    }
    for (const c of CATEGORIES) keys.add(`category_${c}`).add(`categoryHelp_${c}`);
    for (const s of SEVERITIES) keys.add(`severity_${s}`).add(`severityHelp_${s}`);
    for (const s of STATUSES) keys.add(`status_${s}`);
    for (const f of FILTERS) keys.add(`filter_${f}`);
    for (const s of SITES) keys.add(`site_${s}`);
    const missing = [...keys].filter((k) => !MESSAGES[k]);
    expect(missing).toEqual([]);
    expect(keys.size).toBeGreaterThan(150);
  });

  it('declares every $PLACEHOLDER$ a message uses (Chrome drops undeclared ones)', () => {
    for (const [key, entry] of Object.entries(MESSAGES)) {
      for (const m of entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)) expect(entry.placeholders?.[m[1]!.toLowerCase()], `${key} uses $${m[1]}$`).toBeDefined();
    }
  });
});

describe('mark helpers', () => {
  it('splits alternatives by lines and commas (also ，、) but keeps 1,234.5 whole', () => {
    expect(parseAlternatives('colour, hue\nshade')).toEqual(['colour', 'hue', 'shade']);
    expect(parseAlternatives('程式，應用程式、軟體')).toEqual(['程式', '應用程式', '軟體']);
    expect(parseAlternatives('1.234,5, 1 234,5')).toEqual(['1.234,5', '1 234,5']);
    expect(parseAlternatives('1,234.5')).toEqual(['1,234.5']);
  });

  it('trims white space off a selection and keeps combining marks with their letter', () => {
    const text = ' cafe\u0301 ';
    expect(normalizeRange(text, { start: 0, end: 5 })).toEqual({ start: 1, end: 6 });
    expect(normalizeRange(text, { start: 0, end: 1 })).toBeUndefined();
  });

  it('segments the answer into plain and marked runs that add up to the answer', () => {
    const answer = 'abcdefghij';
    const segments = segmentAnswer(answer, [
      { start: 6, end: 8 },
      { start: 1, end: 3 },
    ]);
    expect(segments.map((s) => [s.text, Boolean(s.highlight)])).toEqual([
      ['a', false],
      ['bc', true],
      ['def', false],
      ['gh', true],
      ['ij', false],
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(answer);
  });

  it('finds the next unmarked occurrence of a typed phrase', () => {
    const answer = 'color and color and color';
    const marked = [{ start: 0, end: 5 }] as never;
    expect(findPhrase(answer, 'color', marked)).toEqual({ ok: true, range: { start: 10, end: 15 } });
    expect(findPhrase(answer, 'color', marked, 11)).toEqual({ ok: true, range: { start: 20, end: 25 } });
    expect(findPhrase(answer, 'colour', [])).toEqual({ ok: false, reason: 'not-found' });
  });
});

describe('selection offsets', () => {
  it('counts characters before element boundary points and clamps points outside the answer', () => {
    const outer = document.createElement('div');
    const before = document.createElement('p');
    before.textContent = 'outside';
    const container = document.createElement('div');
    const mark = document.createElement('mark');
    mark.textContent = 'DE';
    container.append('ab😀', mark, 'fg');
    outer.append(before, container);
    document.body.append(outer);
    expect(offsetInContainer(container, container, 0)).toBe(0);
    expect(offsetInContainer(container, container, 1)).toBe(4);
    expect(offsetInContainer(container, container, 2)).toBe(6);
    expect(offsetInContainer(container, container, 3)).toBe(8);
    expect(offsetInContainer(container, mark, 1)).toBe(6);
    expect(offsetInContainer(container, mark.firstChild!, 1)).toBe(5);
    expect(offsetInContainer(container, before.firstChild!, 3)).toBe(0);
    expect(offsetInContainer(container, outer, 2)).toBe(8);
    expect(offsetInContainer(container, outer, 1)).toBe(0);
    outer.remove();
  });
});

describe('small UI helpers', () => {
  it('places save problems by field path', () => {
    expect(placeProblem('highlights[2].suggestion: a suggestion is required')).toMatchObject({
      field: 'highlights',
      markIndex: 2,
      message: 'a suggestion is required',
    });
    expect(placeProblem('expected_locale: "pt_BR" uses "_"')).toMatchObject({ field: 'expected_locale' });
    expect(placeProblem('model.label: too long')).toMatchObject({ field: 'model' });
    expect(placeProblem('Something odd')).toMatchObject({ field: 'other', message: 'Something odd' });
  });

  it('suggests a first-run locale from the browser languages', () => {
    expect(suggestDefaultLocale(['pt', 'pt-BR', 'en'])).toBe('pt-BR');
    // One rule with the background's default: a region from Intl's likely subtags, never `pt` alone.
    expect(suggestDefaultLocale(['pt', 'en-GB'])).toBe('pt-BR');
    expect(suggestDefaultLocale(['zh'])).toBe('zh-CN');
    expect(suggestDefaultLocale(['sr'])).toBe('sr-Cyrl-RS');
    expect(suggestDefaultLocale(['ja'])).toBe('ja');
    expect(suggestDefaultLocale(['de-AT', 'de'])).toBe('de-AT');
    expect(suggestDefaultLocale([])).toBeUndefined();
  });

  it('shortens first lines without splitting surrogate pairs and reads launch params', () => {
    expect(firstLine('\n\n  Hello\nworld')).toBe('Hello');
    expect(firstLine('a'.repeat(9) + '😀xyz', 10)).toBe('a'.repeat(9) + '…');
    expect(hostOfPattern('https://chatgpt.com/*')).toBe('chatgpt.com');
    expect(hostOfPattern('https://huggingface.co/chat/*')).toBe('huggingface.co/chat');
    expect(hostOfPattern('https://huggingface.co/chat')).toBe('huggingface.co/chat');
    const id = crypto.randomUUID();
    expect(readLaunchParams(appUrl({ reportId: id, inTab: true }).replace('/popup.html', ''))).toEqual({ reportId: id, inTab: true });
    expect(readLaunchParams('?report=<script>')).toEqual({ reportId: undefined, inTab: false });
  });
});

describe('UI direction', () => {
  it('follows the language of the messages file in use, so an Arabic UI reads right to left', () => {
    const i18n = fakeBrowser.i18n as unknown as Record<string, unknown>;
    // Each messages.json names its own language (localeTag): the Arabic file says "ar".
    i18n.getMessage = (name: string, subs?: string[]) => (name === 'localeTag' ? 'ar' : getMessage(name, subs));
    i18n.getUILanguage = () => 'ar';
    applyDocumentLanguage(document);
    expect(document.documentElement.dir).toBe('rtl');
    expect(document.documentElement.lang).toBe('ar');
    i18n.getMessage = getMessage;
    applyDocumentLanguage(document);
    expect(document.documentElement.dir).toBe('ltr');
    // A browser in a language we don't ship gets the English file: lang says so, not "sw".
    i18n.getUILanguage = () => 'sw';
    applyDocumentLanguage(document);
    expect(document.documentElement.lang).toBe('en');
  });
});

describe('dates in the list', () => {
  it('formats in each UI language asked for, one after the other, and gives the raw value back when it cannot', () => {
    const iso = '2026-03-04T05:06:00.000Z';
    const en = formatDate(iso, 'en-US');
    const de = formatDate(iso, 'de-DE');
    expect(en).toMatch(/Mar/);
    expect(de).toMatch(/\b2026\b/);
    expect(de).not.toBe(en);
    expect(formatDate(iso, 'en-US')).toBe(en);
    expect(formatDate(iso, 'not a language!')).toBe(iso);
    expect(formatDate('not a date', 'en-US')).toBe('not a date');
  });
});
