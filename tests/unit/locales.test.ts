// Every UI language is complete: the same keys as English (plural keys in the forms that
// language's rules need), the same placeholders, nothing empty, and a file that names itself.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UI_LANGUAGES } from '../../lib/ui/i18n';

const LOCALES = resolve(__dirname, '../../public/_locales');
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const read = (folder: string): Messages => JSON.parse(readFileSync(resolve(LOCALES, folder, 'messages.json'), 'utf8'));
const en = read('en');
const folders = readdirSync(LOCALES).sort();
// Plural forms are `<base>__<category>` (two underscores: `category_other` is a category's name).
const PLURAL = /^(.*)__(zero|one|two|few|many|other)$/;
/** Keys of English that take a count: `<base>__other` exists. */
const pluralBases = new Set(Object.keys(en).flatMap((k) => (k.endsWith('__other') ? [k.slice(0, -'__other'.length)] : [])));
const isPluralKey = (key: string) => {
  const match = PLURAL.exec(key);
  return Boolean(match && pluralBases.has(match[1]!));
};
const placeholdersIn = (message: string) => [...new Set(message.match(/\$[A-Za-z0-9_@]+\$|\$[1-9]/g) ?? [])].sort();

describe('UI languages', () => {
  it('ships every language the options offer, and nothing else', () => {
    expect(folders).toEqual(UI_LANGUAGES.map((l) => l.replace('-', '_')).sort());
  });

  for (const folder of folders) {
    describe(folder, () => {
      const messages = read(folder);
      const tag = folder.replace('_', '-');
      const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories;

      it('names itself', () => expect(messages.localeTag?.message).toBe(tag));

      it('has every key English has, and no other', () => {
        const expected = Object.keys(en).filter((k) => !isPluralKey(k));
        for (const base of pluralBases) for (const category of categories) expected.push(`${base}__${category}`);
        expect(Object.keys(messages).sort()).toEqual([...new Set(expected)].sort());
      });

      it('keeps the placeholders of each English message', () => {
        const problems: string[] = [];
        for (const [key, entry] of Object.entries(messages)) {
          const match = PLURAL.exec(key);
          const source = en[key] ?? (match && isPluralKey(key) ? en[`${match[1]}__other`] : undefined);
          if (!source) continue;
          if (!entry.message.trim()) problems.push(`${key}: empty`);
          if (JSON.stringify(entry.placeholders ?? {}) !== JSON.stringify(source.placeholders ?? {})) problems.push(`${key}: placeholder definitions differ`);
          // A plural form may leave the count ($1) out ("one report", "بلاغ واحد"), nothing else.
          const count = Object.entries(source.placeholders ?? {}).find(([, p]) => p.content === '$1')?.[0];
          const isCount = (p: string) => isPluralKey(key) && count !== undefined && p.toLowerCase() === `$${count}$`;
          const want = placeholdersIn(source.message).filter((p) => !isCount(p));
          const have = placeholdersIn(entry.message).filter((p) => !isCount(p));
          if (JSON.stringify(want) !== JSON.stringify(have)) problems.push(`${key}: ${want.join(' ')} ≠ ${have.join(' ')}`);
        }
        expect(problems).toEqual([]);
      });
    });
  }
});
