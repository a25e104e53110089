// `npm run bench:glossary` — how long finding suggested marks takes (DESIGN §13: ≤ 50 ms
// for a 20,000-character answer once the glossary is loaded), with the real dictionaries:
// OpenCC's TWPhrases for zh-TW, the US/UK spelling pairs for en-GB, the curated pt list,
// and the conventions for every locale. Next to it, in the same run, the naive way (one
// indexOf scan of the answer per dictionary term), so the number has something to stand on.
//
// Environment: BENCH_RUNS (default 30), BENCH_DRY=1 prints without writing the result.
import { writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSources, suggestAll } from '../lib/glossary';
import { chineseEntries } from '../lib/glossary/sources/chinese';
import { englishSpellingEntries } from '../lib/glossary/sources/english';
import type { GlossaryEntry } from '../lib/glossary/types';
import { describeMachine } from './lib/machine';
import { median, percentile, round } from './lib/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const LENGTH = 20_000;

const PARAGRAPHS: Record<string, string> = {
  'zh-TW':
    '這個視頻介紹了如何用軟件提高產品質量。我們在網絡上收集信息，然後用鼠標點擊下載，打印報告。台北的天氣很好，下午三點在咖啡廳見面，記得帶上筆記本電腦和U盤。',
  'en-GB':
    'The color of the center was gray, so we organized a program to analyze it. Take the elevator to the parking lot, then drive 10 miles at 3:30 PM on 06/07/2012; it was 75°F. ',
  'pt-BR': 'Pegue o autocarro e use o telemóvel no comboio para chegar ao centro. Estou a fazer o pequeno-almoço às 8h. O facto é que a equipa ganhou. ',
  'de-DE': 'Am 06/07/2012 um 3:30 PM waren es 75 °F; die Stadt hat 1,234,567.89 Einwohner. Im Notfall rufen Sie 911 an und fahren 10 miles. ',
};

function answerOf(paragraph: string): string {
  let text = '';
  while (text.length < LENGTH) text += paragraph + '\n\n';
  return text.slice(0, LENGTH);
}

function naive(entries: readonly GlossaryEntry[], answer: string): number {
  const lower = answer.toLowerCase();
  let found = 0;
  for (const entry of entries) {
    const term = entry.term.toLowerCase();
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + 1)) found++;
  }
  return found;
}

function time(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function main() {
  const results: Record<string, unknown> = {};
  console.log(`Suggestions on a ${LENGTH.toLocaleString('en')}-character answer, ${RUNS} runs each (median / p95, ms)`);
  for (const [locale, paragraph] of Object.entries(PARAGRAPHS)) {
    const answer = answerOf(paragraph);
    const loadStart = performance.now();
    const sources = await loadSources(locale);
    const load_ms = performance.now() - loadStart;
    let count = 0;
    const first_ms = time(() => (count = suggestAll(sources, answer, locale).length));
    const runs = Array.from({ length: RUNS }, () => time(() => suggestAll(sources, answer, locale)));
    const entries = locale === 'zh-TW' ? chineseEntries('TW') : locale === 'en-GB' ? englishSpellingEntries('GB') : undefined;
    const naiveRuns = entries ? Array.from({ length: Math.min(RUNS, 10) }, () => time(() => naive(entries, answer))) : [];
    const row = {
      sources: sources.map((s) => s.name),
      suggestions: count,
      load_ms: round(load_ms),
      first_ms: round(first_ms),
      median_ms: round(median(runs)),
      p95_ms: round(percentile(runs, 95)),
      ...(naiveRuns.length
        ? { naive_terms: entries!.length, naive_median_ms: round(median(naiveRuns)), naive_ratio: round(median(naiveRuns) / median(runs)) }
        : {}),
    };
    results[locale] = row;
    console.log(
      `${locale.padEnd(6)} load ${row.load_ms} ms, first ${row.first_ms}, median ${row.median_ms}, p95 ${row.p95_ms}; ${count} suggestions from ${row.sources.join(' + ')}` +
        (row.naive_median_ms !== undefined ? `; naive indexOf per term (${row.naive_terms} terms): ${row.naive_median_ms} ms (${row.naive_ratio}× ours)` : ''),
    );
  }
  if (process.env.BENCH_DRY) return;
  const dir = resolve(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'glossary.json'), JSON.stringify({ machine: describeMachine(), length: LENGTH, runs: RUNS, results }, null, 2) + '\n');
}

void main();
