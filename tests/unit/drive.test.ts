import { describe, expect, it } from 'vitest';
import {
  DriveManifest,
  JOIN_CODE_ALPHABET,
  MAX_MANIFEST_BYTES,
  consentChanges,
  driveState,
  formatJoinCode,
  guidelinesFor,
  httpsProblem,
  isDriveActive,
  isSecureUrl,
  joinCodeFor,
  manifestProblems,
  manifestUrl,
  minVotes,
  normalizeJoinCode,
  parseJoinInput,
  parseManifest,
  randomJoinCode,
} from '../../lib/drive';

const TW = {
  id: 'tw-2026',
  name: '台灣華語在地化 2026',
  organizer: 'g0v locale group',
  description: 'Mark mainland vocabulary in answers meant for Taiwan.',
  locales: ['zh-TW'],
  endpoint: 'https://data.example.org/sounds-local',
  guidelines: { en: 'Mark 視頻 → 影片 and similar.', 'zh-TW': '請標記「視頻」等用語。' },
  categories: ['regional_vocabulary', 'wrong_script'],
  license: 'CC-BY-4.0',
  privacy_url: 'https://data.example.org/privacy',
  starts_at: '2026-12-01T00:00:00Z',
  ends_at: '2027-01-01T00:00:00Z',
  requires_token: true,
  goal_reports: 500,
};
const AT = 'https://data.example.org/sounds-local/v1/drives/tw-2026';

