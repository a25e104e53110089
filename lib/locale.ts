// Locale helpers (DESIGN.md §5). Tags are canonical BCP 47; two tags match when their
// maximized forms match. `minimize()` differs between engines, so it is never a key.

import { t, type MessageKey } from './i18n';

export type LocaleResult = { ok: true; tag: string } | { ok: false; error: string };
/** A refusal as a message key: rendered on the way out, so a cached one follows a change of UI language. */
type Checked = { ok: true; tag: string } | { ok: false; key: MessageKey; args: string[] };

/** Languages where the region decides spelling, vocabulary or script: ask for it. */
const REGION_REQUIRED = new Set(['pt', 'zh', 'en', 'es', 'fr', 'de', 'ar', 'sr', 'nl', 'sw', 'ms']);

// Intl.getCanonicalLocales costs a few microseconds per call; a receiver validating
// thousands of reports a second, or an import of 10,000, sees the same handful of tags again and again.
const canonicalCache = new Map<string, Checked>();
const CANONICAL_CACHE_SIZE = 512;

export function canonicalizeLocale(input: string): LocaleResult {
  let result = canonicalCache.get(input);
  if (!result) {
    result = canonicalizeUncached(input);
    if (canonicalCache.size >= CANONICAL_CACHE_SIZE) canonicalCache.clear();
    canonicalCache.set(input, result);
  }
  return result.ok ? result : { ok: false, error: t(result.key, result.args) };
}

function canonicalizeUncached(input: string): Checked {
  const raw = input.trim();
  if (raw === '') return { ok: false, key: 'errLocaleEmpty', args: [] };
  if (raw.includes('_')) {
    const hint = raw.replace(/_/g, '-');
    const suggested = tryCanonical(hint);
    return suggested ? { ok: false, key: 'errLocaleUnderscore', args: [raw, suggested] } : { ok: false, key: 'errLocaleUnderscoreInvalid', args: [raw] };
  }
  const tag = tryCanonical(raw);
  // 5–8 letter language subtags are well-formed BCP 47 but reserved: "english" is a typo, not a locale.
  if (!tag || !/^[a-z]{2,3}(-|$)/i.test(tag)) return { ok: false, key: 'errLocaleInvalid', args: [raw] };
  return { ok: true, tag };
}

function tryCanonical(raw: string): string | undefined {
  try {
    const [tag] = Intl.getCanonicalLocales(raw);
    return tag;
  } catch {
    return undefined;
  }
}

/** The maximized form, used as the comparison key (`zh-TW` → `zh-Hant-TW`). */
export function localeKey(tag: string): string {
  try {
    return new Intl.Locale(tag).maximize().toString();
  } catch {
    return tag;
  }
}

export function localesMatch(a: string, b: string): boolean {
  return localeKey(a) === localeKey(b);
}

/** True when a tag names a language whose variety depends on the region but names none. */
export function needsRegion(tag: string): boolean {
  try {
    const locale = new Intl.Locale(tag);
    return REGION_REQUIRED.has(locale.language) && !locale.region;
  } catch {
    return false;
  }
}

/** "Portuguese (Brazil)" in the UI language; falls back to the tag itself. */
// One Intl.DisplayNames per UI language, made on first use: making one costs far more than
// asking it (the report list names a locale on every row).
const languageNames = new Map<string, Intl.DisplayNames>();

export function localeDisplayName(tag: string, uiLanguage: string): string {
  try {
    let names = languageNames.get(uiLanguage);
    if (!names) languageNames.set(uiLanguage, (names = new Intl.DisplayNames([uiLanguage, 'en'], { type: 'language' })));
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The one rule for a default expected locale, used by the background (a report captured
 * before the user chose) and by the first-run question and the options page: the browser's
 * first usable language; where that language needs a region (`pt`: Brazil or Portugal?),
 * a later entry of the same language that has one (`pt`, `pt-BR` → pt-BR), else the likely
 * region from Intl's likely-subtags data (`pt` → pt-BR, `zh` → zh-CN). The user confirms
 * it once at first run.
 */
export function defaultLocaleFrom(languages: readonly string[]): string | undefined {
  const tags = languages.flatMap((l) => {
    const result = canonicalizeLocale(l);
    return result.ok ? [result.tag] : [];
  });
  const first = tags[0];
  if (!first || !needsRegion(first)) return first;
  const language = first.split('-')[0];
  const later = tags.find((tag) => tag.split('-')[0] === language && !needsRegion(tag));
  if (later) return later;
  try {
    const likely = new Intl.Locale(first).maximize();
    if (!likely.region) return first;
    // Serbian is written in two scripts in the same country: keep the script.
    return likely.language === 'sr' ? `${likely.language}-${likely.script}-${likely.region}` : `${likely.language}-${likely.region}`;
  } catch {
    return first;
  }
}

/** Common locale tags offered in pickers; any valid tag can still be typed. */
export const COMMON_LOCALES = [
  'ar-EG',
  'ar-SA',
  'bn-BD',
  'ca-ES',
  'cs-CZ',
  'da-DK',
  'de-AT',
  'de-CH',
  'de-DE',
  'el-GR',
  'en-AU',
  'en-CA',
  'en-GB',
  'en-IN',
  'en-NZ',
  'en-US',
  'en-ZA',
  'es-419',
  'es-AR',
  'es-ES',
  'es-MX',
  'fa-IR',
  'fi-FI',
  'fil-PH',
  'fr-BE',
  'fr-CA',
  'fr-CH',
  'fr-FR',
  'he-IL',
  'hi-IN',
  'hu-HU',
  'id-ID',
  'it-IT',
  'ja-JP',
  'ko-KR',
  'ms-MY',
  'nb-NO',
  'nl-BE',
  'nl-NL',
  'pl-PL',
  'pt-BR',
  'pt-PT',
  'ro-RO',
  'ru-RU',
  'sr-Cyrl-RS',
  'sr-Latn-RS',
  'sv-SE',
  'sw-KE',
  'sw-TZ',
  'ta-IN',
  'th-TH',
  'tr-TR',
  'uk-UA',
  'ur-PK',
  'vi-VN',
  'yue-HK',
  'zh-CN',
  'zh-HK',
  'zh-SG',
  'zh-TW',
] as const;
