// @vitest-environment node
// Store conformance: one suite, run against the embedded SQLite store and the PostgreSQL
// store (a throwaway cluster from server/testing-postgres.ts; skipped, with the reason
// printed, where PostgreSQL isn't installed). Whatever the HTTP layer relies on — answers in
// request order, dedup by id, idempotent replays, counters — must hold for both.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UploadedReport } from '../lib/report';
import { sampleUploaded } from '../tests/helpers/sample-reports';
import { MIGRATIONS, type Migration, migratePostgres, migrateSqlite } from './migrations';
import { CounterTally, contributions, type ReceiverStore, type Submission } from './store';
import { PostgresStore } from './store-postgres';
import { SqliteStore } from './store-sqlite';
import { postgresUnavailable, startPostgres, type PostgresCluster } from './testing-postgres';

interface Backend {
  /** A new store on a new, empty database. */
  fresh(): Promise<ReceiverStore>;
  /** A second store on the same database as `store` (a restart or a second process). */
  reopen(store: ReceiverStore): Promise<ReceiverStore>;
  /** Rows in a table, read straight from the database. */
  rows(store: ReceiverStore, table: string): Promise<number>;
  /** Marks the database as written by a newer receiver. */
  fromTheFuture(store: ReceiverStore): Promise<void>;
}

const open: ReceiverStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
function track<T extends ReceiverStore>(store: T): T {
  open.push(store);
  return store;
}

let next = 50_000;
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** Every text cell of the reports table, to prove a value is not stored anywhere but its column. */
async function b64Rows(store: ReceiverStore): Promise<string> {
  let all = '';
  for await (const { report: r } of store.reports()) all += JSON.stringify(r);
  return all;
}
const report = (overrides: Partial<UploadedReport> = {}) => sampleUploaded(next++, overrides);

function submission(reports: UploadedReport[], options: Partial<Submission> = {}): Submission {
  return {
    idempotencyKey: randomUUID(),
    bodyHash: createHash('sha256').update(JSON.stringify(reports)).digest('hex'),
    driveId: reports[0]?.drive_id ?? null,
    items: reports.map((r) => ({ report: r })),
    receivedAt: new Date().toISOString(),
    ...options,
  };
}

async function collect(store: ReceiverStore, filter?: Parameters<ReceiverStore['reports']>[0]) {
  const out: string[] = [];
  for await (const { report } of store.reports(filter)) out.push(report.id);
  return out;
}