describe('DriveManifest', () => {
  it('accepts a complete manifest served from its own endpoint', () => {
    expect(parseManifest(JSON.stringify(TW), { url: AT, strict: true })).toEqual({ ok: true, manifest: TW });
  });

  it('accepts the smallest manifest: plain-text guidelines, no optional fields', () => {
    const { categories: _c, starts_at: _s, ends_at: _e, goal_reports: _g, ...minimal } = TW;
    expect(manifestProblems({ ...minimal, guidelines: 'Be kind.', requires_token: false }, { strict: true })).toEqual([]);
  });

  it('rejects an unknown licence and lists the known ones', () => {
    const problems = manifestProblems({ ...TW, license: 'WTFPL' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^license: license must be one of CC0-1\.0, CC-BY-4\.0, CC-BY-SA-4\.0/);
  });

  it('gives one line per problem, each naming its field', () => {
    const problems = manifestProblems({
      ...TW,
      locales: ['zh_TW', 'zh-Hant-TW', 'zh-TW'],
      categories: ['regional_vocabulary', 'slang'],
      privacy_url: 'http://data.example.org/privacy',
      ends_at: '2026-11-01T00:00:00Z',
      goal_reports: 0,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^locales\[0\]: "zh_TW" uses "_".*"zh-TW"/),
      expect.stringMatching(/^locales\[2\]: "zh-TW" is the same locale as "zh-Hant-TW"/),
      expect.stringMatching(/^categories\[1\]: is not a category code/),
      expect.stringMatching(/^privacy_url: privacy_url must use https/),
      expect.stringMatching(/^goal_reports: goal_reports must be at least 1/),
      'ends_at: ends_at must be after starts_at',
    ]);
  });

  it('names missing required fields', () => {
    const problems = manifestProblems({ id: 'x' });
    for (const field of ['name', 'organizer', 'description', 'locales', 'endpoint', 'guidelines', 'license', 'privacy_url', 'requires_token'])
      expect(problems, field).toContain(`${field}: ${field} is missing`);
    expect(manifestProblems({ ...TW, requires_token: 'yes' })).toEqual(['requires_token: requires_token must be true (members need an access token) or false']);
  });

  it('refuses ids that could walk out of the drives folder or break a URL', () => {
    for (const id of ['../etc', 'a/b', '', '.hidden', 'x'.repeat(129), 'ü']) expect(DriveManifest.safeParse({ ...TW, id }).success, id).toBe(false);
  });

  it('refuses an endpoint over plain http except on localhost, and with credentials', () => {
    expect(manifestProblems({ ...TW, endpoint: 'http://data.example.org' })[0]).toMatch(/^endpoint: Reports are only sent over https/);
    expect(manifestProblems({ ...TW, endpoint: 'http://127.0.0.1:8787' })).toEqual([]);
    expect(manifestProblems({ ...TW, endpoint: 'https://u:p@data.example.org' })[0]).toMatch(/user name or password/);
  });

  it('refuses guidelines that are empty or keyed by something other than a language tag', () => {
    expect(manifestProblems({ ...TW, guidelines: '  ' })).toHaveLength(1);
    expect(manifestProblems({ ...TW, guidelines: {} })).toHaveLength(1);
    expect(manifestProblems({ ...TW, guidelines: { english: 'x' } }).join()).toMatch(/english|guidelines/);
  });

  it('validates review.min_votes and defaults it to 2', () => {
    expect(minVotes(DriveManifest.parse(TW))).toBe(2);
    expect(minVotes(DriveManifest.parse({ ...TW, review: { min_votes: 3 } }))).toBe(3);
    expect(manifestProblems({ ...TW, review: { min_votes: 0 } })).toEqual(['review.min_votes: review.min_votes must be at least 1']);
    expect(manifestProblems({ ...TW, review: { quorum: 3 } })[0]).toMatch(/^review/);
  });

  it('keeps fields it does not know when loading, but the strict (organiser) check names them with a hint', () => {
    const withTypo = { ...TW, licence: 'CC0-1.0', organiser: 'x', colour: 'red' };
    expect(parseManifest(withTypo).ok).toBe(true);
    expect(manifestProblems(withTypo, { strict: true })).toEqual([
      'licence: unknown field; did you mean "license"?',
      'organiser: unknown field; did you mean "organizer"?',
      expect.stringMatching(/^colour: unknown field \(known fields: id, name/),
    ]);
  });

  it('refuses a manifest larger than 64 kB before parsing it', () => {
    const big = JSON.stringify({ ...TW, description: 'x'.repeat(MAX_MANIFEST_BYTES) });
    expect(manifestProblems(big)).toEqual([expect.stringMatching(/at most 65,536 bytes \(64 kB\)/)]);
  });

  it('says when the text is not JSON or not an object', () => {
    expect(manifestProblems('{"id": ')[0]).toMatch(/^The manifest is not valid JSON/);
    expect(manifestProblems('[1,2]')).toEqual(['The manifest must be a JSON object ({ "id": …, "name": …, … }).']);
  });

  it('refuses a manifest fetched over plain http from a non-local host', () => {
    expect(manifestProblems(TW, { url: 'http://data.example.org/sounds-local/v1/drives/tw-2026' })).toEqual([
      expect.stringMatching(/^The manifest address must use https/),
    ]);
  });

  it('refuses an endpoint on another origin unless the manifest declares endpoint_cross_origin', () => {
    const elsewhere = 'https://community.example.net/drives/tw.json';
    expect(manifestProblems(TW, { url: elsewhere })).toEqual([
      'endpoint: reports would go to https://data.example.org, but the manifest is served from https://community.example.net; a drive sending reports to another site must say "endpoint_cross_origin": true.',
    ]);
    expect(manifestProblems({ ...TW, endpoint_cross_origin: true }, { url: elsewhere })).toEqual([]);
    expect(manifestProblems(TW, { url: 'https://data.example.org/other/path' })).toEqual([]);
  });
});

describe('https check', () => {
  it('allows https anywhere and http only to localhost and 127.0.0.1', () => {
    expect(isSecureUrl('https://example.org/x')).toBe(true);
    expect(isSecureUrl('http://localhost:3000/x')).toBe(true);
    expect(isSecureUrl('http://127.0.0.1/x')).toBe(true);
    expect(isSecureUrl('http://localhost.evil.com/x')).toBe(false);
    expect(isSecureUrl('http://10.0.0.1/x')).toBe(false);
    expect(isSecureUrl('ftp://example.org')).toBe(false);
    expect(isSecureUrl('not a url')).toBe(false);
    expect(httpsProblem('javascript:alert(1)', 'privacy_url')).toMatch(/must be an https:\/\/ address/);
  });
});

describe('join codes', () => {
  it('makes 8-character codes from an alphabet without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const code = randomJoinCode();
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    }
    for (const ch of '01ILOU') expect(JOIN_CODE_ALPHABET).not.toContain(ch);
  });

  it('reads codes forgivingly (case, spaces, dashes) and prints them as XXXX-XXXX', () => {
    expect(normalizeJoinCode(' k7qm-4xpa ')).toBe('K7QM4XPA');
    expect(normalizeJoinCode('K7QM 4XPA')).toBe('K7QM4XPA');
    expect(normalizeJoinCode('K7QM4XP0')).toBeUndefined(); // 0 is not in the alphabet
    expect(normalizeJoinCode('K7QM4XP')).toBeUndefined();
    expect(formatJoinCode('k7qm4xpa')).toBe('K7QM-4XPA');
  });

  it('turns a join code into its receiver and lookup address (https by default)', () => {
    expect(parseJoinInput('data.example.org/K7QM-4XPA')).toEqual({
      ok: true,
      kind: 'code',
      endpoint: 'https://data.example.org',
      code: 'K7QM4XPA',
      lookupUrl: 'https://data.example.org/v1/drives?code=K7QM4XPA',
    });
    expect(parseJoinInput('data.example.org/sounds-local/k7qm4xpa')).toMatchObject({
      endpoint: 'https://data.example.org/sounds-local',
      lookupUrl: 'https://data.example.org/sounds-local/v1/drives?code=K7QM4XPA',
    });
  });

  it('uses plain http for a local receiver, with its port', () => {
    expect(parseJoinInput('127.0.0.1:8787/K7QM-4XPA')).toMatchObject({ kind: 'code', endpoint: 'http://127.0.0.1:8787' });
    expect(parseJoinInput('localhost:8787/K7QM-4XPA')).toMatchObject({ kind: 'code', endpoint: 'http://localhost:8787' });
  });

  it('round-trips joinCodeFor → parseJoinInput', () => {
    for (const endpoint of ['https://data.example.org', 'https://data.example.org/sl', 'http://127.0.0.1:41234']) {
      const shown = joinCodeFor(endpoint, 'K7QM4XPA');
      expect(parseJoinInput(shown)).toMatchObject({ kind: 'code', endpoint, code: 'K7QM4XPA' });
    }
    expect(joinCodeFor('http://127.0.0.1:41234', 'K7QM4XPA')).toBe('127.0.0.1:41234/K7QM-4XPA');
  });

  it('reads a join link as the manifest address', () => {
    expect(parseJoinInput(' https://data.example.org/sounds-local/v1/drives/tw-2026 ')).toEqual({
      ok: true,
      kind: 'link',
      manifestUrl: 'https://data.example.org/sounds-local/v1/drives/tw-2026',
    });
    expect(manifestUrl('https://data.example.org/sounds-local/', 'tw-2026')).toBe('https://data.example.org/sounds-local/v1/drives/tw-2026');
  });

  it('explains what is wrong with input that is neither', () => {
    const http = parseJoinInput('http://data.example.org/v1/drives/tw-2026');
    expect(http).toMatchObject({ ok: false, error: expect.stringMatching(/must use https/) });
    expect(parseJoinInput('K7QM-4XPA')).toMatchObject({ ok: false, error: expect.stringMatching(/without its receiver.*data\.example\.org\/K7QM-4XPA/) });
    expect(parseJoinInput('hello world')).toMatchObject({ ok: false, error: expect.stringMatching(/neither a join link/) });
    expect(parseJoinInput('')).toMatchObject({ ok: false });
    expect(parseJoinInput('http://data.example.org/K7QM-4XPA')).toMatchObject({ ok: false, error: expect.stringMatching(/https/) });
  });
});

