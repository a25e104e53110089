// The UI's own message lookup: the chosen language's file read with chrome.i18n's rules,
// plurals by Intl.PluralRules, lang/dir from the language the text is really in.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyDocumentLanguage, dynamicKey, formatMessage, loadUiLanguage, matchUiLanguage, t, tp, uiDirection, uiLanguage } from '../../lib/ui/i18n';

const files = (folder: string) => JSON.parse(readFileSync(resolve(__dirname, '../../public/_locales', folder, 'messages.json'), 'utf8'));
const fake = (messages: Record<string, unknown>) => async () => messages;

afterEach(() => loadUiLanguage(undefined));

describe('formatMessage', () => {
  it('fills named placeholders from their $n content, and $$ is a dollar sign', () => {
    const entry = { message: 'Pay $$5 for $COUNT$ reports to $Host$', placeholders: { count: { content: '$1' }, host: { content: '$2' } } };
    expect(formatMessage(entry, ['3', 'example.org'])).toBe('Pay $5 for 3 reports to example.org');
  });
  it('leaves page text that looks like a placeholder alone', () => {
    const entry = { message: 'Removed the mark on “$PHRASE$”.', placeholders: { phrase: { content: '$1' } } };
    expect(formatMessage(entry, ['$1 and $PHRASE$'])).toBe('Removed the mark on “$1 and $PHRASE$”.');
  });
});

describe('a UI language other than the browser’s', () => {
  it('is read from its messages file, with lang and dir following it', async () => {
    await loadUiLanguage(
      'ar',
      fake({
        extName: { message: 'Sounds Local' },
        localeTag: { message: 'ar' },
        hello: { message: 'مرحبا $NAME$', placeholders: { name: { content: '$1' } } },
      }),
    );
    expect(t(dynamicKey('hello'), 'Ana')).toBe('مرحبا Ana');
    expect(uiLanguage()).toBe('ar');
    expect(uiDirection()).toBe('rtl');
    applyDocumentLanguage(document);
    expect(document.documentElement.lang).toBe('ar');
    expect(document.documentElement.dir).toBe('rtl');
  });

  it('falls back to the browser’s language when its file cannot be loaded', async () => {
    await loadUiLanguage('de', async () => {
      throw new Error('HTTP 404');
    });
    expect(uiLanguage()).not.toBe('de');
    expect(uiDirection()).toBe('ltr');
  });
});

describe('tp: plurals by the language’s rules', () => {
  it('says "1 Bericht" and "10.000 Berichte" in German, with grouped numbers', async () => {
    await loadUiLanguage(
      'de',
      fake({
        extName: { message: 'x' },
        localeTag: { message: 'de' },
        uploadButton__one: { message: '$COUNT$ Bericht', placeholders: { count: { content: '$1' } } },
        uploadButton__other: { message: '$COUNT$ Berichte', placeholders: { count: { content: '$1' } } },
      }),
    );
    expect(tp('uploadButton', 1)).toBe('1 Bericht');
    expect(tp('uploadButton', 10000)).toBe('10.000 Berichte');
  });
  it('uses Arabic’s six forms', async () => {
    const forms = Object.fromEntries(
      ['zero', 'one', 'two', 'few', 'many', 'other'].map((c) => [
        `uploadButton__${c}`,
        { message: `${c}:$COUNT$`, placeholders: { count: { content: '$1' } } },
      ]),
    );
    await loadUiLanguage('ar', fake({ extName: { message: 'x' }, localeTag: { message: 'ar' }, ...forms }));
    expect([0, 1, 2, 3, 11, 100].map((n) => tp('uploadButton', n).split(':')[0])).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
  });
});

describe('matchUiLanguage', () => {
  it('maps browser languages to the UI languages we ship', () => {
    expect(matchUiLanguage('zh-Hant-HK')).toBe('zh-TW');
    expect(matchUiLanguage('zh')).toBe('zh-CN');
    expect(matchUiLanguage('pt')).toBe('pt-BR');
    expect(matchUiLanguage('pt-PT')).toBe('pt-PT');
    expect(matchUiLanguage('de-AT')).toBe('de');
    expect(matchUiLanguage('sw')).toBeUndefined();
  });
});

describe('the shipped English file', () => {
  it('names itself and has the plural forms English needs for each counted message', () => {
    const en = files('en');
    expect(en.localeTag.message).toBe('en');
    const counted = Object.keys(en).filter((k) => k.endsWith('__other'));
    expect(counted.length).toBeGreaterThan(0);
    for (const key of counted) expect(en[key.replace(/__other$/, '__one')]).toBeDefined();
  });
});

describe('badgeCount', () => {
  it('formats the toolbar count for the language and keeps it short', async () => {
    const { badgeCount } = await import('../../lib/ui/format');
    expect(badgeCount(42, 'en')).toBe('42');
    expect(badgeCount(8000, 'en')).toBe('8K');
    expect(badgeCount(8000, 'de')).toBe('8000'); // German doesn't shorten thousands
    expect(badgeCount(12345, 'ja')).toBe('1万');
    expect(badgeCount(12345, 'en')).toBe('12K');
    expect(badgeCount(12345, 'ar').length).toBeLessThanOrEqual(6);
  });
});
