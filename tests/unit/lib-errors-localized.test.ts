// @vitest-environment node
// Errors and validation messages made in lib/ reach the user (the editor, the upload status,
// the options), so they speak the UI language like the rest of the UI, numbers included.
// Each test renders the same failure in English and in another UI language: an English text
// left in lib/ makes them equal, and the test fails.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalizeLocale } from '../../lib/locale';
import { loadUiLanguage } from '../../lib/ui/i18n';
import { LIMITS, Report, describeIssues } from '../../lib/report';
import { parseJsonl } from '../../lib/jsonl';
import { makeReport } from '../helpers/reports';
import { CHATGPT_TAB, POPUP, startBackground } from '../helpers/background';
import { classify, sendBatch } from '../../lib/upload/send';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { readMessages, speak, stopSpeaking } from '../helpers/ui-language';

const servers: Server[] = [];
afterEach(async () => {
  stopSpeaking();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => (s.closeAllConnections(), s.close(() => done())))));
});

/** The same call in English and in `tag`. */
async function inEnglishAnd<T>(tag: string, make: () => T | Promise<T>): Promise<[T, T]> {
  stopSpeaking();
  const english = await make();
  speak(tag);
  const other = await make();
  return [english, other];
}

const errorOf = (result: { ok: boolean; error?: string }) => (result.ok ? undefined : result.error);

describe('locale validation', () => {
  it('asks for a locale in German and Arabic when the field is empty', async () => {
    const [en, de] = await inEnglishAnd('de', () => errorOf(canonicalizeLocale('')));
    expect(en).toBe('Enter a locale, for example pt-BR or zh-TW.');
    expect(de).toBe(readMessages('de').errLocaleEmpty!.message);
    const [, ar] = await inEnglishAnd('ar', () => errorOf(canonicalizeLocale('')));
    expect(ar).toBe(readMessages('ar').errLocaleEmpty!.message);
    expect(new Set([en, de, ar]).size).toBe(3);
  });

  it('suggests the hyphenated tag in the UI language, also for an answer it remembered in English', async () => {
    const [en, de] = await inEnglishAnd('de', () => errorOf(canonicalizeLocale('pt_BR')));
    expect(en).toBe('"pt_BR" uses "_"; BCP 47 tags use "-": did you mean "pt-BR"?');
    expect(de).toBe('„pt_BR“ enthält „_“; BCP-47-Tags verwenden „-“: Meinten Sie „pt-BR“?');
  });

  it('says a typo is no locale in Arabic, keeping what the user typed', async () => {
    const [en, ar] = await inEnglishAnd('ar', () => errorOf(canonicalizeLocale('english')));
    expect(en).toMatch(/^"english" is not a valid BCP 47 locale tag/);
    // What the user typed keeps its own direction inside the Arabic sentence (FSI…PDI).
    expect(ar).toContain('"\u2068english\u2069"');
    expect(ar).toMatch(/[\u0600-\u06FF]/);
    expect(ar).not.toContain('is not a valid');
  });
});

