import { describe, expect, it } from 'vitest';
import pt from '../../../lib/glossary/data/pt.json';
import es from '../../../lib/glossary/data/es.json';
import en from '../../../lib/glossary/data/en.json';
import zh from '../../../lib/glossary/data/zh.json';
import { CuratedFile, curatedEntries, curatedVariety, loadCurated } from '../../../lib/glossary/curated';
import { expectAnchored, pairs } from './helpers';

describe('curated pt / es / en / zh lists', () => {
  it('every data file is valid and every entry says where the difference is documented', () => {
    for (const [name, file] of Object.entries({ pt, es, en, zh })) {
      const parsed = CuratedFile.safeParse(file);
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true);
      expect(parsed.data!.entries.every((e) => e.note.length > 5)).toBe(true);
    }
    expect(pt.entries.length).toBeGreaterThanOrEqual(60);
    expect(es.entries.length).toBeGreaterThanOrEqual(60);
  });

  it('refuses a curated entry without a note', () => {
    const result = CuratedFile.safeParse({ about: 'x', varieties: ['pt-BR', 'pt-PT'], entries: [{ 'pt-BR': 'trem', 'pt-PT': 'comboio' }] });
    expect(result.success).toBe(false);
  });

  it('suggests Brazilian words for European ones to a pt-BR reader', async () => {
    const answer = 'Pegue o autocarro e use o telemóvel no comboio. Estou a fazer isso.';
    const found = (await loadCurated('pt', 'pt-BR')).suggest(answer, 'pt-BR');
    expectAnchored(answer, found);
    expect(pairs(found)).toEqual([
      ['autocarro', 'ônibus'],
      ['telemóvel', 'celular'],
      ['comboio', 'trem'],
      ['Estou a fazer', 'Estou fazendo'],
    ]);
    expect(found[3]!.category).toBe('grammar_variant');
  });

  it('suggests European words to a pt-PT reader, but not where the word is ordinary there', async () => {
    const source = await loadCurated('pt', 'pt-PT');
    expect(pairs(source.suggest('Pegue o ônibus no trem.', 'pt-PT'))).toEqual([
      ['ônibus', 'autocarro'],
      ['trem', 'comboio'],
    ]);
    // "fila" → "bicha" is only offered to Brazilians (the other way round); nothing here.
    expect(source.suggest('Uma fila longa.', 'pt-PT')).toEqual([]);
    expect(curatedVariety('pt', 'pt-AO')).toBe('pt-PT');
  });

  it('gives Latin American readers the first regional word and the rest as alternatives', async () => {
    const found = (await loadCurated('es', 'es-419')).suggest('Coge el coche. Vosotros sois geniales.', 'es-MX');
    expect(found.map((s) => [s.exact, s.suggestion, s.alternatives])).toEqual([
      ['Coge', 'Toma', ['Agarra']],
      ['coche', 'carro', ['auto']],
      ['Vosotros', 'Ustedes', undefined],
      ['sois', 'son', undefined],
    ]);
    expect(found[0]!.severity).toBe('major');
  });

  it('maps es-MX and es-AR to es-419 and es-ES to Spain', () => {
    expect(curatedVariety('es', 'es-MX')).toBe('es-419');
    expect(curatedVariety('es', 'es-AR')).toBe('es-419');
    expect(curatedVariety('es', 'es-ES')).toBe('es-ES');
    expect(curatedVariety('es', 'pt-BR')).toBeUndefined();
  });

  it('turns every alternative of the other side into a term', () => {
    const file = CuratedFile.parse(es);
    const toSpain = curatedEntries(file, 'es-ES');
    expect(toSpain.filter((e) => e.suggestion === 'coche').map((e) => e.term)).toEqual(['carro', 'auto']);
  });
});
