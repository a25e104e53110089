import { describe, expect, it } from 'vitest';
import {
  OWNER_KEY_PATTERN,
  PROTOCOL,
  StatsResponse,
  UploadRequest,
  UploadResponse,
  ownerKeyHash,
  reportsUrl,
  statsUrl,
  validateEndpoint,
} from '../../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../helpers/sample-reports';

describe('validateEndpoint', () => {
  it('accepts https endpoints and normalises a trailing slash away', () => {
    expect(validateEndpoint(' https://data.example.org/sounds-local/ ')).toEqual({
      ok: true,
      url: 'https://data.example.org/sounds-local',
      origin: 'https://data.example.org',
      permissionPattern: 'https://data.example.org/*',
    });
  });

  it('accepts plain http only for localhost and 127.0.0.1, on any port', () => {
    expect(validateEndpoint('http://localhost:8787')).toMatchObject({ ok: true, url: 'http://localhost:8787', permissionPattern: 'http://localhost/*' });
    expect(validateEndpoint('http://127.0.0.1:41234/')).toMatchObject({ ok: true, url: 'http://127.0.0.1:41234', permissionPattern: 'http://127.0.0.1/*' });
  });

  it('refuses plain http elsewhere and says how to fix it', () => {
    const check = validateEndpoint('http://data.example.org/api');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain('https://data.example.org/api');
    expect(validateEndpoint('http://192.168.1.5:8787').ok).toBe(false);
    expect(validateEndpoint('http://localhost.evil.com').ok).toBe(false);
  });

  it.each([
    ['', 'Enter the endpoint'],
    ['data.example.org', 'not a web address'],
    ['ftp://data.example.org', 'not supported'],
    ['https://user:pw@data.example.org', 'user name or password'],
    ['https://data.example.org/?key=1', '"?" or "#"'],
  ])('refuses %j with a readable error', (input, message) => {
    const check = validateEndpoint(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error).toContain(message);
  });

  it('builds the protocol paths from the base URL', () => {
    expect(reportsUrl('https://x.org/api')).toBe('https://x.org/api/v1/reports');
    expect(statsUrl('https://x.org', 'tw drive')).toBe('https://x.org/v1/stats?drive=tw%20drive');
  });
});

describe('protocol schemas', () => {
  it('reads an upload request envelope without judging its reports', () => {
    const parsed = UploadRequest.safeParse({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [sampleUploaded(1), { junk: true }] });
    expect(parsed.success).toBe(true);
  });

  it('refuses another protocol version and unknown envelope fields', () => {
    expect(UploadRequest.safeParse({ protocol: 'sounds-local/upload@2', client: SAMPLE_CLIENT, reports: [] }).success).toBe(false);
    expect(UploadRequest.safeParse({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: [], extra: 1 }).success).toBe(false);
  });

  it('reads responses leniently so newer receivers can add fields', () => {
    expect(UploadResponse.safeParse({ results: [{ id: 'a', status: 'accepted', server_time: 1 }], version: 2 }).success).toBe(true);
    expect(UploadResponse.safeParse({ results: [{ id: 'a', status: 'maybe' }] }).success).toBe(false);
    expect(
      StatsResponse.safeParse({
        drive_id: null,
        reports: 1,
        by_locale: { 'zh-TW': 1 },
        by_category: { units: 2 },
        by_status: { accepted: 1, duplicate: 0, rejected: 0 },
      }).success,
    ).toBe(true);
  });
});

describe('owner keys (DESIGN §8a)', () => {
  it('hashes the key text as sent in the Owner-Key header to lower-case hex SHA-256', async () => {
    // sha256("abc") is the FIPS 180-2 test vector.
    expect(await ownerKeyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const { createHash } = await import('node:crypto');
    const key = 'q3JtX0Xv9lq1w9c0mZt3e8d1K2b7a6Q4r5S6t7U8v9w';
    expect(await ownerKeyHash(key)).toBe(createHash('sha256').update(key, 'utf8').digest('hex'));
    expect(OWNER_KEY_PATTERN.test(key)).toBe(true);
    expect(OWNER_KEY_PATTERN.test('short')).toBe(false);
  });
});
