// The curated lists in lib/glossary/data/ (pt-BR/pt-PT, es-ES/es-419, en-US/en-GB
// vocabulary, and mainland words OpenCC lacks for zh-TW). Each file pairs two varieties;
// an entry suggests one side's word to a reader of the other side, in both directions
// unless `only` names the one variety it is for. Every entry carries a note saying where the
// difference is documented, shown with the suggestion.
import { z } from '../zod';
import { CATEGORIES, SEVERITIES } from '../report';
import { glossarySource, localeParts } from './glossary-source';
import type { GlossaryEntry, SuggestionSource } from './types';

const Words = z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(10)]);

export const CuratedFile = z
  .strictObject({
    about: z.string(),
    varieties: z.tuple([z.string(), z.string()]),
    entries: z.array(
      z.record(z.string(), z.unknown()).pipe(
        z.looseObject({
          category: z.enum(CATEGORIES).default('regional_vocabulary'),
          severity: z.enum(SEVERITIES).default('minor'),
          note: z.string().min(1, { message: 'every curated entry needs a note saying where the difference is documented' }).max(500),
          only: z.string().optional(),
        }),
      ),
    ),
  })
  .superRefine((file, ctx) => {
    file.entries.forEach((entry, i) => {
      for (const variety of file.varieties) {
        if (!Words.safeParse(entry[variety]).success) ctx.addIssue({ code: 'custom', path: ['entries', i, variety], message: `needs the ${variety} word(s)` });
      }
      if (entry.only !== undefined && !file.varieties.includes(entry.only))
        ctx.addIssue({ code: 'custom', path: ['entries', i, 'only'], message: `"only" must be one of ${file.varieties.join(', ')}` });
    });
  });
export type CuratedFile = z.infer<typeof CuratedFile>;

const list = (words: unknown): string[] => (Array.isArray(words) ? (words as string[]) : [words as string]);

/** The entries a reader of `variety` gets: the other variety's words → this one's. */
export function curatedEntries(file: CuratedFile, variety: string): GlossaryEntry[] {
  const other = file.varieties.find((v) => v !== variety);
  if (!other || !file.varieties.includes(variety)) return [];
  return file.entries.flatMap((entry) => {
    if (entry.only && entry.only !== variety) return [];
    const [suggestion, ...alternatives] = list(entry[variety]);
    return list(entry[other]).map((term) => ({
      term,
      suggestion: suggestion!,
      ...(alternatives.length ? { alternatives } : {}),
      category: entry.category,
      severity: entry.severity,
      note: entry.note,
    }));
  });
}

/** Which side of a curated file a locale reads, by its maximized language and region. */
export function curatedVariety(file: 'pt' | 'es' | 'en' | 'zh', expected: string): string | undefined {
  const parts = localeParts(expected);
  if (!parts) return undefined;
  const { language, region } = parts;
  switch (file) {
    case 'pt':
      return language === 'pt' ? (region === 'BR' ? 'pt-BR' : 'pt-PT') : undefined;
    case 'es':
      return language === 'es' ? (region === 'ES' || region === 'GQ' ? 'es-ES' : 'es-419') : undefined;
    case 'en':
      // Canada and the Philippines mostly use American everyday words; the rest of the
      // English-speaking world British ones.
      return language === 'en' ? (region === 'US' || region === 'CA' || region === 'PH' || region === 'PR' ? 'en-US' : 'en-GB') : undefined;
    case 'zh':
      return language === 'zh' && region === 'TW' ? 'zh-TW' : undefined;
  }
}

const loaders = {
  pt: () => import('./data/pt.json'),
  es: () => import('./data/es.json'),
  en: () => import('./data/en.json'),
  zh: () => import('./data/zh.json'),
} as const;

export type CuratedName = keyof typeof loaders;
export const CURATED_NAMES = Object.keys(loaders) as CuratedName[];

/** The curated source for one file and one side, loaded on demand (the popup only). */
const built = new Map<string, SuggestionSource>();

export async function loadCurated(name: CuratedName, variety: string): Promise<SuggestionSource> {
  const key = `${name}/${variety}`;
  let source = built.get(key);
  if (!source) {
    const module = await loaders[name]();
    const file = CuratedFile.parse((module as { default: unknown }).default);
    source = glossarySource(`curated-${name}`, curatedEntries(file, variety), (expected) => curatedVariety(name, expected) === variety);
    built.set(key, source);
  }
  return source;
}
