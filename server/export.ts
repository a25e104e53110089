// `npm run export -- --format <jsonl|highlights-csv|dpo|card|all> --out <path>`
//   [--data-dir ./data] [--drive <id>] [--license CC-BY-4.0] [--name "…"] [--validated-only]
// Reads the receiver's SQLite file (safe while the receiver runs: WAL), or PostgreSQL when
// DATABASE_URL is set, and streams the export. `all` writes a ready-to-push Hugging Face dataset folder: README.md and data/*.
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { LICENSE_URLS } from '../lib/drive';
import { DriveDirectory } from './drives';
import {
  CSV_NEWLINE,
  EXPORT_FORMATS,
  HIGHLIGHT_COLUMNS,
  addToSummary,
  csvRow,
  datasetCard,
  dpoPair,
  emptySummary,
  highlightRows,
  jsonlLine,
  reviewed,
  voteIndex,
  type ExportFormat,
} from './exports';
import { minVotesOf } from '../lib/review';
import { openStore, sqlitePath } from './store-open';

const USAGE = `Usage: npm run export -- --format <${EXPORT_FORMATS.join('|')}|all> --out <path> [--data-dir ./data] [--drive <id>] [--license <SPDX id>] [--name <title>] [--validated-only]`;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    drive: { type: 'string' },
    license: { type: 'string' },
    name: { type: 'string' },
    'validated-only': { type: 'boolean' },
  },
});

const format = args.format as ExportFormat | 'all' | undefined;
if (!format || !([...EXPORT_FORMATS, 'all'] as string[]).includes(format)) fail(`--format must be one of ${[...EXPORT_FORMATS, 'all'].join(', ')}.`);
if (!args.out) fail('--out is required (a file, or a folder for --format all).');
const dataDir = resolve(args['data-dir'] ?? process.env.DATA_DIR ?? './data');
const databaseUrl = process.env.DATABASE_URL || undefined;
const dbPath = sqlitePath(dataDir);
if (!databaseUrl && !existsSync(dbPath))
  fail(`No receiver database at ${dbPath}; point --data-dir (or DATA_DIR) at the receiver's data folder, or set DATABASE_URL.`);

const store = await openStore({ databaseUrl, dataDir }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
const driveId = args.drive;
const drive = driveId ? new DriveDirectory(join(dataDir, 'drives')).find(driveId) : undefined;
if (drive && !drive.ok) fail(drive.error);
const hosted = drive?.ok ? drive.drive : undefined;
// Community review (DESIGN §14): every mark's votes, judged by the drive's min_votes.
const minVotes = minVotesOf(hosted?.parsed);
const validatedOnly = args['validated-only'] === true;
const votes = voteIndex(await store.markVotes(driveId ? { driveId } : {}));
if (driveId && !hosted)
  console.error(`note: drive "${driveId}" is not hosted in ${join(dataDir, 'drives')}; the card will not name its organiser, licence or guidelines.`);

/** A file writer that respects backpressure, so a million-report export stays flat in memory. */
function writer(path: string) {
  mkdirSync(dirname(path), { recursive: true });
  const stream: WriteStream = createWriteStream(path, 'utf8');
  let lines = 0;
  return {
    path,
    get lines() {
      return lines;
    },
    async line(text: string, newline = '\n') {
      lines++;
      if (!stream.write(text + newline)) await once(stream, 'drain');
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

const out = resolve(args.out);
const targets = {
  jsonl: format === 'jsonl' ? out : format === 'all' ? join(out, 'data/reports.jsonl') : undefined,
  csv: format === 'highlights-csv' ? out : format === 'all' ? join(out, 'data/highlights.csv') : undefined,
  dpo: format === 'dpo' ? out : format === 'all' ? join(out, 'data/dpo.jsonl') : undefined,
  card: format === 'card' ? out : format === 'all' ? join(out, 'README.md') : undefined,
};
const jsonl = targets.jsonl ? writer(targets.jsonl) : undefined;
const csv = targets.csv ? writer(targets.csv) : undefined;
const dpo = targets.dpo ? writer(targets.dpo) : undefined;
const summary = emptySummary();

if (csv) await csv.line(csvRow([...HIGHLIGHT_COLUMNS]), CSV_NEWLINE);
for await (const stored of store.reports(driveId ? { driveId } : {})) {
  const kept = reviewed(stored.report, votes, minVotes, validatedOnly);
  if (!kept) continue;
  const { report, validation } = kept;
  addToSummary(summary, report, validation);
  if (jsonl) await jsonl.line(jsonlLine(report, validation));
  if (csv) for (const row of highlightRows(report, validation)) await csv.line(row, CSV_NEWLINE);
  if (dpo) {
    const pair = dpoPair(report);
    if (pair) await dpo.line(JSON.stringify(pair));
  }
}
for (const w of [jsonl, csv, dpo]) await w?.close();

if (targets.card) {
  const card = writer(targets.card);
  await card.line(
    datasetCard(summary, {
      license: args.license ?? hosted?.license,
      licenseUrl: !args.license && hosted?.parsed ? LICENSE_URLS[hosted.parsed.license] : undefined,
      prettyName: args.name ?? hosted?.name,
      driveId,
      minVotes,
      validatedOnly,
      organizer: hosted?.parsed?.organizer,
      description: hosted?.parsed?.description,
      driveLocales: hosted?.parsed?.locales,
      guidelines: hosted?.parsed?.guidelines,
    }),
    '',
  );
  await card.close();
  if (!args.license && !hosted?.license) console.error('note: no licence given (--license, or a hosted drive manifest); the card says "other".');
}
await store.close();

const wrote = [
  jsonl && `${jsonl.lines} reports → ${jsonl.path}`,
  csv && `${csv.lines - 1} marks → ${csv.path}`,
  dpo && `${dpo.lines} pairs → ${dpo.path}`,
  targets.card && `card (${summary.reports} reports) → ${targets.card}`,
].filter(Boolean);
console.log(`exported ${wrote.join('; ')}`);