function conformance(name: string, backend: () => Backend) {
  describe(`${name} store`, () => {
    it('accepts a batch, answers in request order and keeps arrival order', async () => {
      const store = track(await backend().fresh());
      const batch = [report(), report(), report()];
      const outcome = await store.submit(submission(batch));
      expect(outcome).toEqual({ kind: 'stored', response: { results: batch.map((r) => ({ id: r.id, status: 'accepted' })) } });
      const later = report();
      await store.submit(submission([later]));
      expect(await collect(store)).toEqual([...batch.map((r) => r.id), later.id]);
      expect(await store.count()).toBe(4);
    });

    it('stores every field of a report unchanged', async () => {
      const store = track(await backend().fresh());
      const original = report({ prompt: 'Wie spät ist es? <script>x</script>', comment: '🚑 "quoted" \\ back' });
      await store.submit(submission([original]));
      const stored: UploadedReport[] = [];
      for await (const { report: r, receivedAt } of store.reports()) {
        stored.push(r);
        expect(Date.parse(receivedAt)).not.toBeNaN();
      }
      expect(stored).toEqual([original]);
    });

    it('answers a report id it already holds as duplicate, also a second copy in the same batch', async () => {
      const store = track(await backend().fresh());
      const a = report();
      const b = report();
      await store.submit(submission([a]));
      const outcome = await store.submit(submission([a, b, b]));
      expect(outcome.kind === 'stored' && outcome.response.results).toEqual([
        { id: a.id, status: 'duplicate' },
        { id: b.id, status: 'accepted' },
        { id: b.id, status: 'duplicate' },
      ]);
      expect(await store.count()).toBe(2);
    });

    it('replays the stored answer for a repeated key and body, and refuses the key with another body', async () => {
      const store = track(await backend().fresh());
      const first = submission([report(), report()]);
      const stored = await store.submit(first);
      expect(stored.kind).toBe('stored');
      const again = await store.submit({ ...first, receivedAt: new Date().toISOString() });
      expect(again).toEqual({ kind: 'replayed', response: stored.kind === 'stored' ? stored.response : undefined });
      expect(await store.submit({ ...submission([report()]), idempotencyKey: first.idempotencyKey })).toEqual({ kind: 'key_conflict' });
      expect(await store.count()).toBe(2);
      expect((await store.stats()).by_status).toEqual({ accepted: 2, duplicate: 0, rejected: 0, withdrawn: 0, updated: 0 });
    });

    it('answers rejected items with their reason, stores none of them, and counts them', async () => {
      const store = track(await backend().fresh());
      const good = report();
      const outcome = await store.submit({
        ...submission([good]),
        items: [{ rejected: { id: 'bad-1', status: 'rejected', reason: 'answer: required' } }, { report: good }],
      });
      expect(outcome.kind === 'stored' && outcome.response.results).toEqual([
        { id: 'bad-1', status: 'rejected', reason: 'answer: required' },
        { id: good.id, status: 'accepted' },
      ]);
      expect(await store.count()).toBe(1);
      expect((await store.stats()).by_status).toEqual({ accepted: 1, duplicate: 0, rejected: 1, withdrawn: 0, updated: 0 });
    });

    it('keeps stats per drive and for everything', async () => {
      const store = track(await backend().fresh());
      const tw = [report({ drive_id: 'tw-2026' }), report({ drive_id: 'tw-2026' })];
      await store.submit(submission(tw));
      await store.submit(submission([report()]));
      await store.submit(submission([tw[0]!]));
      const drive = await store.stats('tw-2026');
      expect(drive).toMatchObject({ drive_id: 'tw-2026', reports: 2, by_status: { accepted: 2, duplicate: 1, rejected: 0 } });
      expect(Object.values(drive.by_locale).reduce((a, b) => a + b, 0)).toBe(2);
      expect(Object.values(drive.by_category).reduce((a, b) => a + (b ?? 0), 0)).toBe(6);
      const all = await store.stats();
      expect(all).toMatchObject({ drive_id: null, reports: 3, by_status: { accepted: 3, duplicate: 1, rejected: 0 } });
      expect(await store.stats('nobody')).toMatchObject({ reports: 0, by_locale: {}, by_category: {} });
    });

    it('filters reports and counts by drive, and by no drive', async () => {
      const store = track(await backend().fresh());
      const tw = report({ drive_id: 'tw-2026' });
      const none = report();
      await store.submit(submission([tw]));
      await store.submit(submission([none]));
      expect(await collect(store, { driveId: 'tw-2026' })).toEqual([tw.id]);
      expect(await collect(store, { driveId: null })).toEqual([none.id]);
      expect(await store.count({ driveId: 'tw-2026' })).toBe(1);
      expect(await store.count({ driveId: null })).toBe(1);
      expect(await store.count({ driveId: 'other' })).toBe(0);
    });

    it('stores a batch once when the same key arrives many times at once', async () => {
      const b = backend();
      const store = track(await b.fresh());
      const second = track(await b.reopen(store));
      const batch = submission(Array.from({ length: 20 }, () => report()));
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? second : store).submit(batch)));
      expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'replayed')).toHaveLength(7);
      for (const o of outcomes) expect(o.kind !== 'key_conflict' && o.response.results.every((r) => r.status === 'accepted')).toBe(true);
      expect(await store.count()).toBe(20);
      expect(await b.rows(store, 'idempotency')).toBe(1);
    });

    it('accepts each report exactly once when overlapping batches race under different keys', async () => {
      const b = backend();
      const store = track(await b.fresh());
      const second = track(await b.reopen(store));
      const pool = Array.from({ length: 40 }, () => report());
      // Each batch takes a different window of the pool, in a different order.
      const batches = Array.from({ length: 10 }, (_, i) => {
        const window = pool.slice(i * 3, i * 3 + 12);
        return submission(i % 2 ? window.reverse() : window);
      });
      const outcomes = await Promise.all(batches.map((s, i) => (i % 2 ? second : store).submit(s)));
      const accepted = outcomes.flatMap((o) => (o.kind === 'stored' ? o.response.results.filter((r) => r.status === 'accepted').map((r) => r.id) : []));
      const distinctSent = new Set(batches.flatMap((s) => s.items.map((i) => ('report' in i ? i.report.id : ''))));
      expect(accepted.length).toBe(distinctSent.size);
      expect(new Set(accepted).size).toBe(distinctSent.size);
      expect(await store.count()).toBe(distinctSent.size);
      expect((await store.stats()).reports).toBe(distinctSent.size);
    });

    it('stores nothing of a batch that fails partway, alone or beside other batches, and still stores the others', async () => {
      const store = track(await backend().fresh());
      // A report the database refuses (no expected_locale) after one it already wrote.
      const broken = { ...report(), expected_locale: undefined } as unknown as UploadedReport;
      const alone = submission([report(), broken]);
      await expect(store.submit(alone)).rejects.toThrow();
      const [failing, beside] = await Promise.allSettled([store.submit(submission([report(), broken])), store.submit(submission([report(), report()]))]);
      expect(failing.status).toBe('rejected');
      expect(beside.status === 'fulfilled' && beside.value.kind).toBe('stored');
      expect(await store.count()).toBe(2);
      expect((await store.stats()).reports).toBe(2);
      // The failed key was not recorded: the client's retry under it, with a good body, is stored.
      const retried = await store.submit({ ...alone, items: [alone.items[0]!] });
      expect(retried.kind).toBe('stored');
      expect(await store.count()).toBe(3);
    });

    it('counts marks by severity and reports and marks per day of arrival', async () => {
      const store = track(await backend().fresh());
      const a = report({ drive_id: 'days' });
      const b = report({ drive_id: 'days', highlights: [] });
      const c = report({ drive_id: 'days' });
      c.highlights[0]!.severity = 'critical';
      await store.submit(submission([a, b], { receivedAt: '2026-11-28T23:59:59.000Z' }));
      await store.submit(submission([c], { receivedAt: '2026-11-30T08:00:00.000Z' }));
      expect(await store.stats('days')).toMatchObject({
        reports: 3,
        highlights: 6,
        by_severity: { minor: 5, critical: 1 },
        by_day: [
          { day: '2026-11-28', reports: 2, highlights: 3 },
          { day: '2026-11-30', reports: 1, highlights: 3 },
        ],
      });
    });

    it('keeps owner_key_hash out of the stored report that exports read', async () => {
      const store = track(await backend().fresh());
      const owned = report({ owner_key_hash: HASH_A });
      await store.submit(submission([owned]));
      for await (const { report: r } of store.reports()) expect(r).not.toHaveProperty('owner_key_hash');
      expect(await b64Rows(store)).not.toContain(HASH_A);
    });

    it('withdraws a report with its owner key: gone from reports, counts and stats; a re-upload is answered withdrawn', async () => {
      const store = track(await backend().fresh());
      const gone = report({ drive_id: 'w', owner_key_hash: HASH_A });
      const kept = report({ drive_id: 'w', owner_key_hash: HASH_B });
      await store.submit(submission([gone, kept]));
      expect(await store.withdraw(gone.id, HASH_A, '2026-11-30T09:00:00.000Z')).toBe('withdrawn');
      expect(await store.withdraw(gone.id, HASH_A, '2026-11-30T09:01:00.000Z')).toBe('withdrawn');
      expect(await collect(store)).toEqual([kept.id]);
      expect(await store.count({ driveId: 'w' })).toBe(1);
      const stats = await store.stats('w');
      expect(stats).toMatchObject({ reports: 1, highlights: 3, by_status: { accepted: 2, withdrawn: 1 } });
      expect(Object.values(stats.by_category).reduce((x, y) => x + (y ?? 0), 0)).toBe(3);
      expect(stats.by_locale).toEqual({ [kept.expected_locale]: 1 });
      expect((await store.stats()).reports).toBe(1);
      const again = await store.submit(submission([gone]));
      expect(again.kind === 'stored' && again.response.results).toEqual([{ id: gone.id, status: 'withdrawn' }]);
      expect(await collect(store)).toEqual([kept.id]);
    });

    it('refuses to withdraw with a wrong key or without a stored key, and says when the id is unknown', async () => {
      const store = track(await backend().fresh());
      const owned = report({ owner_key_hash: HASH_A });
      const keyless = report();
      await store.submit(submission([owned, keyless]));
      expect(await store.withdraw(owned.id, HASH_B, 'now')).toBe('forbidden');
      expect(await store.withdraw(keyless.id, HASH_A, 'now')).toBe('forbidden');
      expect(await store.withdraw(report().id, HASH_A, 'now')).toBe('unknown');
      expect(await store.count()).toBe(2);
    });

    it('replaces a report by a later edit and moves its counts; an equal or older edit changes nothing', async () => {
      const store = track(await backend().fresh());
      const original = report({ drive_id: 'u', owner_key_hash: HASH_A });
      await store.submit(submission([original]));
      const edited: UploadedReport = {
        ...original,
        comment: 'edited',
        expected_locale: 'en-AU',
        highlights: original.highlights.slice(0, 1),
        updated_at: '2030-01-01T00:00:00.000Z',
      };
      expect(await store.update({ ...edited, updated_at: original.updated_at }, HASH_A, 'now')).toBe('duplicate');
      expect(await store.update(edited, HASH_B, 'now')).toBe('forbidden');
      expect(await store.update({ ...edited, drive_id: 'other' }, HASH_A, 'now')).toBe('drive_mismatch');
      expect(await store.update({ ...edited, id: report().id }, HASH_A, 'now')).toBe('unknown');
      expect(await store.update(edited, HASH_A, 'now')).toBe('updated');
      const stored: UploadedReport[] = [];
      for await (const { report: r } of store.reports()) stored.push(r);
      const { owner_key_hash: _h, ...withoutHash } = edited;
      expect(stored).toEqual([withoutHash]);
      expect(await store.stats('u')).toMatchObject({ reports: 1, highlights: 1, by_locale: { 'en-AU': 1 }, by_status: { accepted: 1, updated: 1 } });
      expect(await store.update(edited, HASH_A, 'now')).toBe('duplicate');
      expect(await store.withdraw(original.id, HASH_A, 'now')).toBe('withdrawn');
      expect(await store.update({ ...edited, updated_at: '2031-01-01T00:00:00.000Z' }, HASH_A, 'now')).toBe('withdrawn');
      expect(await store.stats('u')).toMatchObject({ reports: 0, highlights: 0, by_locale: {}, by_category: {}, by_day: [] });
    });

    it('keeps everything across a restart and applies each migration once', async () => {
      const b = backend();
      const store = await b.fresh();
      const kept = report();
      await store.submit(submission([kept]));
      await store.close();
      const reopened = track(await b.reopen(store));
      expect(await collect(reopened)).toEqual([kept.id]);
      expect(await b.rows(reopened, 'schema_migrations')).toBe(MIGRATIONS.length);
    });

    it('refuses a database written by a newer receiver', async () => {
      const b = backend();
      const store = await b.fresh();
      await b.fromTheFuture(store);
      await store.close();
      await expect(b.reopen(store)).rejects.toThrow(/newer receiver \(schema 999/);
    });

    describe('community review', () => {
      const CONTRIBUTOR = 'contributor-pseudonym-1';
      async function driveWithReports(store: ReceiverStore) {
        const own = report({ drive_id: 'rv' });
        const others = [report({ drive_id: 'rv' }), report({ drive_id: 'rv', expected_locale: 'pt-BR' })];
        await store.submit({ ...submission([own]), contributor: CONTRIBUTOR });
        await store.submit(submission(others));
        await store.submit(submission([report()]));
        return { own, others };
      }

      it('keeps the contributor beside the report, out of the stored report', async () => {
        const store = track(await backend().fresh());
        const { own, others } = await driveWithReports(store);
        expect(await store.reviewReport(own.id)).toEqual({ report: own, driveId: 'rv', contributor: CONTRIBUTOR });
        expect((await store.reviewReport(others[0]!.id))?.contributor).toBeNull();
        for await (const { report: r } of store.reports()) expect(JSON.stringify(r)).not.toContain(CONTRIBUTOR);
        expect(await store.reviewReport('00000000-0000-4000-8000-00000000dead')).toBeUndefined();
      });

      it("lists the drive's reports as candidates with reviewer counts and this reviewer's votes", async () => {
        const store = track(await backend().fresh());
        const { own, others } = await driveWithReports(store);
        const [h0, h1] = others[0]!.highlights;
        expect(
          await store.recordVotes(
            others[0]!.id,
            'rev-a',
            [
              { highlightId: h0!.id, vote: 'agree' },
              { highlightId: h1!.id, vote: 'disagree', suggestion: 'x' },
            ],
            '2026-11-30T00:00:00Z',
          ),
        ).toBe(2);
        await store.recordVotes(others[0]!.id, 'rev-b', [{ highlightId: h0!.id, vote: 'agree' }], '2026-11-30T00:00:00Z');
        const candidates = await store.reviewCandidates('rv', 'rev-a');
        expect(candidates.map((c) => c.id).sort()).toEqual([own.id, ...others.map((o) => o.id)].sort());
        const first = candidates.find((c) => c.id === others[0]!.id)!;
        expect(first).toMatchObject({ reviewers: 2, votedByReviewer: true, contributor: null, expectedLocale: others[0]!.expected_locale });
        expect(candidates.find((c) => c.id === own.id)).toMatchObject({ reviewers: 0, votedByReviewer: false, contributor: CONTRIBUTOR });
        expect(candidates.find((c) => c.id === own.id)!.seq).toBeLessThan(first.seq);
      });

      it("keeps a reviewer's first vote per mark and counts votes per mark", async () => {
        const store = track(await backend().fresh());
        const { others } = await driveWithReports(store);
        const h0 = others[0]!.highlights[0]!.id;
        await store.recordVotes(others[0]!.id, 'rev-a', [{ highlightId: h0, vote: 'agree' }], '2026-11-30T00:00:00Z');
        expect(await store.recordVotes(others[0]!.id, 'rev-a', [{ highlightId: h0, vote: 'disagree' }], '2026-11-30T00:00:01Z')).toBe(0);
        await store.recordVotes(others[0]!.id, 'rev-b', [{ highlightId: h0, vote: 'unsure' }], '2026-11-30T00:00:00Z');
        await store.recordVotes(others[0]!.id, 'rev-c', [{ highlightId: h0, vote: 'disagree' }], '2026-11-30T00:00:00Z');
        expect(await store.markVotes({ driveId: 'rv' })).toEqual([{ reportId: others[0]!.id, highlightId: h0, agree: 1, disagree: 1, unsure: 1 }]);
        expect(await store.markVotes({ driveId: 'other' })).toEqual([]);
      });

      it("remembers which contributor pseudonyms are a reviewer's own", async () => {
        const store = track(await backend().fresh());
        await store.linkContributor('rev-a', CONTRIBUTOR);
        await store.linkContributor('rev-a', CONTRIBUTOR);
        expect(await store.reviewerContributors('rev-a')).toEqual([CONTRIBUTOR]);
        expect(await store.reviewerContributors('rev-b')).toEqual([]);
      });
    });
  });
}

