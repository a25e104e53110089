// Locale helpers for forms: what to say about a typed tag, and the first-run default.
import { COMMON_LOCALES, canonicalizeLocale, defaultLocaleFrom, localeDisplayName, needsRegion } from '../locale';

export type LocaleCheck =
  | { state: 'invalid'; error: string }
  | { state: 'needs-region'; tag: string; language: string; examples: string[] }
  | { state: 'ok'; tag: string; name: string };

/** Region variants of a language among the common locales: pt → pt-BR, pt-PT. */
export function regionExamples(language: string): string[] {
  return COMMON_LOCALES.filter((tag) => tag.split('-')[0] === language);
}

export function checkLocale(input: string, uiLanguage: string): LocaleCheck {
  const result = canonicalizeLocale(input);
  if (!result.ok) return { state: 'invalid', error: result.error };
  const language = result.tag.split('-')[0]!;
  if (needsRegion(result.tag))
    return { state: 'needs-region', tag: result.tag, language: localeDisplayName(language, uiLanguage), examples: regionExamples(language) };
  return { state: 'ok', tag: result.tag, name: localeDisplayName(result.tag, uiLanguage) };
}

/** The first-run default from navigator.languages: the one rule in lib/locale.ts. */
export const suggestDefaultLocale = defaultLocaleFrom;
