// Valid reports for upload, receiver and benchmark code. Built with the real anchoring
// helper so every mark quotes its answer exactly, like reports the editor makes.
import { describe as describeQuote } from '../../lib/anchoring';
import type { Category, Highlight, Report, UploadedReport } from '../../lib/report';

export const SAMPLE_CLIENT = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;

const ANSWERS: Array<{ locale: string; answer: string; marks: Array<[string, string, Category]> }> = [
  {
    locale: 'zh-TW',
    answer: '你可以在手機上看這個視頻，然後用軟件把信息保存下來。這個質量很好。',
    marks: [
      ['視頻', '影片', 'regional_vocabulary'],
      ['軟件', '軟體', 'regional_vocabulary'],
      ['信息', '資訊', 'regional_vocabulary'],
    ],
  },
  {
    locale: 'pt-BR',
    answer: 'Pode apanhar o autocarro perto da estação e ligar do seu telemóvel quando chegar. Estou a fazer o jantar.',
    marks: [
      ['autocarro', 'ônibus', 'regional_vocabulary'],
      ['telemóvel', 'celular', 'regional_vocabulary'],
      ['Estou a fazer', 'Estou fazendo', 'grammar_variant'],
    ],
  },
  {
    locale: 'en-GB',
    answer: 'The color of the sky at 75°F in the fall is beautiful; grab a truck and drive 30 miles.',
    marks: [
      ['color', 'colour', 'spelling_variant'],
      ['75°F', '24 °C', 'units'],
      ['fall', 'autumn', 'regional_vocabulary'],
    ],
  },
  {
    locale: 'de-DE',
    answer: 'Im Notfall wählen Sie 911. Der Termin ist am 06/07/2012 um 3:00 PM. 🚑 Bleiben Sie ruhig.',
    marks: [
      ['911', '112', 'local_facts'],
      ['06/07/2012', '07.06.2012', 'date_time_format'],
      ['3:00 PM', '15:00 Uhr', 'date_time_format'],
    ],
  },
];

let counter = 0;

/** A deterministic v4-shaped UUID from a number, so failing tests name the same ids each run. */
export function sampleId(n: number, salt = 0): string {
  const hex = (n + salt * 0x1000000).toString(16).padStart(12, '0').slice(-12);
  return `00000000-0000-4000-8000-${hex}`;
}

function mark(answer: string, exact: string, suggestion: string, category: Category, n: number, k: number): Highlight {
  const start = answer.indexOf(exact);
  if (start < 0) throw new Error(`sample mark "${exact}" is not in its answer`);
  const quote = describeQuote(answer, { start, end: start + exact.length });
  return {
    id: sampleId(n * 10 + k, 7),
    start,
    end: start + exact.length,
    ...quote,
    category,
    severity: 'minor',
    suggestion,
    source: 'user',
  };
}

/** The n-th sample report as uploaded (no local fields). */
export function sampleUploaded(n = counter++, overrides: Partial<UploadedReport> = {}): UploadedReport {
  const base = ANSWERS[n % ANSWERS.length]!;
  const created = new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString();
  return {
    schema_version: 1,
    id: sampleId(n),
    created_at: created,
    updated_at: created,
    site: 'chatgpt',
    model: { label: 'GPT-5', source: 'page' },
    expected_locale: base.locale,
    answer: base.answer,
    highlights: base.marks.map(([exact, suggestion, category], k) => mark(base.answer, exact, suggestion, category, n, k)),
    client: { ...SAMPLE_CLIENT },
    ...overrides,
  };
}

/** The n-th sample report as stored in IndexedDB. */
export function sampleStored(n = counter++, overrides: Partial<Report> = {}): Report {
  return { ...sampleUploaded(n), status: 'ready', include_prompt: false, page_url: 'https://chatgpt.com/c/abc', ...overrides };
}
