// `npm run bench:redact` — redaction's worst case and its quality (issue 11, DESIGN.md §11):
// - time: findRedactions on every adversarial input of tests/fixtures/redaction/adversarial.ts
//   (each 200,000 characters, the answer limit), with three locales, BENCH_RUNS times each;
//   wall-clock and CPU time (CPU time is what the code costs; wall time also holds whatever
//   else the 2-core machine was doing). Next to them, a realistic 200,000-character answer
//   (the corpus texts repeated): worst case ÷ realistic is the ratio we report;
// - quality: recall and false-positive rate on tests/fixtures/redaction/corpus.jsonl.
// Writes bench/results/redact.json. BENCH_RUNS (default 5), BENCH_DRY=1 to print only.
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PHONE_LIBRARY_BUDGET, findRedactions } from '../lib/redact';
import { ADVERSARIAL, MAX_ANSWER } from '../tests/fixtures/redaction/adversarial';
import { loadCorpus, percent, score } from '../tests/fixtures/redaction/evaluate';
import { describeMachine } from './lib/machine';
import { median, round, table } from './lib/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LOCALES = ['zh-TW', 'en-US', undefined] as const;

interface Timing {
  input: string;
  locale: string;
  redactions: number;
  wall_median_ms: number;
  wall_max_ms: number;
  cpu_median_ms: number;
}

function time(name: string, text: string, locale: string | undefined): Timing {
  findRedactions(text, { locale }); // warm-up: compiled patterns, libphonenumber metadata
  const wall: number[] = [];
  const cpu: number[] = [];
  let redactions = 0;
  for (let i = 0; i < RUNS; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    redactions = findRedactions(text, { locale }).length;
    wall.push(performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1000);
  }
  return {
    input: name,
    locale: locale ?? '(none)',
    redactions,
    wall_median_ms: round(median(wall)),
    wall_max_ms: round(Math.max(...wall)),
    cpu_median_ms: round(median(cpu)),
  };
}

const corpus = loadCorpus();
const loadBefore = loadavg()[0]!;

// A realistic answer at the limit: the corpus texts (private and innocent) as paragraphs.
let realistic = '';
while (realistic.length < MAX_ANSWER) realistic += corpus.map((c) => c.text).join('\n\n') + '\n\n';
realistic = realistic.slice(0, MAX_ANSWER);

const typical = LOCALES.map((locale) => time('realistic answer (corpus texts)', realistic, locale));
const adversarial = ADVERSARIAL.flatMap((a) => {
  const text = a.text();
  return LOCALES.map((locale) => time(a.name, text, locale));
});
const quality = score(corpus, (text, locale) => findRedactions(text, { locale }));
// What a text with more digit runs than the library budget gets for the rest: shape rules only.
const shapeOnly = score(corpus, (text, locale) => findRedactions(text, { locale, phoneLibraryCalls: 0 }));
const loadAfter = loadavg()[0]!;

const worstWall = adversarial.reduce((a, b) => (b.wall_median_ms > a.wall_median_ms ? b : a));
const worstCpu = adversarial.reduce((a, b) => (b.cpu_median_ms > a.cpu_median_ms ? b : a));
const typicalCpu = Math.max(...typical.map((t) => t.cpu_median_ms));
const result = {
  machine: { ...describeMachine(), load_average: [round(loadBefore, 2), round(loadAfter, 2)] as [number, number] },
  config: { runs: RUNS, input_chars: MAX_ANSWER, inputs: ADVERSARIAL.length, locales: LOCALES.map((l) => l ?? '(none)') },
  quality: {
    recall: round(quality.recall, 4),
    private_strings: quality.spans,
    locales: quality.locales,
    false_positive_rate: round(quality.falsePositiveRate, 4),
    look_alikes: quality.innocent,
    misses: quality.misses,
    flagged: quality.flagged,
    phones_by_shape_only: { recall: round(shapeOnly.recall, 4), false_positive_rate: round(shapeOnly.falsePositiveRate, 4) },
  },
  worst: {
    wall: { input: worstWall.input, locale: worstWall.locale, median_ms: worstWall.wall_median_ms, max_ms: worstWall.wall_max_ms },
    cpu: { input: worstCpu.input, locale: worstCpu.locale, median_ms: worstCpu.cpu_median_ms },
  },
  typical_cpu_ms: typicalCpu,
  worst_to_typical_cpu_ratio: round(worstCpu.cpu_median_ms / typicalCpu, 2),
  timings: [...typical, ...adversarial],
};

const rows = [...typical, ...adversarial].sort((a, b) => b.cpu_median_ms - a.cpu_median_ms);
console.log(
  table([
    ['input (200,000 chars)', 'locale', 'found', 'cpu ms', 'wall ms', 'wall max'],
    ...rows
      .slice(0, 20)
      .map((t) => [t.input, t.locale, String(t.redactions), t.cpu_median_ms.toFixed(1), t.wall_median_ms.toFixed(1), t.wall_max_ms.toFixed(1)]),
  ]),
);
console.log(`… ${rows.length - 20} more under ${rows[19]?.cpu_median_ms.toFixed(1)} ms CPU\n`);
console.log(
  `Redaction: recall ${percent(quality.recall)} (${quality.found}/${quality.spans} private strings, ${quality.locales} locales), ` +
    `false positives ${percent(quality.falsePositiveRate)} (${quality.flagged.length}/${quality.innocent} look-alikes); ` +
    `worst case on ${ADVERSARIAL.length} adversarial 200,000-character inputs: ${worstCpu.cpu_median_ms} ms CPU (“${worstCpu.input}”, ${worstCpu.locale}), ` +
    `${worstWall.wall_median_ms} ms wall (“${worstWall.input}”); a realistic answer of the same length: ${typicalCpu} ms CPU ` +
    `(ratio ${result.worst_to_typical_cpu_ratio}); load average ${result.machine.load_average.join(' → ')} on ${result.machine.nproc} cores.`,
);
console.log(
  `Past the phone library budget (${PHONE_LIBRARY_BUDGET} runs per text), shape rules alone: recall ${percent(shapeOnly.recall)}, ` +
    `false positives ${percent(shapeOnly.falsePositiveRate)}.`,
);
if (!process.env.BENCH_DRY) writeFileSync(resolve(__dirname, 'results/redact.json'), JSON.stringify(result, null, 2) + '\n');
