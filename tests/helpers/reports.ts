import type { Highlight, Report } from '../../lib/report';
import { describe } from '../../lib/anchoring';

let counter = 0;
/** A deterministic UUID v4-shaped id for tests. */
export function testUuid(): string {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

export function makeReport(overrides: Partial<Report> = {}): Report {
  const time = overrides.created_at ?? '2026-11-01T10:00:00.000Z';
  return {
    schema_version: 1,
    id: testUuid(),
    created_at: time,
    updated_at: time,
    status: 'draft',
    site: 'chatgpt',
    model: { label: 'gpt-5-5', source: 'page' },
    expected_locale: 'zh-TW',
    answer: '在台灣，我們通常說影片，而不是視頻。軟件也應該說軟體。',
    include_prompt: false,
    highlights: [],
    client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
    ...overrides,
  };
}

export function markPhrase(answer: string, phrase: string, suggestion: string, occurrence = 0, extra: Partial<Highlight> = {}): Highlight {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = answer.indexOf(phrase, start + 1);
  if (start < 0) throw new Error(`"${phrase}" not in answer`);
  const range = { start, end: start + phrase.length };
  return {
    id: testUuid(),
    ...range,
    ...describe(answer, range),
    category: 'regional_vocabulary',
    severity: 'minor',
    suggestion,
    source: 'user',
    ...extra,
  };
}