describe('drive state', () => {
  const manifest = DriveManifest.parse(TW);
  it('is active between starts_at (inclusive) and ends_at (exclusive)', () => {
    expect(driveState(manifest, new Date('2026-11-30T23:59:59Z'))).toBe('upcoming');
    expect(isDriveActive(manifest, new Date('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isDriveActive(manifest, Date.parse('2026-12-31T23:59:59Z'))).toBe(true);
    expect(driveState(manifest, new Date('2027-01-01T00:00:00Z'))).toBe('ended');
  });

  it('is active forever without dates, and closed once the organiser closes it', () => {
    expect(isDriveActive({}, new Date('1990-01-01T00:00:00Z'))).toBe(true);
    const closed = { ...manifest, closed_at: '2026-12-10T00:00:00Z' };
    expect(driveState(closed, new Date('2026-12-09T00:00:00Z'))).toBe('active');
    expect(driveState(closed, new Date('2026-12-10T00:00:00Z'))).toBe('closed');
  });
});

describe('guidelinesFor', () => {
  const g = { en: 'English', 'zh-TW': '中文', pt: 'Português' };
  it('picks the exact UI language, then the same language, then English', () => {
    expect(guidelinesFor(g, ['zh-TW', 'en'])).toEqual({ language: 'zh-TW', text: '中文' });
    expect(guidelinesFor(g, ['pt-BR'])).toEqual({ language: 'pt', text: 'Português' });
    expect(guidelinesFor(g, ['de-DE'])).toEqual({ language: 'en', text: 'English' });
    expect(guidelinesFor('Plain', ['de'])).toEqual({ text: 'Plain' });
  });
});

describe('consentChanges', () => {
  const agreed = DriveManifest.parse(TW);
  it('names the fields whose change needs a new agreement, ignoring other edits', () => {
    expect(consentChanges(agreed, { ...agreed, description: 'new text', goal_reports: 900 })).toEqual([]);
    expect(consentChanges(agreed, { ...agreed, endpoint: 'https://data.example.org/sounds-local/' })).toEqual([]);
    expect(consentChanges(agreed, { ...agreed, name: 'Other', license: 'CC0-1.0', endpoint: 'https://evil.example' })).toEqual(['name', 'endpoint', 'license']);
  });
});
