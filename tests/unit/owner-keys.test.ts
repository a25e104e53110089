// @vitest-environment node
// The private withdraw-keys backup (lib/owner-keys.ts, DESIGN §8a, §11): uploaded reports
// stay the member's to withdraw or correct after a reinstall or in another browser, while
// the shareable reports JSONL never carries a key. Uploads and withdrawals go to the real
// reference receiver process.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { openSoundsLocalDb, type Receipt, type SoundsLocalDb } from '../../lib/storage/db';
import { createBackground } from '../../lib/background/service';
import { createUploader } from '../../lib/background/uploads';
import { ownerKeyHash } from '../../lib/protocol';
import { newOwnerKey } from '../../lib/upload/credentials';
import { saveReport } from '../../lib/storage/reports';
import { OWNER_KEYS_FORMAT, parseOwnerKeysFile } from '../../lib/owner-keys';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startReceiver, type ReceiverProcess } from '../../server/testing';
import { CHATGPT_TAB, EXTENSION_ID, EXTENSION_ORIGIN, POPUP } from '../helpers/background';
import { makeReport } from '../helpers/reports';

let receiver: ReceiverProcess;
beforeAll(async () => {
  receiver = await startReceiver({ env: { LOG: 'quiet' } });
});
afterAll(() => receiver?.stop());

let n = 0;
/** A browser profile: its own database, background and uploader, pointed at the receiver. */
async function browserProfile() {
  const db = await openSoundsLocalDb(`owner-keys-${++n}-${Math.random()}`);
  const client = { name: 'sounds-local', version: '0.1.0', browser: 'chrome' } as const;
  const uploader = createUploader({ db, client, fetch, scheduleWake: () => {}, config: { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 5_000 } });
  const background = createBackground({ db, uploader, client, extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN, uiLanguages: () => ['en-GB'] });
  const send = (m: unknown, sender = POPUP) => background.handle(m, sender) as Promise<any>;
  return { db, uploader, send };
}

function receiverRow(id: string): { withdrawn_at: string | null; body: string } | undefined {
  const sqlite = new DatabaseSync(receiver.dbPath, { readOnly: true });
  try {
    return sqlite.prepare('SELECT withdrawn_at, body FROM reports WHERE id = ?').get(id) as { withdrawn_at: string | null; body: string } | undefined;
  } finally {
    sqlite.close();
  }
}

/** A profile holding `count` uploaded reports (via the background's own upload messages). */
async function withUploads(count: number) {
  const profile = await browserProfile();
  await profile.send({ type: 'set-settings', settings: { endpoint: receiver.url } });
  const reports = Array.from({ length: count }, (_, i) =>
    makeReport({ status: 'ready', answer: `The colour of the lift ${i} is grey.`, expected_locale: 'en-GB' }),
  );
  for (const report of reports) await profile.send({ type: 'save-report', report });
  expect(await profile.send({ type: 'start-upload', report_ids: reports.map((r) => r.id), undone: [], consent: true })).toMatchObject({
    ok: true,
    queued: count,
  });
  await profile.uploader.run();
  for (const report of reports) expect((await profile.db.get('reports', report.id))?.status).toBe('uploaded');
  return { ...profile, reports };
}

async function allReceipts(db: SoundsLocalDb): Promise<Receipt[]> {
  return db.getAll('receipts');
}

