// conversation_ref is a salted SHA-256 of the site's conversation id, the salt made once per
// install (DESIGN.md §3, §11): a maintainer can group one person's reports of one
// conversation, but cannot recover the id, nor join two people's uploads by it.
import { describe, expect, it } from 'vitest';
import { openSoundsLocalDb } from '../../lib/storage/db';
import { createBackground } from '../../lib/background/service';
import { toUploaded, type Report } from '../../lib/report';
import { CHATGPT_TAB, EXTENSION_ID, EXTENSION_ORIGIN, POPUP, startBackground } from '../helpers/background';

const CONVERSATION_ID = '6a1f0c2e-3b7d-4e55-9c1a-conversation-42';

const capture = {
  type: 'capture',
  site: 'chatgpt',
  answer: 'The colour is grey and the lorry is late.',
  // The page URL is kept locally (shown to the user) and is the only place the id may appear.
  page_url: 'https://chatgpt.com/c/redacted-for-test',
  conversation_id: CONVERSATION_ID,
};

type Send = (message: unknown, sender: typeof POPUP) => Promise<unknown>;

async function capturedReport(send: Send, message = capture): Promise<Report> {
  const reply = (await send(message, CHATGPT_TAB)) as { ok: boolean; report_id: string };
  expect(reply.ok).toBe(true);
  return ((await send({ type: 'get-report', id: reply.report_id }, POPUP)) as { report: Report }).report;
}

describe('conversation_ref', () => {
  it('gives two installs different refs for the same conversation', async () => {
    const first = await startBackground();
    const second = await startBackground();
    const a = await capturedReport(first.send);
    const b = await capturedReport(second.send);
    expect(a.conversation_ref).toMatch(/^[0-9a-f]{64}$/);
    expect(b.conversation_ref).toMatch(/^[0-9a-f]{64}$/);
    expect(a.conversation_ref).not.toBe(b.conversation_ref);
  });

  it('is stable within one install, across restarts of the background', async () => {
    const name = `conversation-ref-${Math.random()}`;
    const refs: Array<string | undefined> = [];
    for (let run = 0; run < 2; run++) {
      // A new background over the same database: what a service-worker restart does.
      const db = await openSoundsLocalDb(name);
      const background = createBackground({
        db,
        extensionId: EXTENSION_ID,
        extensionOrigin: EXTENSION_ORIGIN,
        client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
        uiLanguages: () => ['en-GB'],
      });
      refs.push((await capturedReport(background.handle)).conversation_ref);
      refs.push((await capturedReport(background.handle)).conversation_ref);
      db.close();
    }
    expect(refs[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(refs).size).toBe(1);
  });

  it('is not the unsalted hash of the conversation id', async () => {
    const { send } = await startBackground();
    const report = await capturedReport(send);
    for (const material of [CONVERSATION_ID, `chatgpt:${CONVERSATION_ID}`, `:chatgpt:${CONVERSATION_ID}`]) {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(material));
      const hex = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
      expect(report.conversation_ref).not.toBe(hex);
    }
  });

  it('never stores, exports or uploads the raw conversation id, nor the salt', async () => {
    const { send, db } = await startBackground();
    const report = await capturedReport(send);
    const salt = await db.get('settings', 'salt');
    expect(typeof salt).toBe('string');
    const stored = JSON.stringify(await db.get('reports', report.id));
    const exported = ((await send({ type: 'export-reports' }, POPUP)) as unknown as { jsonl: string }).jsonl;
    const uploaded = JSON.stringify(toUploaded(report));
    for (const text of [stored, exported, uploaded]) {
      expect(text).not.toContain(CONVERSATION_ID);
      expect(text).not.toContain(salt as string);
    }
  });
});