describe('endpoint answers', () => {
  it('says a 503 is a server problem in German, quoting the endpoint’s own words', async () => {
    const [en, de] = await inEnglishAnd('de', () => classify(503, '{"error":"Wartung"}', null, 0));
    expect(en).toMatchObject({ kind: 'retry', error: 'The endpoint answered 503: a server problem (“Wartung”)' });
    expect(de).toMatchObject({ kind: 'retry', error: 'Der Endpunkt hat 503 geantwortet: ein Serverproblem („Wartung“)' });
  });

  it('speaks Arabic for every status the client explains', async () => {
    const ar = readMessages('ar');
    const arabic = /[\u0600-\u06FF]/;
    for (const status of [400, 401, 403, 404, 408, 413, 418, 422, 429, 500, 503]) {
      const [en, other] = await inEnglishAnd('ar', () => classify(status, '{"error":"x"}', null, 0));
      const text = 'error' in other ? other.error : '';
      expect(text, `status ${status}`).toMatch(arabic);
      expect(text, `status ${status}`).not.toBe('error' in en ? en.error : '');
    }
    const [, notJson] = await inEnglishAnd('ar', () => classify(200, '<html>proxy</html>', null, 0));
    expect(notJson).toMatchObject({ kind: 'retry', error: expect.stringContaining(ar.errBodyBegan!.message.split('«')[0]!.trim()) });
  });

  it('formats the seconds of a timeout for German (1,5 s), against a real endpoint that never answers', async () => {
    const server = createServer(() => {
      // Never answers.
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const batch = {
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      report_ids: [],
      payload: [],
      endpoint,
      client: SAMPLE_CLIENT,
      created_at: new Date(0).toISOString(),
      attempts: 0,
      next_attempt_at: 0,
    };
    speak('de');
    const outcome = await sendBatch(batch, { fetch, timeoutMs: 1_500, now: Date.now });
    expect(outcome).toEqual({ kind: 'retry', error: 'Der Endpunkt hat nicht innerhalb von 1,5 s geantwortet' });
  });
});

describe('validation problems (zod)', () => {
  const problems = (candidate: unknown) => {
    const parsed = Report.safeParse(candidate);
    return parsed.success ? [] : describeIssues(parsed.error);
  };

  it('says what is wrong in German, with the field path as it is and the limit formatted for German', async () => {
    const bad = { ...makeReport(), answer: 'a'.repeat(LIMITS.answer + 1), created_at: '2026-11-01 10:00' };
    const [en, de] = await inEnglishAnd('de', () => problems(bad));
    expect(en).toEqual(['created_at: must be an ISO 8601 UTC timestamp ending in Z', 'answer: must be at most 200,000 characters']);
    expect(de).toEqual(['created_at: muss ein ISO-8601-Zeitstempel in UTC sein, der auf Z endet', 'answer: darf höchstens 200.000 Zeichen lang sein']);
  });

  it('uses zod’s own Arabic and Japanese texts for problems our schema has no words for', async () => {
    const bad = { ...makeReport(), site: 42 };
    const [en, ar] = await inEnglishAnd('ar', () => problems(bad));
    expect(en).toHaveLength(1);
    expect(en[0]).toMatch(/^site: /);
    expect(ar[0]).toMatch(/^site: /);
    expect(ar[0]).toMatch(/[\u0600-\u06FF]/);
    speak('ja');
    expect(problems(bad)[0]).toMatch(/^site: .*[\u3040-\u30FF\u4E00-\u9FFF]/);
  });

  it('reports an import’s bad lines in the UI language', async () => {
    const [en, de] = await inEnglishAnd('de', () => parseJsonl(`not json\n${JSON.stringify({ ...makeReport(), answer: '' })}`).errors);
    expect(en).toEqual(['line 1: not valid JSON', 'line 2: answer: must not be empty']);
    expect(de).toEqual(['Zeile 1: kein gültiges JSON', 'Zeile 2: answer: darf nicht leer sein']);
  });
});

describe('background replies', () => {
  it('answers the popup in Arabic when a report is gone, and formats the too-long answer for German', async () => {
    const { send } = await startBackground();
    speak('ar');
    const gone = await send({ type: 'get-report', id: crypto.randomUUID() }, POPUP);
    expect(gone).toEqual({ ok: false, error: readMessages('ar').errReportGone!.message });
    speak('de');
    const long = await send({ type: 'capture', site: 'chatgpt', answer: 'x'.repeat(LIMITS.answer + 5) }, CHATGPT_TAB);
    expect(long).toEqual({
      ok: false,
      error:
        'Diese Antwort ist 200.005 Zeichen lang; Sounds Local speichert Antworten bis 200.000 Zeichen. Markieren Sie den Teil, der nicht nach hier klingt, und melden Sie nur diesen.',
    });
  });

  it('refuses invalid settings with German problems', async () => {
    const { send } = await startBackground();
    speak('de');
    const reply = await send({ type: 'set-settings', settings: { endpoint: 'http://example.org' } }, POPUP);
    expect(reply).toMatchObject({ ok: false, error: expect.stringMatching(/^Meldungen werden nur über https gesendet/) });
  });
});

describe('the user’s own choice of UI language', () => {
  afterEach(() => loadUiLanguage(undefined));

  it('is followed by lib/ errors over the browser’s language (the background loads the chosen file)', async () => {
    // The browser speaks English; the user chose Vietnamese in the options.
    stopSpeaking();
    await loadUiLanguage('vi', async (folder) => readMessages(folder));
    expect(errorOf(canonicalizeLocale(''))).toBe(readMessages('vi').errLocaleEmpty!.message);
    expect(classify(429, '', null, 0)).toMatchObject({ error: 'Điểm nhận trả về 429: hiện có quá nhiều lượt tải lên' });
  });
});