describe('moving uploaded reports to a fresh browser', () => {
  it('withdraws a report against the receiver after importing the reports JSONL and then the withdraw keys', async () => {
    const old = await withUploads(2);
    const [withdrawn, corrected] = old.reports;
    const reportsFile = await old.send({ type: 'export-reports' });
    const keysFile = await old.send({ type: 'export-owner-keys' });
    expect(keysFile).toMatchObject({ ok: true, count: 2 });
    // The shareable JSONL carries neither a key nor its hash.
    for (const receipt of await allReceipts(old.db)) {
      expect(reportsFile.jsonl).not.toContain(receipt.secret);
      expect(reportsFile.jsonl).not.toContain(receipt.owner_key_hash);
      expect(keysFile.text).toContain(receipt.secret);
    }

    // Reinstalled: an empty database.
    const fresh = await browserProfile();
    await fresh.send({ type: 'set-settings', settings: { endpoint: receiver.url } });
    expect(await fresh.send({ type: 'import-reports', jsonl: reportsFile.jsonl })).toMatchObject({ ok: true, added: 2, problems: [] });
    // Reports alone are not enough: the ownership is in the keys file.
    expect(await fresh.send({ type: 'withdraw-report', id: withdrawn!.id })).toEqual({
      ok: false,
      error: 'This report was never uploaded from this device, so there is nothing to withdraw.',
    });

    expect(await fresh.send({ type: 'import-owner-keys', text: keysFile.text })).toEqual({ ok: true, restored: 2, unchanged: 0, missing: 0, conflicts: [] });
    expect(await fresh.send({ type: 'report-receipt', id: withdrawn!.id })).toEqual({ ok: true, receipt: { endpoint: receiver.url, remote: 'accepted' } });

    expect(await fresh.send({ type: 'withdraw-report', id: withdrawn!.id })).toEqual({ ok: true });
    await fresh.uploader.run();
    expect((await fresh.db.get('reports', withdrawn!.id))?.status).toBe('withdrawn');
    expect(receiverRow(withdrawn!.id)?.withdrawn_at).toEqual(expect.any(String));

    // The other one is corrected (PUT with the restored key) rather than uploaded again.
    const edited = { ...(await fresh.db.get('reports', corrected!.id))!, status: 'ready' as const, comment: 'Corrected from the new browser.' };
    await fresh.send({ type: 'save-report', report: edited });
    expect(await fresh.send({ type: 'start-upload', report_ids: [corrected!.id], undone: [], consent: true })).toMatchObject({ ok: true, updates: 1 });
    await fresh.uploader.run();
    expect(await fresh.send({ type: 'report-receipt', id: corrected!.id })).toMatchObject({ receipt: { remote: 'updated' } });
    expect(JSON.parse(receiverRow(corrected!.id)!.body)).toMatchObject({ comment: 'Corrected from the new browser.' });
  });

  it('writes a named, versioned file with one entry per uploaded report and the plain warning', async () => {
    const { send, db, reports } = await withUploads(1);
    const { text } = await send({ type: 'export-owner-keys' });
    const file = JSON.parse(text);
    const receipt = (await db.get('receipts', reports[0]!.id))!;
    const stored = (await db.get('reports', reports[0]!.id))!;
    expect(file).toEqual({
      format: OWNER_KEYS_FORMAT,
      version: 1,
      exported_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      warning: expect.stringContaining('anyone holding it can withdraw or change'),
      keys: [
        {
          report_id: receipt.report_id,
          endpoint: receiver.url,
          secret: receipt.secret,
          owner_key_hash: receipt.owner_key_hash,
          remote: 'accepted',
          sent_updated_at: stored.updated_at,
        },
      ],
    });
  });

  it('skips and counts keys whose report is not in this browser, and leaves a second import unchanged', async () => {
    const old = await withUploads(2);
    const { text } = await old.send({ type: 'export-owner-keys' });
    const fresh = await browserProfile();
    await saveReport(fresh.db, (await old.db.get('reports', old.reports[0]!.id))!);
    expect(await fresh.send({ type: 'import-owner-keys', text })).toEqual({ ok: true, restored: 1, unchanged: 0, missing: 1, conflicts: [] });
    expect(await fresh.send({ type: 'import-owner-keys', text })).toEqual({ ok: true, restored: 0, unchanged: 1, missing: 1, conflicts: [] });
    expect(await fresh.db.get('receipts', old.reports[1]!.id)).toBeUndefined();
  });
});

