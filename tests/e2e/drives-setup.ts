// Shared steps of the drive end-to-end tests (Chromium and Firefox): a token drive created
// on a real reference receiver with the organiser's CLI, and the checks on its export.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe as describeQuote } from '../../lib/anchoring';
import type { Report } from '../../lib/report';
import { ROOT } from './chromium';
import { runExport, type ReceiverProcess } from '../../server/testing';

export interface CreatedDrive {
  id: string;
  name: string;
  join_link: string;
  join_code: string;
  token: string;
}

/** `npm run drive -- create <manifest> --json` against the receiver's data directory. */
export async function createTokenDrive(receiver: ReceiverProcess, id: string, locale: string): Promise<CreatedDrive> {
  const dir = mkdtempSync(join(tmpdir(), 'drive-manifest-'));
  const file = join(dir, 'drive.json');
  writeFileSync(
    file,
    JSON.stringify({
      id,
      name: 'British English in chatbots',
      organizer: 'Leeds Language Circle',
      description: 'Answers that spell, measure and date things the American way for British readers.',
      locales: [locale],
      endpoint: receiver.url,
      guidelines: { en: 'Mark US spellings (color → colour), units (°F, miles, gallons) and date formats.\nOne report per answer; add a note when unsure.' },
      categories: ['spelling_variant', 'units', 'date_time_format', 'regional_vocabulary'],
      license: 'CC-BY-4.0',
      privacy_url: 'https://example.org/privacy',
      requires_token: true,
      goal_reports: 50,
    }),
  );
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--disable-warning=ExperimentalWarning',
          '--import',
          'tsx',
          join(ROOT, 'server/drive-cli.ts'),
          'create',
          file,
          '--json',
          '--data-dir',
          receiver.dataDir,
        ],
        { cwd: ROOT },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`drive create failed (${code}): ${out}`))));
    });
    return JSON.parse(output) as CreatedDrive;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One mark on `exact` in the report's answer, and status ready: what the editor would save. */
export function markedReady(report: Report, exact: string, suggestion: string): Report {
  const start = report.answer.indexOf(exact);
  if (start < 0) throw new Error(`"${exact}" not in the answer`);
  const range = { start, end: start + exact.length };
  return {
    ...report,
    status: 'ready',
    highlights: [
      {
        id: crypto.randomUUID(),
        ...range,
        ...describeQuote(report.answer, range),
        category: 'regional_vocabulary',
        severity: 'minor',
        suggestion,
        source: 'user',
      },
    ],
  };
}

/** The receiver's JSONL export for the drive, by report id. */
export async function exportedIds(receiver: ReceiverProcess, driveId: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'drive-export-'));
  try {
    const out = join(dir, 'reports.jsonl');
    const result = await runExport(['--format', 'jsonl', '--drive', driveId, '--out', out], { DATA_DIR: receiver.dataDir });
    if (result.code !== 0) throw new Error(result.output);
    const text = readFileSync(out, 'utf8').trim();
    return text ? text.split('\n').map((line) => (JSON.parse(line) as { id: string }).id) : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
