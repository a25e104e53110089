// Export and import of all reports as JSONL (one report per line): the user's own backup,
// and the way data survives an uninstall. Import validates every line and never
// half-stores: a bad line is reported with its number and skipped whole.
import { Report, describeIssues } from './report';
import { formatPosition, t } from './i18n';

export function reportsToJsonl(reports: readonly Report[]): string {
  return reports.map((report) => JSON.stringify(report)).join('\n') + (reports.length ? '\n' : '');
}

export interface ParsedImport {
  reports: Report[];
  errors: string[];
}

export const MAX_IMPORT_ERRORS = 50;

/** `firstLine`: the file's line number of the text's first line (imports arrive in chunks). */
export function parseJsonl(text: string, firstLine = 1): ParsedImport {
  const reports: Report[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    const where = (problem: string) => t('errLineProblem', [formatPosition(index + firstLine), problem]);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(where(t('errNotJson')));
      return;
    }
    const parsed = Report.safeParse(value);
    if (!parsed.success) {
      errors.push(where(describeIssues(parsed.error).slice(0, 3).join('; ')));
      return;
    }
    if (seen.has(parsed.data.id)) {
      errors.push(where(t('errReportTwice', parsed.data.id)));
      return;
    }
    seen.add(parsed.data.id);
    reports.push(parsed.data);
  });
  if (errors.length > MAX_IMPORT_ERRORS) errors.splice(MAX_IMPORT_ERRORS, Infinity, t('errMoreProblems'));
  return { reports, errors };
}