/** A profile with reports and hand-made receipts (no upload needed to check a file). */
async function withReceipts(count: number, remote: Receipt['remote'] = 'accepted') {
  const profile = await browserProfile();
  const receipts: Receipt[] = [];
  for (let i = 0; i < count; i++) {
    const report = await saveReport(profile.db, makeReport({ status: 'uploaded' }));
    const key = await newOwnerKey();
    receipts.push({ report_id: report.id, secret: key.secret, owner_key_hash: key.hash, endpoint: 'https://feedback.example.org/api', remote });
  }
  for (const receipt of receipts) await profile.db.put('receipts', receipt);
  const { text } = await profile.send({ type: 'export-owner-keys' });
  return { ...profile, receipts, text: text as string };
}

/** The same reports in another profile without any receipt: the import target. */
async function emptyCopyOf(source: SoundsLocalDb) {
  const target = await browserProfile();
  for (const report of await source.getAll('reports')) await saveReport(target.db, report);
  return target;
}

describe('the file format', () => {
  it('reads a version 1 file kept as a fixture (a later format must keep reading it)', async () => {
    const text = readFileSync(resolve(__dirname, '../fixtures/owner-keys/v1.json'), 'utf8');
    const parsed = await parseOwnerKeysFile(text);
    expect(parsed).toEqual({
      ok: true,
      receipts: [
        expect.objectContaining({
          report_id: '3f1c2b9a-6d4e-4c1a-9b7e-2a5d8c0e1f23',
          endpoint: 'https://feedback.example.org/api',
          drive_id: 'tw-2026',
          remote: 'updated',
          sent_updated_at: '2026-11-29T08:30:00.000Z',
        }),
        expect.objectContaining({ report_id: '8a0d5e7c-1b2f-4e3a-8c9d-6f4b2a1e0d57', endpoint: 'http://127.0.0.1:8787', remote: 'withdrawing' }),
      ],
    });
    if (parsed.ok) for (const receipt of parsed.receipts) expect(await ownerKeyHash(receipt.secret)).toBe(receipt.owner_key_hash);
  });
});

describe('refusing a bad withdraw-keys file, with nothing lost', () => {
  async function expectRefused(text: string, error: string | RegExp, problem?: RegExp) {
    const { db } = await withReceipts(1);
    const target = await emptyCopyOf(db);
    await target.db.put('receipts', {
      report_id: (await target.db.getAllKeys('reports'))[0]!,
      secret: 'a'.repeat(64),
      owner_key_hash: await ownerKeyHash('a'.repeat(64)),
      endpoint: 'https://other.example.org',
      remote: 'accepted',
    });
    const before = await allReceipts(target.db);
    const reply = await target.send({ type: 'import-owner-keys', text });
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(error);
    if (problem) expect(reply.problems.join('\n')).toMatch(problem);
    expect(await allReceipts(target.db)).toEqual(before);
  }

  it('refuses a key that does not hash to its owner_key_hash, and restores none of the file', async () => {
    const { text, receipts, db } = await withReceipts(2);
    const file = JSON.parse(text);
    file.keys[1].secret = `${file.keys[1].secret.slice(0, 63)}${file.keys[1].secret.endsWith('0') ? '1' : '0'}`;
    const target = await emptyCopyOf(db);
    const reply = await target.send({ type: 'import-owner-keys', text: JSON.stringify(file) });
    expect(reply).toEqual({
      ok: false,
      error: 'This withdraw-keys file is damaged or was changed, so nothing was imported:',
      problems: [`keys[1]: the key for report ${file.keys[1].report_id} does not match its hash`],
    });
    expect(await allReceipts(target.db)).toEqual([]);
    expect(receipts).toHaveLength(2);
  });

  it('refuses text that is not JSON, or JSON that is not a withdraw-keys file', async () => {
    await expectRefused(
      '{"format": "sounds-local-withdraw-keys", "version": 1, "keys": [',
      /^This is not a withdraw-keys file from Sounds Local\./,
      /not valid JSON/,
    );
    const { text } = await withReceipts(1);
    // A reports JSONL chosen by mistake.
    await expectRefused(`${JSON.stringify(makeReport())}\n`, /^This is not a withdraw-keys file from Sounds Local\./);
    await expectRefused(JSON.stringify({ ...JSON.parse(text), format: 'something-else' }), /^This is not a withdraw-keys file/);
  });

  it('refuses entries with a short key, a bad report id, an unknown field or a missing hash, naming each', async () => {
    const { text } = await withReceipts(1);
    const file = JSON.parse(text);
    const entry = file.keys[0];
    await expectRefused(
      JSON.stringify({ ...file, keys: [{ ...entry, secret: entry.secret.slice(2) }] }),
      /damaged or was changed/,
      /keys\[0\]\.secret: must be 64 hexadecimal characters/,
    );
    await expectRefused(JSON.stringify({ ...file, keys: [{ ...entry, report_id: 'not-a-uuid' }] }), /damaged or was changed/, /keys\[0\]\.report_id/);
    await expectRefused(JSON.stringify({ ...file, keys: [{ ...entry, token: 'x' }] }), /damaged or was changed/, /token/);
    const { owner_key_hash: _dropped, ...noHash } = entry;
    await expectRefused(JSON.stringify({ ...file, keys: [noHash] }), /damaged or was changed/, /keys\[0\]\.owner_key_hash/);
  });

  it('refuses an endpoint the upload client would refuse (plain http off this machine)', async () => {
    const { text } = await withReceipts(1);
    const file = JSON.parse(text);
    file.keys[0].endpoint = 'http://feedback.example.org/api';
    await expectRefused(JSON.stringify(file), /damaged or was changed/, /keys\[0\]\.endpoint: .*https/);
  });

  it('refuses a format version it does not know, asking for an update', async () => {
    const { text } = await withReceipts(1);
    await expectRefused(
      JSON.stringify({ ...JSON.parse(text), version: 2 }),
      'This withdraw-keys file has format version 2, which this version of Sounds Local can’t read. Update the extension and try again. Nothing was imported.',
    );
  });

  it('refuses a file listing one report twice', async () => {
    const { text } = await withReceipts(1);
    const file = JSON.parse(text);
    await expectRefused(JSON.stringify({ ...file, keys: [file.keys[0], file.keys[0]] }), /damaged or was changed/, /is listed twice/);
  });
});