// ── SQLite ────────────────────────────────────────────────────────────────────────────

describe('counter tally', () => {
  it("sums a batch's reports by locale, arrival day, marks, category and severity", () => {
    const a = sampleUploaded(4); // zh-TW, three regional_vocabulary marks
    const b = sampleUploaded(3); // de-DE: local_facts and two date_time_format marks
    const tally = new CounterTally().add('status', 'accepted').addReport(a, '2026-11-30T10:00:00.000Z');
    tally.add('status', 'accepted').addReport(b, '2026-11-30T23:59:59.000Z').add('status', 'rejected');
    const deltas = Object.fromEntries(tally.deltas().map(([dimension, value, n]) => [`${dimension}:${value}`, n]));
    expect(deltas).toEqual({
      'status:accepted': 2,
      'status:rejected': 1,
      [`locale:${a.expected_locale}`]: 1,
      [`locale:${b.expected_locale}`]: 1,
      'day:2026-11-30': 2,
      'marks:all': 6,
      'day_marks:2026-11-30': 6,
      'category:regional_vocabulary': 3,
      'category:local_facts': 1,
      'category:date_time_format': 2,
      'severity:minor': 6,
    });
  });

  it('takes back exactly what a report added when it is withdrawn', () => {
    const report = sampleUploaded(2);
    const tally = new CounterTally().addReport(report, '2026-11-29T08:00:00.000Z').addReport(report, '2026-11-29T08:00:00.000Z', -1);
    expect(tally.deltas().every(([, , n]) => n === 0)).toBe(true);
    expect(contributions(report, '2026-11-29T08:00:00.000Z', -1).every(([, , n]) => n < 0)).toBe(true);
  });
});

