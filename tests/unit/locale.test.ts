import { describe, expect, it } from 'vitest';
import { canonicalizeLocale, localeDisplayName, localesMatch, needsRegion, defaultLocaleFrom } from '../../lib/locale';

describe('locales', () => {
  it('rejects pt_BR with a message suggesting pt-BR', () => {
    const result = canonicalizeLocale('pt_BR');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('"pt-BR"');
  });

  it('canonicalises zh-hant-tw to zh-Hant-TW and matches it with zh-TW', () => {
    expect(canonicalizeLocale('zh-hant-tw')).toEqual({ ok: true, tag: 'zh-Hant-TW' });
    expect(localesMatch('zh-Hant-TW', 'zh-TW')).toBe(true);
    expect(localesMatch('zh-TW', 'zh-CN')).toBe(false);
  });

  it('rejects invalid tags with a readable error', () => {
    for (const bad of ['', 'english', 'xx-123456789', 'pt-', '12']) {
      const result = canonicalizeLocale(bad);
      expect(result.ok, bad).toBe(false);
      expect(!result.ok && result.error.length).toBeGreaterThan(10);
    }
  });

  it('asks for a region where the variety depends on it', () => {
    expect(needsRegion('pt')).toBe(true);
    expect(needsRegion('pt-BR')).toBe(false);
    expect(needsRegion('ja')).toBe(false);
  });

  it('names locales in the UI language', () => {
    expect(localeDisplayName('pt-BR', 'en')).toBe('Brazilian Portuguese');
    expect(localeDisplayName('zh-TW', 'en')).toMatch(/Chinese/);
  });

  it('names locales in each UI language asked for, one after the other (the names are kept per language)', () => {
    expect(localeDisplayName('pt-BR', 'en')).toBe('Brazilian Portuguese');
    expect(localeDisplayName('pt-BR', 'de')).toBe('Portugiesisch (Brasilien)');
    expect(localeDisplayName('pt-BR', 'en')).toBe('Brazilian Portuguese');
    expect(localeDisplayName('not a tag!', 'en')).toBe('not a tag!');
    expect(localeDisplayName('pt-BR', 'not a language!')).toBe('pt-BR');
  });

  it('takes the first valid browser language as the default', () => {
    expect(defaultLocaleFrom(['en_US', 'de-de', 'fr'])).toBe('de-DE');
    // The background and the first-run question share this rule: pt alone becomes pt-BR.
    expect(defaultLocaleFrom(['pt'])).toBe('pt-BR');
    expect(defaultLocaleFrom(['pt', 'pt-PT'])).toBe('pt-PT');
  });
});