describe('a key this browser already holds', () => {
  it('never overwrites a different secret: the conflict is reported and the other keys are restored', async () => {
    const { text, receipts, db } = await withReceipts(2);
    const target = await emptyCopyOf(db);
    const own = await newOwnerKey();
    const mine: Receipt = {
      report_id: receipts[0]!.report_id,
      secret: own.secret,
      owner_key_hash: own.hash,
      endpoint: 'https://feedback.example.org/api',
      remote: 'accepted',
    };
    await target.db.put('receipts', mine);
    expect(await target.send({ type: 'import-owner-keys', text })).toEqual({
      ok: true,
      restored: 1,
      unchanged: 0,
      missing: 0,
      conflicts: [receipts[0]!.report_id],
    });
    expect(await target.db.get('receipts', receipts[0]!.report_id)).toEqual(mine);
    expect((await target.db.get('receipts', receipts[1]!.report_id))?.secret).toBe(receipts[1]!.secret);
  });

  it('restores a key whose withdrawal was queued in the old browser as uploaded, so it can be withdrawn again from here', async () => {
    const { text, receipts, db } = await withReceipts(1, 'withdrawing');
    const target = await emptyCopyOf(db);
    expect(await target.send({ type: 'import-owner-keys', text })).toMatchObject({ ok: true, restored: 1 });
    expect((await target.db.get('receipts', receipts[0]!.report_id))?.remote).toBe('accepted');
  });
});

describe('who may ask', () => {
  it('refuses to export or import withdraw keys for a content script', async () => {
    const { send, text } = await withReceipts(1);
    const exported = await send({ type: 'export-owner-keys' }, CHATGPT_TAB);
    expect(exported).toMatchObject({ ok: false });
    expect(JSON.stringify(exported)).not.toMatch(/[0-9a-f]{64}/);
    expect(await send({ type: 'import-owner-keys', text }, CHATGPT_TAB)).toMatchObject({ ok: false });
  });
});
