// Reports in IndexedDB: every write is validated first (nothing half-valid is stored) and
// committed with strict durability.
import { Report, STATUSES, describeIssues, type ReportStatus } from '../report';
import { STRICT, type SoundsLocalDb } from './db';
import { t } from '../i18n';

export class InvalidReportError extends Error {
  constructor(readonly problems: string[]) {
    super(t('errReportNotSaved', problems.join('; ')));
    this.name = 'InvalidReportError';
  }
}

export function validateReport(candidate: unknown): Report {
  const parsed = Report.safeParse(candidate);
  if (!parsed.success) throw new InvalidReportError(describeIssues(parsed.error));
  return parsed.data;
}

export async function saveReport(db: SoundsLocalDb, candidate: unknown): Promise<Report> {
  const report = validateReport(candidate);
  const tx = db.transaction('reports', 'readwrite', STRICT);
  await Promise.all([tx.store.put(report), tx.done]);
  return report;
}

export function getReport(db: SoundsLocalDb, id: string): Promise<Report | undefined> {
  return db.get('reports', id);
}

export async function deleteReports(db: SoundsLocalDb, ids: string[]): Promise<Report[]> {
  const tx = db.transaction('reports', 'readwrite', STRICT);
  const removed: Report[] = [];
  for (const id of ids) {
    const existing = await tx.store.get(id);
    if (existing) {
      removed.push(existing);
      await tx.store.delete(id);
    }
  }
  await tx.done;
  return removed;
}

export interface ReportPage {
  reports: Report[];
  /** Pass back as `before` to get the next (older) page. */
  next?: { created_at: string; id: string };
}

/**
 * Newest first, one page at a time through the creation-time index, so the list stays fast
 * with 10,000 stored reports. `status` filters through the compound index.
 */
export async function listReports(
  db: SoundsLocalDb,
  options: { status?: ReportStatus; limit?: number; before?: { created_at: string; id: string } } = {},
): Promise<ReportPage> {
  const limit = options.limit ?? 50;
  const { status, before } = options;
  const tx = db.transaction('reports');
  const range = status
    ? IDBKeyRange.bound([status], before ? [status, before.created_at, before.id] : [status, []], false, Boolean(before))
    : before
      ? IDBKeyRange.upperBound([before.created_at, before.id], true)
      : null;
  const source = status ? tx.store.index('by_status_created') : tx.store.index('by_created');
  const reports: Report[] = [];
  let cursor = await source.openCursor(range, 'prev');
  while (cursor && reports.length < limit) {
    reports.push(cursor.value);
    cursor = await cursor.continue();
  }
  await tx.done;
  const last = reports.at(-1);
  return { reports, next: cursor && last ? { created_at: last.created_at, id: last.id } : undefined };
}

export async function countByStatus(db: SoundsLocalDb): Promise<Record<ReportStatus, number>> {
  const tx = db.transaction('reports');
  const index = tx.store.index('by_status');
  const counts = await Promise.all(STATUSES.map((status) => index.count(status)));
  await tx.done;
  return Object.fromEntries(STATUSES.map((status, i) => [status, counts[i]!])) as Record<ReportStatus, number>;
}

/** What the toolbar badge shows: reports the user has not yet got uploaded. */
export async function countNotUploaded(db: SoundsLocalDb): Promise<number> {
  const counts = await countByStatus(db);
  return counts.draft + counts.ready + counts.uploading + counts.failed;
}

export async function allReports(db: SoundsLocalDb): Promise<Report[]> {
  return db.getAllFromIndex('reports', 'by_created');
}
