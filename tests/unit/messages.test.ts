import { describe, expect, it } from 'vitest';
import { CHATGPT_TAB, EXTENSION_ID, POPUP, startBackground } from '../helpers/background';
import { makeReport, markPhrase } from '../helpers/reports';

const capture = {
  type: 'capture',
  site: 'chatgpt',
  answer: 'Dial 911 in an emergency. The colour is grey.',
  prompt: 'Emergency number in Berlin?',
  model_label: 'gpt-5-5',
  conversation_id: 'abc-123',
  page_url: 'https://chatgpt.com/c/abc-123',
  selection: { text: '911', before: 'Dial ' },
};

describe('messages to the background', () => {
  it('turns a capture from a chatbot tab into a draft with the selection pre-marked', async () => {
    const { send, badges } = await startBackground();
    const reply = await send(capture, CHATGPT_TAB);
    expect(reply).toMatchObject({ ok: true, popup_opened: false });
    const { report } = (await send({ type: 'get-report', id: (reply as any).report_id }, POPUP)) as any;
    expect(report).toMatchObject({ status: 'draft', site: 'chatgpt', expected_locale: 'en-GB', include_prompt: false, preselected: { start: 5, end: 8 } });
    expect(report.conversation_ref).toMatch(/^[0-9a-f]{64}$/);
    expect(report.conversation_ref).not.toContain('abc-123');
    expect(badges.at(-1)).toEqual({ count: 1, warning: undefined });
  });

  it('gives the same conversation the same ref, and another conversation another', async () => {
    const { send } = await startBackground();
    const ids = [];
    for (const conversation_id of ['abc-123', 'abc-123', 'xyz']) ids.push(((await send({ ...capture, conversation_id }, CHATGPT_TAB)) as any).report_id);
    const refs = await Promise.all(ids.map(async (id) => ((await send({ type: 'get-report', id }, POPUP)) as any).report.conversation_ref));
    expect(refs[0]).toBe(refs[1]);
    expect(refs[2]).not.toBe(refs[0]);
  });

  it('refuses a message of unknown type, and logs it', async () => {
    const { send, logs } = await startBackground();
    expect(await send({ type: 'steal-reports' }, CHATGPT_TAB)).toMatchObject({ ok: false });
    expect(await send({ type: 'steal-reports' }, POPUP)).toMatchObject({ ok: false, error: 'Invalid request.' });
    expect(logs.join('\n')).toMatch(/refused a content message of type "steal-reports"/);
  });

  it('lets content scripts send only captures: exports, deletes and settings are refused', async () => {
    const { send } = await startBackground();
    const fromPage = await send({ type: 'export-reports' }, CHATGPT_TAB);
    expect(fromPage).toMatchObject({ ok: false });
    expect(fromPage).not.toHaveProperty('jsonl');
    expect(await send({ type: 'set-settings', settings: { endpoint: 'https://evil.example' } }, CHATGPT_TAB)).toMatchObject({ ok: false });
    expect(await send({ type: 'delete-reports', ids: [] }, CHATGPT_TAB)).toMatchObject({ ok: false });
    expect(await send({ type: 'export-reports' }, POPUP)).toMatchObject({ ok: true, count: 0 });
  });

  it('refuses messages from another extension or an unknown sender', async () => {
    const { send, logs } = await startBackground();
    expect(await send(capture, { ...CHATGPT_TAB, id: 'someone-else' })).toEqual({ ok: false, error: 'Unexpected sender.' });
    expect(await send({ type: 'export-reports' }, { id: EXTENSION_ID, url: 'https://evil.example/' })).toEqual({ ok: false, error: 'Unexpected sender.' });
    expect(logs).toHaveLength(2);
  });

  it('answers an oversized capture with a clear error and stores nothing', async () => {
    const { send } = await startBackground();
    const tooLong = await send({ ...capture, answer: '長'.repeat(2_000_000), selection: undefined }, CHATGPT_TAB);
    expect(tooLong).toMatchObject({ ok: false });
    expect((tooLong as any).error).toMatch(/too long to report/);
    const overLimit = await send({ ...capture, answer: 'a'.repeat(200_001), selection: undefined }, CHATGPT_TAB);
    expect((overLimit as any).error).toMatch(/200,001 characters long; Sounds Local keeps answers of up to 200,000/);
    expect(await send({ type: 'get-state' }, POPUP)).toMatchObject({ counts: { draft: 0 } });
  });

  it('saves edits from the popup, refusing an invalid one whole with the field named', async () => {
    const { send } = await startBackground();
    const id = ((await send(capture, CHATGPT_TAB)) as any).report_id;
    const { report } = (await send({ type: 'get-report', id }, POPUP)) as any;
    const marked = { ...report, status: 'ready', highlights: [markPhrase(report.answer, '911', '112', 0, { category: 'local_facts', severity: 'critical' })] };
    expect(await send({ type: 'save-report', report: marked }, POPUP)).toMatchObject({ ok: true, report: { status: 'ready' } });
    const bad = await send({ type: 'save-report', report: { ...marked, status: 'draft', expected_locale: 'de_DE' } }, POPUP);
    expect(bad).toMatchObject({ ok: false, problems: ['expected_locale: "de_DE" uses "_"; BCP 47 tags use "-": did you mean "de-DE"?'] });
    expect(((await send({ type: 'get-report', id }, POPUP)) as any).report.status).toBe('ready');
  });

  it('round-trips all reports through JSONL export and import without loss or duplicates', async () => {
    const first = await startBackground();
    const a = makeReport({ status: 'ready' });
    a.highlights = [markPhrase(a.answer, '視頻', '影片')];
    const b = makeReport({ answer: 'مرحبا 👋🏽 <img src=x onerror=alert(1)>', expected_locale: 'ar-EG', prompt: 'hi', include_prompt: true });
    for (const r of [a, b]) await first.send({ type: 'save-report', report: r }, POPUP);
    const { jsonl } = (await first.send({ type: 'export-reports' }, POPUP)) as any;
    expect(jsonl.trim().split('\n')).toHaveLength(2);

    const second = await startBackground();
    expect(await second.send({ type: 'import-reports', jsonl }, POPUP)).toMatchObject({ ok: true, added: 2, unchanged: 0, problems: [] });
    expect(await second.send({ type: 'import-reports', jsonl }, POPUP)).toMatchObject({ ok: true, added: 0, unchanged: 2 });
    const again = (await second.send({ type: 'export-reports' }, POPUP)) as any;
    expect(again.jsonl.split('\n').sort()).toEqual(jsonl.split('\n').sort());
  });

  it('imports the valid lines of a malformed or hostile file and names each bad line', async () => {
    const { send } = await startBackground();
    const good = makeReport();
    const lines = [
      JSON.stringify(good),
      '{not json',
      JSON.stringify({ ...makeReport(), __proto__: { status: 'uploaded' }, expected_locale: 'xx_YY' }),
      JSON.stringify({ ...makeReport(), answer: 'a'.repeat(200_001) }),
      JSON.stringify({ ...makeReport(), constructor: { prototype: { polluted: true } } }),
      JSON.stringify(good),
    ];
    const reply = (await send({ type: 'import-reports', jsonl: lines.join('\n') }, POPUP)) as any;
    expect(reply.added).toBe(1);
    expect(reply.problems).toEqual([
      'line 2: not valid JSON',
      'line 3: expected_locale: "xx_YY" uses "_"; BCP 47 tags use "-": did you mean "xx-YY"?',
      'line 4: answer: must be at most 200,000 characters',
      expect.stringMatching(/^line 5: Unrecognized key/),
      `line 6: report ${good.id} appears twice in the file; kept the first`,
    ]);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('shows the drift warning on the badge while a supported page cannot be read', async () => {
    const { send, badges } = await startBackground();
    await send({ type: 'page-status', site: 'claude', answers: 0, unreadable: true }, { ...CHATGPT_TAB, url: 'https://claude.ai/chat/1' });
    expect(badges.at(-1)).toEqual({ count: 0, warning: 'claude' });
    expect(await send({ type: 'get-state' }, POPUP)).toMatchObject({ unreadable: ['claude'] });
    await send({ type: 'page-status', site: 'claude', answers: 3, unreadable: false }, { ...CHATGPT_TAB, url: 'https://claude.ai/chat/1' });
    expect(badges.at(-1)).toEqual({ count: 0, warning: undefined });
  });

  it('keeps an unreadable page’s structure for the popup’s bug-report button, and forgets it once the page reads', async () => {
    const { send } = await startBackground();
    const tab = { ...CHATGPT_TAB, url: 'https://claude.ai/chat/1' };
    const fingerprint = 'sounds-local page structure v1 (tags, attribute names, class prefixes; no text)\nmain\n  div.thread';
    await send({ type: 'page-status', site: 'claude', answers: 0, unreadable: true, fingerprint }, tab);
    expect(await send({ type: 'get-state' }, POPUP)).toMatchObject({ drift: [{ site: 'claude', fingerprint }] });
    await send({ type: 'page-status', site: 'claude', answers: 2, unreadable: false }, tab);
    expect(await send({ type: 'get-state' }, POPUP)).toMatchObject({ unreadable: [], drift: [] });
  });

  it('refuses a page structure over its size cap', async () => {
    const { send } = await startBackground();
    const reply = await send({ type: 'page-status', site: 'claude', answers: 0, unreadable: true, fingerprint: 'div\n'.repeat(5_000) }, CHATGPT_TAB);
    expect(reply).toMatchObject({ ok: false });
    expect(await send({ type: 'get-state' }, POPUP)).toMatchObject({ unreadable: [], drift: [] });
  });
});

describe('the context-menu fallback on any page', () => {
  it('makes a draft from the selected text, site other, URL kept locally without its query', async () => {
    const { background, send } = await startBackground();
    const reply = (await background.captureSelection('  Prices start at $20 a month.  ', 'https://news.example/article?token=secret#x')) as any;
    expect(reply.ok).toBe(true);
    const { report } = (await send({ type: 'get-report', id: reply.report_id }, POPUP)) as any;
    expect(report).toMatchObject({ site: 'other', answer: 'Prices start at $20 a month.', page_url: 'https://news.example/article', status: 'draft' });
  });

  it('knows a chatbot page from its URL', async () => {
    const { background, send } = await startBackground();
    const reply = (await background.captureSelection('視頻', 'https://chatgpt.com/c/1')) as any;
    expect(((await send({ type: 'get-report', id: reply.report_id }, POPUP)) as any).report.site).toBe('chatgpt');
  });

  it('refuses an empty selection with a readable message', async () => {
    const { background } = await startBackground();
    expect(await background.captureSelection('   ', 'https://x.example/')).toEqual({ ok: false, error: "Select the text that doesn't sound local first." });
  });
});
