// Dataset exports (DESIGN.md §10): reports JSONL, highlights as CSV, DPO preference pairs
// and a Hugging Face dataset card. Pure functions from reports to lines; the CLI
// (export.ts) streams them to files.
import type { Highlight, UploadedReport } from '../lib/report';
import { DEFAULT_MIN_VOTES, validation as validationOf, type MarkStatus, type MarkValidation, type VoteCounts } from '../lib/review';
import type { MarkVotes } from './store';
import { OTHER, capCounts } from './caps';
import { csvRow } from './csv';

export const EXPORT_FORMATS = ['jsonl', 'highlights-csv', 'dpo', 'card'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ── JSONL ──────────────────────────────────────────────────────────────────────────────

/**
 * One `sounds-local/report` v1 record per line, as validated and stored, each mark with its
 * community-review `validation` (DESIGN §14) when the export has one.
 */
export function jsonlLine(report: UploadedReport, validation?: ReadonlyMap<string, MarkValidation>): string {
  if (!validation) return JSON.stringify(report);
  return JSON.stringify({ ...report, highlights: report.highlights.map((h) => ({ ...h, validation: validation.get(h.id) ?? PENDING })) });
}

// ── Community review ───────────────────────────────────────────────────────────────────

const PENDING: MarkValidation = { agree: 0, disagree: 0, unsure: 0, status: 'pending' };

/** Vote counts by report and mark, from the store's `markVotes`. */
export type VoteIndex = Map<string, Map<string, VoteCounts>>;

export function voteIndex(rows: Iterable<MarkVotes>): VoteIndex {
  const index: VoteIndex = new Map();
  for (const { reportId, highlightId, agree, disagree, unsure } of rows) {
    let marks = index.get(reportId);
    if (!marks) index.set(reportId, (marks = new Map()));
    marks.set(highlightId, { agree, disagree, unsure });
  }
  return index;
}

/**
 * A report's marks with their validation under the drive's `min_votes`. With `validatedOnly`
 * the report keeps only its validated marks, and is left out (undefined) when none is.
 */
export function reviewed(
  report: UploadedReport,
  votes: VoteIndex,
  minVotes: number,
  validatedOnly = false,
): { report: UploadedReport; validation: Map<string, MarkValidation> } | undefined {
  const marks = votes.get(report.id);
  const validation = new Map(report.highlights.map((h) => [h.id, marks?.has(h.id) ? validationOf(marks.get(h.id)!, minVotes) : PENDING]));
  if (!validatedOnly) return { report, validation };
  const kept = report.highlights.filter((h) => validation.get(h.id)!.status === 'validated');
  return kept.length ? { report: { ...report, highlights: kept }, validation } : undefined;
}

// ── Highlights CSV (RFC 4180) ───────────────────────────────────────────────────────────

export const HIGHLIGHT_COLUMNS = [
  'report_id',
  'highlight_id',
  'expected_locale',
  'site',
  'model_label',
  'drive_id',
  'created_at',
  'category',
  'severity',
  'start',
  'end',
  'exact',
  'prefix',
  'suffix',
  'suggestion',
  'alternatives',
  'note',
  'source',
  'votes_agree',
  'votes_disagree',
  'votes_unsure',
  'validation_status',
] as const;

// Quoting and formula escaping (OWASP CSV injection) live in csv.ts; `start`/`end` stay numbers.
export { CSV_NEWLINE, csvRow } from './csv';

export function highlightRows(report: UploadedReport, validation?: ReadonlyMap<string, MarkValidation>): string[] {
  return report.highlights.map((h) => {
    const v = validation?.get(h.id) ?? PENDING;
    return csvRow([
      report.id,
      h.id,
      report.expected_locale,
      report.site,
      report.model.label,
      report.drive_id,
      report.created_at,
      h.category,
      h.severity,
      h.start,
      h.end,
      h.exact,
      h.prefix,
      h.suffix,
      h.suggestion,
      h.alternatives?.length ? JSON.stringify(h.alternatives) : '',
      h.note,
      h.source,
      v.agree,
      v.disagree,
      v.unsure,
      v.status,
    ]);
  });
}

// ── DPO preference pairs ────────────────────────────────────────────────────────────────

export interface DpoPair {
  prompt: string;
  chosen: string;
  rejected: string;
}

/**
 * The answer with each mark's suggestion in place of the marked text. Applied from the
 * end so earlier offsets stay right; marks with an empty suggestion are skipped, and a mark
 * overlapping one already applied (further right) is skipped rather than garbling both.
 */
export function applySuggestions(answer: string, highlights: readonly Highlight[]): string {
  const ordered = [...highlights].sort((a, b) => b.start - a.start || b.end - a.end);
  let text = answer;
  let limit = answer.length;
  for (const h of ordered) {
    if (h.suggestion === '' || h.end > limit) continue;
    text = text.slice(0, h.start) + h.suggestion + text.slice(h.end);
    limit = h.start;
  }
  return text;
}

/** `rejected` = the answer as given, `chosen` = with the local suggestions; none when nothing changes. */
export function dpoPair(report: UploadedReport): DpoPair | undefined {
  const chosen = applySuggestions(report.answer, report.highlights);
  if (chosen === report.answer) return undefined;
  return { prompt: report.prompt ?? '', chosen, rejected: report.answer };
}

// ── Hugging Face dataset card ───────────────────────────────────────────────────────────

export interface CardSummary {
  reports: number;
  highlights: number;
  dpoPairs: number;
  withPrompt: number;
  locales: Map<string, number>;
  categories: Map<string, number>;
  sites: Map<string, number>;
  firstCreated?: string;
  lastCreated?: string;
  /** Exported marks by community-review status. */
  review: Record<MarkStatus, number>;
}

export function emptySummary(): CardSummary {
  return {
    reports: 0,
    highlights: 0,
    dpoPairs: 0,
    withPrompt: 0,
    locales: new Map(),
    categories: new Map(),
    sites: new Map(),
    review: { validated: 0, pending: 0, rejected: 0 },
  };
}

export function addToSummary(summary: CardSummary, report: UploadedReport, validation?: ReadonlyMap<string, MarkValidation>): void {
  for (const h of report.highlights) summary.review[(validation?.get(h.id) ?? PENDING).status]++;
  summary.reports++;
  summary.highlights += report.highlights.length;
  if (dpoPair(report)) summary.dpoPairs++;
  if (report.prompt) summary.withPrompt++;
  bump(summary.locales, report.expected_locale);
  bump(summary.sites, report.site);
  for (const h of report.highlights) bump(summary.categories, h.category);
  if (!summary.firstCreated || report.created_at < summary.firstCreated) summary.firstCreated = report.created_at;
  if (!summary.lastCreated || report.created_at > summary.lastCreated) summary.lastCreated = report.created_at;
}

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export interface CardOptions {
  /** SPDX id from the drive manifest or --license (CC0-1.0, CC-BY-4.0, …). */
  license?: string;
  prettyName?: string;
  driveId?: string;
  organizer?: string;
  description?: string;
  /** The drive's review.min_votes (default 2). */
  minVotes?: number;
  /** The export kept only marks the community validated. */
  validatedOnly?: boolean;
  /** The drive's target locales (its manifest), as opposed to the locales reports carry. */
  driveLocales?: readonly string[];
  /** The drive's guidelines: plain text, or per UI language. */
  guidelines?: string | Record<string, string>;
  /** Where the licence text is (from lib/drive.ts LICENSE_URLS). */
  licenseUrl?: string;
}

/** The card's statement of the review rule and the counts of exported marks under it. */
export function reviewSection(summary: CardSummary, options: CardOptions): string {
  const n = options.minVotes ?? DEFAULT_MIN_VOTES;
  const { validated, pending, rejected } = summary.review;
  const f = (x: number) => x.toLocaleString('en');
  return [
    `Other speakers of each locale reviewed the marks: each reviewer voted *agree*, *disagree* or *not sure* on each marked phrase and its suggestion, without seeing who uploaded it, and never on their own reports. A mark is **validated** when at least ${n} reviewers agree and agreements outnumber disagreements, **rejected** when at least ${n} disagree and disagreements outnumber agreements, and **pending** otherwise. Every mark carries \`validation: {agree, disagree, unsure, status}\` (in the highlights table: \`votes_agree\`, \`votes_disagree\`, \`votes_unsure\`, \`validation_status\`).`,
    '',
    options.validatedOnly
      ? `This export holds **validated marks only** (${f(validated)}); reports without a validated mark are left out, and the preference pairs apply only validated suggestions.`
      : `- **${f(validated)}** validated marks\n- **${f(pending)}** pending\n- **${f(rejected)}** rejected`,
    '',
  ].join('\n');
}

/** Markdown-safe quote of organiser text: no raw HTML, every line quoted. */
function quoteBlock(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line.replace(/&/g, '&amp;').replace(/</g, '&lt;')}`.trimEnd())
    .join('\n');
}

/** Inline organiser text for Markdown: one line, no raw HTML. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function driveSection(options: CardOptions): string {
  if (!options.driveId) return '';
  const lines = ['## The feedback drive', ''];
  lines.push(`- **Drive:** \`${options.driveId}\`${options.prettyName ? ` — ${inline(options.prettyName)}` : ''}`);
  if (options.organizer) lines.push(`- **Organiser:** ${inline(options.organizer)}`);
  if (options.driveLocales?.length) lines.push(`- **Target locales:** ${options.driveLocales.map((l) => `\`${l.replace(/`/g, '')}\``).join(', ')}`);
  if (options.license) lines.push(`- **Licence:** ${options.licenseUrl ? `[${inline(options.license)}](${options.licenseUrl})` : inline(options.license)}`);
  const g = options.guidelines;
  if (g && (typeof g === 'string' ? g.trim() : Object.keys(g).length)) {
    lines.push('', '### Guidelines contributors were given', '');
    if (typeof g === 'string') lines.push(quoteBlock(g));
    else for (const [language, text] of Object.entries(g)) lines.push(`**${inline(language)}**`, '', quoteBlock(text), '');
  }
  return `${lines.join('\n').trimEnd()}\n\n`;
}

/** Hugging Face's `size_categories` buckets. */
export function sizeCategory(n: number): string {
  const buckets: Array<[number, string]> = [
    [1_000, 'n<1K'],
    [10_000, '1K<n<10K'],
    [100_000, '10K<n<100K'],
    [1_000_000, '100K<n<1M'],
    [10_000_000, '1M<n<10M'],
    [100_000_000, '10M<n<100M'],
  ];
  for (const [limit, label] of buckets) if (n < limit) return label;
  return '100M<n<1B';
}

/** The Hub's license ids are lower-case SPDX ids for the licences drives use. */
export function hubLicense(spdx: string | undefined): string {
  if (!spdx) return 'other';
  const id = spdx.trim().toLowerCase();
  const known = [
    'cc0-1.0',
    'cc-by-4.0',
    'cc-by-sa-4.0',
    'cc-by-nc-4.0',
    'cc-by-nc-sa-4.0',
    'odc-by',
    'odbl',
    'pddl',
    'mit',
    'apache-2.0',
    'cdla-permissive-2.0',
    'cdla-sharing-1.0',
  ];
  return known.includes(id) ? id : 'other';
}

/** The primary language subtags (`zh-TW` → `zh`): the Hub's `language` field wants languages. */
export function languagesOf(locales: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const tag of locales) {
    try {
      set.add(new Intl.Locale(tag).language);
    } catch {
      // Stored reports were validated; an unreadable tag would be a bug, not a language.
    }
  }
  return [...set].sort();
}

/** YAML double-quoted scalars are a superset of JSON strings: safe for any text. */
const yamlString = (s: string) => JSON.stringify(s);

/** The most common rows (caps.ts: at most 50) and one line for the rest, so uploaders can't bloat the card. */
function table(header: [string, string], rows: Map<string, number>): string {
  const { top, rest } = capCounts(rows);
  if (top.length === 0) return '_none yet_\n';
  const lines = top.map(([k, n]) => `| \`${k.replace(/[|`]/g, '')}\` | ${n.toLocaleString('en')} |`);
  if (rest) lines.push(`| ${OTHER} (${rest.values.toLocaleString('en')} more) | ${rest.count.toLocaleString('en')} |`);
  return [`| ${header[0]} | ${header[1]} |`, '|---|---:|', ...lines].join('\n') + '\n';
}

