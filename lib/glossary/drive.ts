// A drive's own glossary (DESIGN §9, §13): `glossary_url` in the manifest points to a CSV
// or JSON list of {term, suggestion, category, note} (optional: severity, alternatives).
// It is fetched when the member joins (HTTPS only, except localhost for testing), refused
// above 1 MB, and validated line by line: one bad line is reported with its number and the
// rest still load, so an organiser sees exactly what to fix.
import { CsvError, parseCsv as parseCsvRows } from '../csv';
import { z } from '../zod';
import { CATEGORIES, LIMITS, SEVERITIES, describeIssues } from '../report';
import { localesMatch } from '../locale';
import { glossarySource } from './glossary-source';
import type { GlossaryEntry, SuggestionSource } from './types';
import { formatByteSize, formatNumber, formatPosition, t } from '../i18n';

export const MAX_GLOSSARY_BYTES = 1_000_000;
export const MAX_GLOSSARY_ENTRIES = 20_000;

export const DriveGlossaryEntry = z.strictObject({
  // Messages as functions: rendered when a problem is found, in the UI language of that moment.
  term: z
    .string()
    .trim()
    .min(1, { error: () => t('errFieldEmpty', 'term') })
    .max(LIMITS.exact),
  suggestion: z
    .string()
    .trim()
    .min(1, { error: () => t('errFieldEmpty', 'suggestion') })
    .max(LIMITS.suggestion),
  category: z.enum(CATEGORIES, { error: () => t('errFieldOneOf', ['category', CATEGORIES.join(', ')]) }),
  note: z.string().trim().max(LIMITS.note).optional(),
  severity: z.enum(SEVERITIES).optional(),
  alternatives: z.array(z.string().trim().min(1).max(LIMITS.suggestion)).max(LIMITS.alternatives).optional(),
});

export interface ParsedGlossary {
  entries: GlossaryEntry[];
  /** One readable line per refused entry: `line 4: category must be one of …`. */
  problems: string[];
}

/** "larger than 1 MB": MAX_GLOSSARY_BYTES in the unit organisers count in. */
const tooLarge = () => t('errGlossaryTooLarge', formatByteSize(2 ** 20));

export class GlossaryError extends Error {
  override name = 'GlossaryError';
}

/** A glossary's CSV (lib/csv.ts), with a broken quote reported as a glossary problem. */
export function parseCsv(text: string): string[][] {
  try {
    return parseCsvRows(text);
  } catch (error) {
    if (error instanceof CsvError) throw new GlossaryError(error.message);
    throw error;
  }
}

function validate(raw: unknown[], where: (index: number, problem: string) => string): ParsedGlossary {
  const entries: GlossaryEntry[] = [];
  const problems: string[] = [];
  if (raw.length > MAX_GLOSSARY_ENTRIES)
    throw new GlossaryError(t('errGlossaryTooManyEntries', [formatNumber(raw.length), formatNumber(MAX_GLOSSARY_ENTRIES)]));
  raw.forEach((item, i) => {
    const parsed = DriveGlossaryEntry.safeParse(item);
    if (parsed.success) {
      const { note, ...rest } = parsed.data;
      entries.push({ ...rest, ...(note ? { note } : {}) });
    } else problems.push(where(i, describeIssues(parsed.error).join('; ')));
  });
  return { entries, problems };
}

/** A glossary file's text, as CSV (with a header row) or JSON (an array, or {entries: […]}). */
export function parseDriveGlossary(text: string, format: 'csv' | 'json'): ParsedGlossary {
  if (text.length > MAX_GLOSSARY_BYTES) throw new GlossaryError(tooLarge());
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new GlossaryError(t('errGlossaryNotJson', (error as Error).message));
    }
    const list = Array.isArray(data) ? data : (data as { entries?: unknown } | null)?.entries;
    if (!Array.isArray(list)) throw new GlossaryError(t('errGlossaryNotArray'));
    return validate(list, (i, problem) => t('errEntryProblem', [formatPosition(i + 1), problem]));
  }
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.map((h) => h.trim().toLowerCase());
  if (!header?.includes('term') || !header.includes('suggestion') || !header.includes('category')) throw new GlossaryError(t('errGlossaryNoHeader'));
  const objects = rows.map((cells) => {
    const entry: Record<string, unknown> = {};
    header.forEach((name, i) => {
      const value = cells[i]?.trim() ?? '';
      if (value === '') return;
      if (name === 'alternatives')
        entry.alternatives = value
          .split('|')
          .map((a) => a.trim())
          .filter(Boolean);
      else if (['term', 'suggestion', 'category', 'note', 'severity'].includes(name)) entry[name] = value;
    });
    return entry;
  });
  return validate(objects, (i, problem) => t('errLineProblem', [formatPosition(i + 2), problem]));
}

/** The name a drive's glossary goes by on a mark: `glossary:drive-<id>`. */
export function driveSourceName(driveId: string): string {
  return `drive-${driveId.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 64);
}

export function driveGlossarySource(driveId: string, entries: readonly GlossaryEntry[], locales?: readonly string[]): SuggestionSource {
  return glossarySource(driveSourceName(driveId), entries, (expected) => !locales?.length || locales.some((l) => localesMatch(l, expected)));
}

function allowedUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GlossaryError(t('errNotWebAddress', raw));
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new GlossaryError(t('errGlossaryHttps'));
  return url;
}

/**
 * Fetch and parse a drive's glossary from its manifest's glossary_url. The format comes from
 * the Content-Type (text/csv, application/json), else from the address's extension.
 */
export async function loadDriveGlossary(glossaryUrl: string, fetchImpl: typeof fetch = fetch): Promise<ParsedGlossary> {
  const url = allowedUrl(glossaryUrl);
  let response: Response;
  try {
    response = await fetchImpl(url.href, { credentials: 'omit', redirect: 'error' });
  } catch (error) {
    throw new GlossaryError(t('errGlossaryFetch', [url.host, (error as Error).message]));
  }
  if (!response.ok) throw new GlossaryError(t('errGlossaryStatus', [url.host, String(response.status)]));
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_GLOSSARY_BYTES) throw new GlossaryError(tooLarge());
  const text = await readCapped(response);
  const type = response.headers.get('content-type') ?? '';
  const format = /json/i.test(type) ? 'json' : /csv/i.test(type) ? 'csv' : /\.json$/i.test(url.pathname) ? 'json' : 'csv';
  return parseDriveGlossary(text, format);
}

/** The body as text, stopping (with an error) once it passes the size cap. */
async function readCapped(response: Response): Promise<string> {
  if (!response.body) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_GLOSSARY_BYTES) {
      await reader.cancel();
      throw new GlossaryError(tooLarge());
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}
