import { beforeEach, describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DB_VERSION, openSoundsLocalDb, type SoundsLocalDb } from '../../lib/storage/db';
import { InvalidReportError, countByStatus, countNotUploaded, deleteReports, getReport, listReports, saveReport } from '../../lib/storage/reports';
import { makeReport, markPhrase } from '../helpers/reports';

let name: string;
let db: SoundsLocalDb;
let n = 0;

beforeEach(async () => {
  name = `storage-test-${++n}`;
  db = await openSoundsLocalDb(name);
});

describe('report storage', () => {
  it('saves a report and reads it back unchanged', async () => {
    const report = makeReport();
    report.highlights = [markPhrase(report.answer, '視頻', '影片')];
    await saveReport(db, report);
    expect(await getReport(db, report.id)).toEqual(report);
  });

  it('refuses an invalid report whole, naming the field, and stores nothing', async () => {
    const report = makeReport({ expected_locale: 'pt_BR' });
    await expect(saveReport(db, report)).rejects.toThrow(InvalidReportError);
    await expect(saveReport(db, report)).rejects.toThrow(/expected_locale: "pt_BR" uses "_"/);
    expect(await getReport(db, report.id)).toBeUndefined();
  });

  it('lists newest first by status, one page at a time, without losing same-millisecond reports', async () => {
    const reports: ReturnType<typeof makeReport>[] = [];
    for (let i = 0; i < 25; i++) {
      // Five reports per timestamp: paging must neither skip nor repeat any of them.
      const created_at = new Date(Date.UTC(2026, 10, 1, 10, 0, Math.floor(i / 5))).toISOString();
      reports.push(makeReport({ created_at, updated_at: created_at, status: i % 2 ? 'ready' : 'draft' }));
    }
    for (const r of reports) await saveReport(db, r);
    const seen: string[] = [];
    let page = await listReports(db, { limit: 7 });
    for (;;) {
      seen.push(...page.reports.map((r) => r.id));
      if (!page.next) break;
      page = await listReports(db, { limit: 7, before: page.next });
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const createdOrder = seen.map((id) => reports.find((r) => r.id === id)!.created_at);
    expect(createdOrder).toEqual([...createdOrder].sort().reverse());

    const ready: string[] = [];
    page = await listReports(db, { status: 'ready', limit: 5 });
    for (;;) {
      ready.push(...page.reports.map((r) => r.id));
      expect(page.reports.every((r) => r.status === 'ready')).toBe(true);
      if (!page.next) break;
      page = await listReports(db, { status: 'ready', limit: 5, before: page.next });
    }
    expect(ready.sort()).toEqual(
      reports
        .filter((r) => r.status === 'ready')
        .map((r) => r.id)
        .sort(),
    );
    expect(await countByStatus(db)).toMatchObject({ draft: 13, ready: 12, uploaded: 0 });
  });

  it('deletes reports and counts what is not yet uploaded', async () => {
    const a = await saveReport(db, makeReport({ status: 'ready' }));
    const b = await saveReport(db, makeReport({ status: 'uploaded' }));
    const c = await saveReport(db, makeReport({ status: 'failed', status_reason: 'rejected: answer empty' }));
    expect(await countNotUploaded(db)).toBe(2);
    const removed = await deleteReports(db, [a.id, 'not-there']);
    expect(removed.map((r) => r.id)).toEqual([a.id]);
    expect(await getReport(db, a.id)).toBeUndefined();
    expect(await countNotUploaded(db)).toBe(1);
    expect(await getReport(db, b.id)).toBeDefined();
    expect((await getReport(db, c.id))?.status_reason).toBe('rejected: answer empty');
  });
});

describe('migrations', () => {
  it('upgrades a version-1 database (fixture) to the current version without losing a report', async () => {
    const fixture = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/db/v1-reports.json'), 'utf8'));
    const legacyName = `legacy-v1-${n}`;
    const v1 = await openDB(legacyName, 1, { upgrade: (d) => void d.createObjectStore('reports', { keyPath: 'id' }) });
    for (const record of fixture.stores.reports) await v1.put('reports', record);
    v1.close();

    const upgraded = await openSoundsLocalDb(legacyName);
    expect(upgraded.version).toBe(DB_VERSION);
    expect([...upgraded.objectStoreNames].sort()).toEqual(['drives', 'outbox', 'receipts', 'reports', 'settings']);
    const ready = await listReports(upgraded, { status: 'ready' });
    expect(ready.reports.map((r) => r.id)).toEqual([fixture.stores.reports[0].id]);
    const all = await listReports(upgraded);
    expect(all.reports).toHaveLength(2);
    for (const report of all.reports) {
      const before = fixture.stores.reports.find((r: { id: string }) => r.id === report.id);
      expect(report).toEqual({ ...before, include_prompt: false });
      // Every migrated record is a valid current report.
      await expect(saveReport(upgraded, report)).resolves.toBeDefined();
    }
    upgraded.close();
  });

  it('upgrades a version-2 database (fixture): the token leaves the settings and the queued batch, filed under its endpoint origin only', async () => {
    const fixture = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/db/v2-token.json'), 'utf8'));
    const legacyName = `legacy-v2-${n}`;
    const v2 = await openDB(legacyName, 2, {
      upgrade(d) {
        const reports = d.createObjectStore('reports', { keyPath: 'id' });
        reports.createIndex('by_status', 'status');
        reports.createIndex('by_created', ['created_at', 'id']);
        reports.createIndex('by_status_created', ['status', 'created_at', 'id']);
        d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('by_next_attempt', 'next_attempt_at');
        d.createObjectStore('settings');
      },
    });
    for (const { key, value } of fixture.stores.settings) await v2.put('settings', value, key);
    for (const record of fixture.stores.reports) await v2.put('reports', record);
    for (const record of fixture.stores.outbox) await v2.put('outbox', record);
    v2.close();

    const upgraded = await openSoundsLocalDb(legacyName);
    expect(upgraded.version).toBe(DB_VERSION);
    expect(await upgraded.get('settings', 'user')).toEqual({
      default_locale: 'pt-BR',
      endpoint: 'https://old.example.org/sounds-local',
      consented_endpoints: ['https://old.example.org/sounds-local'],
    });
    expect(await upgraded.get('settings', 'tokens')).toEqual({ 'https://old.example.org': { '': 'old-endpoint-token' } });
    const [batch] = await upgraded.getAll('outbox');
    expect(batch).not.toHaveProperty('token');
    expect(batch).toMatchObject({ id: fixture.stores.outbox[0].id, report_ids: fixture.stores.outbox[0].report_ids, attempts: 1 });
    expect((await getReport(upgraded, fixture.stores.reports[0].id))?.status).toBe('uploading');
    upgraded.close();
  });
});
