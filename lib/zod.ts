// Every extension context imports zod through this module: zod v4 otherwise compiles
// validators with `new Function`, which the extension CSP forbids (and AMO's linter flags).
import { z } from 'zod';
import { uiLanguage } from './ui/i18n';

z.config({ jitless: true });

// zod's own problem texts ("expected string, received number", "too big") come from its
// locale maps, one for each of our UI languages, chosen when a problem is found; our schemas'
// own messages are functions that call t() (lib/report.ts, lib/drive.ts). The receiver and
// tests in Node have no UI language and get English.
const ZOD_LOCALES: Record<string, () => { localeError: z.core.$ZodErrorMap }> = {
  en: z.locales.en,
  'zh-TW': z.locales.zhTW,
  'zh-CN': z.locales.zhCN,
  ja: z.locales.ja,
  ko: z.locales.ko,
  es: z.locales.es,
  'pt-BR': z.locales.ptBR,
  'pt-PT': z.locales.pt,
  fr: z.locales.fr,
  de: z.locales.de,
  ar: z.locales.ar,
  hi: z.locales.hi,
  id: z.locales.id,
  vi: z.locales.vi,
};
const maps = new Map<string, z.core.$ZodErrorMap>();

function localeMap(): z.core.$ZodErrorMap {
  const language = uiLanguage();
  const tag = ZOD_LOCALES[language] ? language : language.split('-')[0]!;
  const key = ZOD_LOCALES[tag] ? tag : 'en';
  let map = maps.get(key);
  if (!map) maps.set(key, (map = ZOD_LOCALES[key]!().localeError));
  return map;
}

z.config({ localeError: (issue) => localeMap()(issue) });

export { z };
