// The words of the receiver's own HTML pages (the drive page and the review page): the
// extension's messages.json files (public/_locales), so a page and the extension never
// disagree and a translator has one place to work. The viewer's language comes from the
// browser's Accept-Language, among the extension's UI languages, else English; a key a
// language lacks falls back to English.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatMessage } from '../lib/ui/i18n';

const LOCALES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../public/_locales');

/** The extension's UI languages (folders under public/_locales). */
function uiLanguages(): string[] {
  try {
    return readdirSync(LOCALES_DIR).filter((d) => existsSync(join(LOCALES_DIR, d, 'messages.json')));
  } catch {
    return ['en'];
  }
}

/** Tags whose language alone would pick the wrong folder: the script or region says which Chinese. */
const ALIASES: Record<string, string> = {
  'zh-hant': 'zh_TW',
  'zh-tw': 'zh_TW',
  'zh-hk': 'zh_TW',
  'zh-mo': 'zh_TW',
  'zh-hans': 'zh_CN',
  'zh-cn': 'zh_CN',
  'zh-sg': 'zh_CN',
  zh: 'zh_CN',
  pt: 'pt_BR',
};

interface Wanted {
  tag: string;
  q: number;
  i: number;
}

/** Accept-Language's entries, best first (q-value, then order), without `*` and q=0. */
function acceptedTags(acceptLanguage: string | undefined): Wanted[] {
  return (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag?.trim().replace(/_/g, '-') ?? '', q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((w) => w.tag && w.tag !== '*' && w.q > 0 && w.tag.length <= 35)
    .sort((a, b) => b.q - a.q || a.i - b.i);
}

/**
 * The best Accept-Language entry the extension has a translation for, else English:
 * `pt-BR` → `pt_BR`, `zh-Hant-HK` → `zh_TW`, `zh` → `zh_CN`, `pt` → `pt_BR`, `de-AT` → `de`.
 */
export function pickUiLanguage(acceptLanguage: string | undefined, available = uiLanguages()): string {
  return pickEntry(acceptLanguage, available).folder;
}

/** The folder picked and the Accept-Language entry that picked it (`de-AT` for `de`). */
function pickEntry(acceptLanguage: string | undefined, available: string[]): { folder: string; tag?: string } {
  const have = new Map(available.map((folder) => [folder.toLowerCase().replace('_', '-'), folder]));
  const found = (candidate: string | undefined) => (candidate === undefined ? undefined : have.get(candidate.toLowerCase().replace('_', '-')));
  for (const { tag } of acceptedTags(acceptLanguage)) {
    const parts = tag.toLowerCase().split('-');
    // The longest prefix first (zh-hant-hk, zh-hant, zh), each as itself or through an alias.
    for (let n = parts.length; n > 0; n--) {
      const prefix = parts.slice(0, n).join('-');
      const hit = found(prefix) ?? found(ALIASES[prefix]);
      if (hit) return { folder: hit, tag };
    }
  }
  return { folder: 'en' };
}

/** One message in chrome.i18n's format. */
export interface PageMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

const localeCache = new Map<string, Record<string, PageMessage>>();

/** A locale's messages.json, read once per process. */
function loadLocale(folder: string): Record<string, PageMessage> {
  let messages = localeCache.get(folder);
  if (!messages) {
    try {
      messages = JSON.parse(readFileSync(join(LOCALES_DIR, folder, 'messages.json'), 'utf8')) as Record<string, PageMessage>;
    } catch {
      messages = {};
    }
    localeCache.set(folder, messages);
  }
  return messages;
}

/** A language's messages whose key passes `keep`, English filling the gaps, without descriptions. */
export function pageMessages(folder: string, keep: (key: string) => boolean): Record<string, PageMessage> {
  const merged = { ...loadLocale('en'), ...(folder === 'en' ? {} : loadLocale(folder)) };
  const out: Record<string, PageMessage> = {};
  for (const [key, value] of Object.entries(merged)) {
    if (keep(key)) out[key] = value.placeholders ? { message: value.message, placeholders: value.placeholders } : { message: value.message };
  }
  return out;
}

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb']);

export function directionOf(tag: string): 'ltr' | 'rtl' {
  return RTL.has(tag.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr';
}

/** The words of one page view: its language, direction, and messages with their plural rules. */
export interface PageWords {
  /** The page's language (BCP 47, `zh-TW`): `lang` and Content-Language. */
  lang: string;
  dir: 'ltr' | 'rtl';
  /**
   * Numbers and dates: the viewer's own entry where it is a region of the page's language
   * (`de-AT` for a German page, `en-GB` for an English one), else the page's language, so a
   * date never reads in another language than the sentence around it.
   */
  formatLocale: string;
  t(key: string, ...substitutions: Array<string | number>): string;
  /** `<key>__<plural category>` for `count` by the page language's rules (else `__other`); the formatted count is $1. */
  tp(key: string, count: number, ...rest: Array<string | number>): string;
  number(value: number): string;
}

export function pageWords(acceptLanguage: string | undefined, keep: (key: string) => boolean, available = uiLanguages()): PageWords {
  const { folder, tag: entry } = pickEntry(acceptLanguage, available);
  const messages = pageMessages(folder, (key) => key === 'localeTag' || keep(key));
  const lang = messages.localeTag?.message ?? folder.replace('_', '-');
  let formatLocale = lang;
  if (entry && entry.toLowerCase().split('-')[0] === lang.toLowerCase().split('-')[0] && !ALIASES[entry.toLowerCase()]) {
    try {
      formatLocale = Intl.NumberFormat.supportedLocalesOf([entry])[0] ?? lang;
    } catch {
      // a malformed tag: the page's language formats
    }
  }
  // A Chinese entry (zh-HK) may not say which script the page uses: the page's tag decides.
  if (lang.startsWith('zh')) formatLocale = lang;
  const numbers = new Intl.NumberFormat(formatLocale);
  let plural: Intl.PluralRules;
  try {
    plural = new Intl.PluralRules(lang);
  } catch {
    plural = new Intl.PluralRules('en');
  }
  const t = (key: string, ...substitutions: Array<string | number>) => {
    const entry = messages[key];
    return entry ? formatMessage(entry, substitutions.map(String)) : key;
  };
  return {
    lang,
    dir: directionOf(lang),
    formatLocale,
    t,
    tp(key, count, ...rest) {
      const specific = `${key}__${plural.select(count)}`;
      return t(messages[specific] ? specific : `${key}__other`, numbers.format(count), ...rest);
    },
    number: (value) => numbers.format(value),
  };
}