const sqliteDirs: string[] = [];
afterAll(() => sqliteDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

conformance('SQLite', () => ({
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'sounds-local-store-'));
    sqliteDirs.push(dir);
    return new SqliteStore(join(dir, 'reports.sqlite'));
  },
  async reopen(store) {
    return new SqliteStore((store as SqliteStore).path);
  },
  async rows(store, table) {
    const db = new DatabaseSync((store as SqliteStore).path, { readOnly: true });
    const row = db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number };
    db.close();
    return row.n;
  },
  async fromTheFuture(store) {
    (store as SqliteStore).db.exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')`);
  },
}));

describe('SQLite migrations', () => {
  it('adopts a file made before schema_migrations existed without touching its reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sounds-local-store-'));
    sqliteDirs.push(dir);
    const path = join(dir, 'reports.sqlite');
    // What the receiver wrote before migrations: migration 1's tables and meta.schema_version = 1.
    const old = new DatabaseSync(path);
    old.exec(MIGRATIONS[0]!.sqlite);
    old.exec(`INSERT INTO meta (key, value) VALUES ('schema_version', '1')`);
    old
      .prepare(`INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, NULL, 'de-DE', '2026-11-01T00:00:00Z', ?)`)
      .run(sampleUploaded(7).id, JSON.stringify(sampleUploaded(7)));
    old.close();
    const store = track(new SqliteStore(path));
    expect(await collect(store)).toEqual([sampleUploaded(7).id]);
    const applied = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('rebuilds severity, mark and day counts for reports stored before migration 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sounds-local-store-'));
    sqliteDirs.push(dir);
    const path = join(dir, 'reports.sqlite');
    const old = new DatabaseSync(path);
    migrateSqlite(old, path, MIGRATIONS.slice(0, 1));
    const insert = old.prepare(`INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES (?, ?, ?, ?, ?)`);
    const a = sampleUploaded(11, { drive_id: 'old' });
    const b = sampleUploaded(12);
    insert.run(a.id, 'old', a.expected_locale, '2026-10-01T10:00:00.000Z', JSON.stringify(a));
    insert.run(b.id, null, b.expected_locale, '2026-10-02T10:00:00.000Z', JSON.stringify(b));
    old.prepare(`INSERT INTO counters (scope, dimension, value, n) VALUES ('*', 'status', 'accepted', 2), ('drive:old', 'status', 'accepted', 1)`).run();
    old.close();
    const store = track(new SqliteStore(path));
    expect(await store.stats('old')).toMatchObject({
      reports: 1,
      highlights: 3,
      by_severity: { minor: 3 },
      by_day: [{ day: '2026-10-01', reports: 1, highlights: 3 }],
    });
    expect(await store.stats()).toMatchObject({ reports: 2, highlights: 6, by_day: [{ day: '2026-10-01' }, { day: '2026-10-02' }] });
  });

  it('applies only the migrations a database has not seen, in order', () => {
    const db = new DatabaseSync(':memory:');
    const extra: Migration = { version: 2, name: 'a column', sqlite: 'ALTER TABLE reports ADD COLUMN extra TEXT', postgres: '' };
    expect(migrateSqlite(db, 'memory', MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(migrateSqlite(db, 'memory', [MIGRATIONS[0]!, extra])).toEqual([2]);
    expect(migrateSqlite(db, 'memory', [MIGRATIONS[0]!, extra])).toEqual([]);
    expect(() => db.prepare('SELECT extra FROM reports').all()).not.toThrow();
    db.close();
  });

  it('rolls a failing migration back whole', () => {
    const db = new DatabaseSync(':memory:');
    migrateSqlite(db, 'memory', MIGRATIONS.slice(0, 1));
    const broken: Migration = { version: 2, name: 'broken', sqlite: 'CREATE TABLE half (x); SELECT * FROM no_such_table;', postgres: '' };
    expect(() => migrateSqlite(db, 'memory', [MIGRATIONS[0]!, broken])).toThrow(/no_such_table/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    db.close();
  });
});

// ── PostgreSQL ────────────────────────────────────────────────────────────────────────

const unavailable = postgresUnavailable();
if (unavailable) console.warn(unavailable);
let cluster: PostgresCluster | undefined;

describe.skipIf(unavailable)('on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  const urls = new WeakMap<ReceiverStore, string>();
  conformance('PostgreSQL', () => ({
    async fresh() {
      const url = await cluster!.createDatabase();
      const store = await PostgresStore.open(url);
      urls.set(store, url);
      return store;
    },
    async reopen(store) {
      const url = urls.get(store)!;
      const again = await PostgresStore.open(url);
      urls.set(again, url);
      return again;
    },
    async rows(store, table) {
      const sql = postgres(urls.get(store)!, { max: 1 });
      const [row] = await sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
      await sql.end();
      return (row as unknown as { n: number }).n;
    },
    async fromTheFuture(store) {
      await (store as PostgresStore).sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01')`;
    },
  }));

  it('migrates once when several receivers open a new database at the same moment', async () => {
    const url = await cluster!.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, { max: 2 })));
    stores.forEach(track);
    const [row] = await stores[0]!.sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM schema_migrations`;
    expect(row!.n).toBe(MIGRATIONS.length);
  });

  it('rebuilds severity, mark and day counts for reports stored before migration 2', async () => {
    const url = await cluster!.createDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const a = sampleUploaded(21, { drive_id: 'old' });
    const b = sampleUploaded(22);
    try {
      await migratePostgres(sql, 'test', MIGRATIONS.slice(0, 1));
      await sql`INSERT INTO reports (id, drive_id, expected_locale, received_at, body) VALUES
        (${a.id}, 'old', ${a.expected_locale}, '2026-10-01T10:00:00.000Z', ${JSON.stringify(a)}),
        (${b.id}, NULL, ${b.expected_locale}, '2026-10-02T10:00:00.000Z', ${JSON.stringify(b)})`;
      await sql`INSERT INTO counters (scope, dimension, value, n) VALUES ('*', 'status', 'accepted', 2), ('drive:old', 'status', 'accepted', 1)`;
    } finally {
      await sql.end();
    }
    const store = track(await PostgresStore.open(url));
    expect(await store.stats('old')).toMatchObject({
      reports: 1,
      highlights: 3,
      by_severity: { minor: 3 },
      by_day: [{ day: '2026-10-01', reports: 1, highlights: 3 }],
    });
    expect(await store.stats()).toMatchObject({ reports: 2, highlights: 6, by_day: [{ day: '2026-10-01' }, { day: '2026-10-02' }] });
  });

  it('rolls a failing migration back whole', async () => {
    const url = await cluster!.createDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(sql, 'test', MIGRATIONS.slice(0, 1));
      const broken: Migration = { version: 2, name: 'broken', sqlite: '', postgres: 'CREATE TABLE half (x int); SELECT * FROM no_such_table;' };
      await expect(migratePostgres(sql, 'test', [MIGRATIONS[0]!, broken])).rejects.toThrow(/no_such_table/);
      const [half] = await sql`SELECT to_regclass('half') AS t`;
      expect(half!.t).toBeNull();
    } finally {
      await sql.end();
    }
  });
});
