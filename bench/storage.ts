// `npm run bench:storage` — how long saving a report takes (DESIGN.md §12: ≤ 20 ms median,
// strict durability), in real Chromium's IndexedDB: the popup page sends 'save-report' to
// the background (validation, a strict put, the badge count) and awaits the reply. Next to
// it, in the same run and the same page, the bare cost: a strict IndexedDB put of the same
// record into a store of the same shape. The two alternate record by record, so whatever
// else the machine does lands on both.
//
// Environment: BENCH_SAVES (default 200), BENCH_DRY=1 prints without recording the result.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { launchWithExtension, openExtensionPage } from '../tests/e2e/chromium';
import { makeReport, markPhrase } from '../tests/helpers/reports';
import type { Report } from '../lib/report';
import { seeded } from './fixtures/conversation';
import { describeMachine } from './lib/machine';
import { median, percentile, round, table } from './lib/stats';
import { saveResult, writeDocs, type StorageResult, type Timings } from './lib/results';

const SAVES = Number(process.env.BENCH_SAVES ?? 200);
const WARMUP = 10;

// A pt-PT answer of typical length with the Brazilianisms a user would mark.
const PARAGRAPHS = [
  'Para apanhar o ônibus no centro de Lisboa, compre o bilhete único no celular antes de embarcar; o ponto fica em frente à estação.',
  'Se preferir o trem, a passagem para Sintra custa 2,30 € e sai a cada 20 minutos da estação do Rossio. No café da manhã, experimente um pastel de nata.',
  'Os preços em Portugal escrevem-se com vírgula decimal e espaço a separar os milhares: 12 000,00 €. As datas seguem o formato dia/mês/ano, por exemplo 05/10/2026.',
  'Para falar com o atendimento, ligue para o número do suporte a partir do seu celular; você também pode mandar um e-mail para a equipe.',
  'Caso tenha dúvidas sobre o aplicativo, o time de suporte responde em até 24 horas úteis, de segunda a sexta-feira.',
];
const MARKS: [string, string][] = [
  ['ônibus', 'autocarro'],
  ['celular', 'telemóvel'],
  ['trem', 'comboio'],
  ['café da manhã', 'pequeno-almoço'],
  ['aplicativo', 'aplicação'],
];

function realisticReport(i: number, rand: () => number): Report {
  // Every paragraph once (each marked phrase is in the answer), three more, in a varying order.
  const paragraphs = [...PARAGRAPHS, ...Array.from({ length: 3 }, () => PARAGRAPHS[Math.floor(rand() * PARAGRAPHS.length)]!)];
  for (let k = paragraphs.length - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [paragraphs[k], paragraphs[j]] = [paragraphs[j]!, paragraphs[k]!];
  }
  const answer = paragraphs.join('\n\n');
  const at = new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString();
  const highlights = MARKS.slice(0, 3 + (i % 3)).map(([phrase, suggestion], k) =>
    markPhrase(answer, phrase, suggestion, 0, {
      id: randomUUID(),
      severity: k === 0 ? 'major' : 'minor',
      note: k === 0 ? 'Em Portugal diz-se autocarro.' : undefined,
    }),
  );
  return makeReport({
    id: randomUUID(),
    created_at: at,
    updated_at: at,
    expected_locale: 'pt-PT',
    answer,
    prompt: 'Como chego a Sintra de transportes públicos?',
    page_url: 'https://chatgpt.com/c/6a1f0c2e-bench',
    conversation_ref: 'a'.repeat(64),
    highlights,
    comment: 'Vocabulário do Brasil numa resposta que devia ser de Portugal.',
  });
}