/** The Hub's `language` list: the most common primary languages (by reports), alphabetical. */
function cardLanguages(locales: Map<string, number>): string[] {
  const byLanguage = new Map<string, number>();
  for (const [tag, n] of locales) for (const language of languagesOf([tag])) byLanguage.set(language, (byLanguage.get(language) ?? 0) + n);
  return capCounts(byLanguage)
    .top.map(([language]) => language)
    .sort();
}

/** README.md for a Hugging Face dataset repository: YAML metadata, then prose. */
export function datasetCard(summary: CardSummary, options: CardOptions = {}): string {
  const license = hubLicense(options.license);
  const name = options.prettyName ?? (options.driveId ? `Sounds Local: ${options.driveId}` : 'Sounds Local locale-mismatch reports');
  const languages = cardLanguages(summary.locales);
  const yaml = [
    '---',
    `license: ${license}`,
    ...(license === 'other' && options.license ? [`license_name: ${yamlString(options.license)}`] : []),
    `pretty_name: ${yamlString(name)}`,
    ...(languages.length ? ['language:', ...languages.map((l) => `- ${l}`)] : []),
    'size_categories:',
    `- ${sizeCategory(summary.reports)}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- localization',
    '- locale',
    '- human-feedback',
    '- preference',
    '- dpo',
    'configs:',
    '- config_name: reports',
    '  data_files: data/reports.jsonl',
    '  default: true',
    '- config_name: highlights',
    '  data_files: data/highlights.csv',
    '- config_name: dpo',
    '  data_files: data/dpo.jsonl',
    '---',
  ].join('\n');

  const [first, last] = [summary.firstCreated?.slice(0, 10), summary.lastCreated?.slice(0, 10)];
  const period = first && last ? (first === last ? ` on ${first}` : ` between ${first} and ${last}`) : '';
  const prose = `
# ${inline(name)}

${options.description ? `${inline(options.description)}\n\n` : ''}Reports from people who found that a chatbot answer did not sound local: the wrong regional vocabulary, spelling, script, formality, number or date format, units, currency or local facts for the locale they expected. Each report holds the answer as the person saw it, the phrases they marked, what a local would say instead, and a severity. It was collected with the Sounds Local browser extension${options.driveId ? ` in the feedback drive \`${options.driveId}\`${options.organizer ? ` run by ${inline(options.organizer)}` : ''}` : ''}${period}.

- **${summary.reports.toLocaleString('en')}** reports with **${summary.highlights.toLocaleString('en')}** marked phrases
- **${summary.dpoPairs.toLocaleString('en')}** preference pairs
- ${summary.withPrompt.toLocaleString('en')} reports include the user's question (only when the user opted in)

${driveSection(options)}## Configurations

- \`reports\` (\`data/reports.jsonl\`): one \`sounds-local/report\` v1 record per line — \`expected_locale\` (BCP 47), \`answer\`, optional \`prompt\`, \`highlights\` (UTF-16 \`start\`/\`end\` offsets into \`answer\` with \`exact\`, \`prefix\`, \`suffix\` quotes, \`category\`, \`severity\`, \`suggestion\`, \`alternatives\`, \`note\`), \`site\`, \`model\`, \`comment\`.
- \`highlights\` (\`data/highlights.csv\`): one row per marked phrase, with its report's locale, site and model.
- \`dpo\` (\`data/dpo.jsonl\`): \`{prompt, chosen, rejected}\` — \`rejected\` is the answer as given, \`chosen\` is the same answer with every suggestion applied. \`prompt\` is empty when the user did not share the question.

## Locales

${table(['expected_locale', 'reports'], summary.locales)}
## Categories of marked phrases

${table(['category', 'marks'], summary.categories)}
## Chatbots

${table(['site', 'reports'], summary.sites)}
## Community review

${reviewSection(summary, options)}
## How the data was collected and cleaned

Users marked phrases in answers in their own browser and chose to upload. Before upload the extension removes page addresses and conversation ids (only a salted hash groups reports of one conversation) and redacts e-mail addresses, phone numbers, card numbers, IBANs and API-key-like strings from answers, questions and comments (shown as \`[EMAIL]\`, \`[PHONE]\`, \`[CARD]\`, \`[IBAN]\`, \`[SECRET]\`); contributors saw each redaction before upload and could undo one they judged harmless. Detection is automatic, so review the data before publishing it. The receiver validated every report against the schema and removed duplicates by report id.

## Limitations

Reports say what one person expected for one locale; they are not a complete description of the locale. Suggestions are single wordings: alternatives, when given, are in the \`alternatives\` field. The \`chosen\` answers only change the marked phrases and can leave other mismatches in place.

## License

${license === 'other' ? `${options.license ? `Released under ${options.license}.` : 'The licence has not been set; pass --license (or host the drive manifest) when exporting.'}` : `Released under \`${license}\`${options.license ? ` (${options.license})` : ''}.`} Contributors agreed to this licence when they joined${options.driveId ? ' the drive' : ''} and uploaded.
`;
  return `${yaml}\n${prose}`;
}
