// Locale helpers for forms: what to say about a typed tag, and the first-run default.
import { COMMON_LOCALES, canonicalizeLocale, localeDisplayName, needsRegion } from '../locale';

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

/**
 * The first-run default from navigator.languages. Where the first language needs a region
 * and the list names one later (`pt`, `pt-BR`), take that; otherwise the first usable tag,
 * which the form then asks about (`pt` alone: which Portuguese?).
 */
export function suggestDefaultLocale(languages: readonly string[]): string | undefined {
  const tags = languages.map((l) => canonicalizeLocale(l)).flatMap((r) => (r.ok ? [r.tag] : []));
  const first = tags[0];
  if (!first) return undefined;
  if (!needsRegion(first)) return first;
  const language = first.split('-')[0];
  return tags.find((tag) => tag.split('-')[0] === language && !needsRegion(tag)) ?? first;
}