/** Runs in the popup page: alternately one save through the background and one raw put. */
const MEASURE = `async ({ reports, warmup }) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('sounds-local-bench-' + Date.now(), 1);
    open.onupgradeneeded = () => {
      // The shape of the extension's own reports store (lib/storage/db.ts, version 2).
      const store = open.result.createObjectStore('reports', { keyPath: 'id' });
      store.createIndex('by_status', 'status');
      store.createIndex('by_created', ['created_at', 'id']);
      store.createIndex('by_status_created', ['status', 'created_at', 'id']);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const rawPut = (record) => new Promise((resolve, reject) => {
    const tx = db.transaction('reports', 'readwrite', { durability: 'strict' });
    tx.objectStore('reports').put(record);
    tx.oncomplete = resolve;
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
  const background = [], raw = [], failures = [];
  for (let i = 0; i < reports.length; i++) {
    const report = reports[i];
    let t = performance.now();
    const reply = await chrome.runtime.sendMessage({ type: 'save-report', report });
    const saved = performance.now() - t;
    if (!reply || !reply.ok) failures.push(reply ? reply.error + ' ' + (reply.problems || []).join('; ') : 'no reply');
    t = performance.now();
    await rawPut(report);
    const put = performance.now() - t;
    if (i >= warmup) { background.push(saved); raw.push(put); }
  }
  db.close();
  return { background, raw, failures };
}`;

function timings(values: number[]): Timings {
  return {
    median_ms: round(median(values), 2),
    p90_ms: round(percentile(values, 0.9), 2),
    min_ms: round(Math.min(...values), 2),
    max_ms: round(Math.max(...values), 2),
  };
}

async function main() {
  const machine = describeMachine();
  const rand = seeded(7);
  const reports = Array.from({ length: SAVES + WARMUP }, (_, i) => realisticReport(i, rand));
  const recordBytes = Buffer.byteLength(JSON.stringify(reports[WARMUP]));
  const highlights = round(reports.reduce((n, r) => n + r.highlights.length, 0) / reports.length, 1);
  console.log(`${SAVES} saves (+${WARMUP} warm-up) of ~${recordBytes}-byte reports with ${highlights} highlights on average, each way`);

  const loadBefore = loadavg()[0]!;
  const browser = await launchWithExtension();
  let measured: { background: number[]; raw: number[]; failures: string[] };
  try {
    const popup = await openExtensionPage(browser, 'popup.html');
    await popup.waitForLoadState('load');
    measured = await popup.evaluate(`(${MEASURE})(${JSON.stringify({ reports, warmup: WARMUP })})`);
    // The background really stored them (strict durability is the background's own setting).
    const state = await popup.evaluate(`chrome.runtime.sendMessage({ type: 'get-state' })`);
    console.log(`Reports stored by the background: ${JSON.stringify((state as any).counts)}`);
  } finally {
    await browser.close();
  }

  const background = timings(measured.background);
  const raw = timings(measured.raw);
  const result: StorageResult = {
    machine: { ...machine, load_average: [round(loadBefore, 2), round(loadavg()[0]!, 2)] },
    config: { saves: SAVES, highlights_per_report: highlights, answer_chars: reports[WARMUP]!.answer.length, record_bytes: recordBytes },
    background,
    raw,
    ratio: round(background.median_ms / raw.median_ms, 2),
    all_saved: measured.failures.length === 0,
  };
  console.log(
    '\n' +
      table([
        ['saving a report (strict durability)', 'median', 'p90', 'min', 'max', 'budget'],
        ['save-report via the background (ms)', `${background.median_ms}`, `${background.p90_ms}`, `${background.min_ms}`, `${background.max_ms}`, '≤ 20'],
        ['raw IndexedDB put, same record (ms)', `${raw.median_ms}`, `${raw.p90_ms}`, `${raw.min_ms}`, `${raw.max_ms}`, ''],
        ['ratio (medians)', `×${result.ratio}`, '', '', '', ''],
      ]),
  );
  console.log(`Load average (1 min) before/after: ${result.machine.load_average!.join(' / ')}`);
  if (!result.all_saved) {
    console.error(`${measured.failures.length} saves failed, e.g.: ${measured.failures[0]}`);
    process.exitCode = 1;
    return;
  }
  if (process.env.BENCH_DRY) return;
  saveResult('storage', result);
  writeDocs();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
