// @vitest-environment node
// Fuzzing the real receiver process: 10,000 requests with random and mutated bodies,
// headers, methods and paths (a seeded generator, so a failure names a case that can be
// replayed), sent 16 at a time, each on its own connection, over HTTP plus some as raw
// bytes on a socket. What must hold:
// - no 5xx answer and no "error:" line (the receiver's last-resort handler) in its log;
// - the process is alive and healthy at the end;
// - nothing invalid is stored: the rows added equal the reports the receiver answered
//   `accepted`, and every stored report passes the shared schema (UploadedReport).
// FUZZ_SEED and FUZZ_CASES override the defaults.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL } from '../lib/protocol';
import { UploadedReport } from '../lib/report';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { startReceiver, type ReceiverProcess } from './testing';

const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const CONCURRENCY = 16;

let receiver: ReceiverProcess;
let shmDir: string | undefined;
beforeAll(async () => {
  receiver = await startReceiver({
    // A real SQLite file on tmpfs where there is one: every answered batch is a transaction
    // with an fsync, and the fuzz is about request handling, not the disk.
    dataDir: existsSync('/dev/shm') ? (shmDir = mkdtempSync('/dev/shm/sounds-local-fuzz-')) : undefined,
    // The fuzz aims at parsing and validation, not at the per-client limits (guard.test.ts):
    // one address sends everything, so the rate limit is off and the caps above 16 at once.
    env: { RATE_LIMIT: '0', MAX_UPLOADS_PER_IP: '64', MAX_UPLOADS: '64', MAX_CONNECTIONS_PER_IP: '128', IDLE_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '3000' },
  });
});
afterAll(async () => {
  await receiver?.stop();
  if (shmDir) rmSync(shmDir, { recursive: true, force: true });
});

/** Mulberry32: a small seeded generator, reproducible cases. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof generator>;

const ODD_STRINGS = [
  '',
  ' ',
  'x'.repeat(300),
  '\u0000',
  '\ud800',
  '\uffff',
  '💥'.repeat(50),
  '<script>alert(1)</script>',
  "'; DROP TABLE reports; --",
  '=HYPERLINK("x")',
  '../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'zh-TW',
  'en-x-private',
  'sounds-local/upload@1',
  '00000000-0000-4000-8000-000000000000',
  'NaN',
  '1e999',
];

function oddValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 8 : 11)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, -0]);
    case 3:
      return r.pick(ODD_STRINGS);
    case 4:
      return 'y'.repeat(r.int(5_000));
    case 5:
      return r.chance(0.02) ? 'z'.repeat(200_001) : String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.int(0xffff)));
    case 6:
      return [];
    case 7:
      return {};
    case 8:
      return Array.from({ length: r.int(r.chance(0.05) ? 130 : 4) }, () => oddValue(r, depth + 1));
    case 9:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(ODD_STRINGS), oddValue(r, depth + 1)]));
    default:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
  }
}

/** Every (container, key) in a JSON value, to mutate one at random. */
function slots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), slots(v, out)));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([value as Record<string, unknown>, k]), slots(v, out);
  return out;
}

function validBatch(r: Random, n: number) {
  const count = 1 + r.int(3);
  // A deep copy: structural mutations must not reach the shared SAMPLE_CLIENT.
  return structuredClone({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports: Array.from({ length: count }, (_, i) => sampleUploaded(100_000 + n * 4 + i)) });
}

/** A JSON batch with one to three structural changes: a value replaced, a key dropped or renamed. */
function structurallyMutated(r: Random, n: number): string {
  const batch: unknown = validBatch(r, n);
  for (let k = 1 + r.int(3); k > 0; k--) {
    const all = slots(batch);
    const [container, key] = r.pick(all);
    const action = r.int(4);
    if (action === 0 && !Array.isArray(container)) delete (container as Record<string, unknown>)[key as string];
    else if (action === 1 && !Array.isArray(container)) {
      const value = (container as Record<string, unknown>)[key as string];
      delete (container as Record<string, unknown>)[key as string];
      (container as Record<string, unknown>)[r.pick(ODD_STRINGS) || `${String(key)}_`] = value;
    } else (container as Record<string, unknown>)[key as string] = oddValue(r);
  }
  return JSON.stringify(batch);
}

/** A serialized batch with bytes flipped, inserted, cut or repeated. */
function textuallyMutated(r: Random, n: number): string {
  let text = JSON.stringify(validBatch(r, n));
  for (let k = 1 + r.int(4); k > 0; k--) {
    const at = r.int(text.length);
    switch (r.int(5)) {
      case 0:
        text = text.slice(0, at) + String.fromCharCode(r.int(128)) + text.slice(at + 1);
        break;
      case 1:
        text = text.slice(0, at) + r.pick(['{', '}', '[', ']', '"', ',', ':', '\\', '\\u', 'null', '-', '1e', '\u0000']) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at);
        break;
      case 3:
        text = text.slice(0, at) + text.slice(at, at + r.int(200)).repeat(2 + r.int(3)) + text.slice(at);
        break;
      default:
        text = text.slice(0, at) + text.slice(at + r.int(100));
        break;
    }
  }
  return text;
}

function randomBody(r: Random): string | Buffer {
  switch (r.int(5)) {
    case 0:
      return Buffer.from(Array.from({ length: r.int(4_000) }, () => r.int(256)));
    case 1:
      return JSON.stringify(oddValue(r));
    case 2:
      return '{'.repeat(r.int(100_000));
    case 3:
      return '[' + '1,'.repeat(r.int(50_000)) + '1]';
    default:
      return ' '.repeat(r.int(100)) + '{"protocol":"sounds-local/upload@1","reports":' + JSON.stringify(oddValue(r)) + '}';
  }
}

/** Percent-encodes; a lone surrogate (which encodeURIComponent refuses) becomes its raw UTF-8 bytes. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

function randomPath(r: Random): string {
  return r.pick([
    () => '/v1/reports',
    () => '/v1/reports/',
    () => '/v1/reports?x=' + enc(r.pick(ODD_STRINGS)),
    () => '/v1/stats',
    () => '/v1/stats?drive=' + enc(r.pick(ODD_STRINGS)),
    () => '/v1/stats?drive=%E0%A4%A',
    () => '/v1/drives/' + enc(r.pick(ODD_STRINGS)),
    () => '/v1/drives/%2e%2e%2f' + 'a'.repeat(r.int(300)),
    () => '/v1/health',
    () => '/' + 'a/'.repeat(r.int(2_000)),
    () => '//v1//reports',
    () => '/v1/' + Array.from({ length: r.int(20) }, () => '%' + r.int(256).toString(16).padStart(2, '0')).join(''),
    () => '*',
  ])();
}

interface Case {
  n: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The connection may be closed without an answer (a body that never completes). */
  mayHangUp?: boolean;
}

function makeCase(r: Random, n: number): Case {
  const kind = r.int(100);
  const method = kind < 70 ? 'POST' : r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'PROPFIND']);
  const path = kind < 60 ? '/v1/reports' : randomPath(r);
  const body = kind < 30 ? structurallyMutated(r, n) : kind < 50 ? textuallyMutated(r, n) : kind < 58 ? JSON.stringify(validBatch(r, n)) : randomBody(r);
  const headers: Record<string, string> = {
    'Content-Type': r.chance(0.9)
      ? 'application/json'
      : r.pick(['text/plain', 'application/jsonp', 'application/json; charset=latin1', '', 'multipart/form-data; boundary=x', 'APPLICATION/JSON']),
    'Idempotency-Key': r.chance(0.9) ? randomUUID() : r.pick(['', 'short', 'x'.repeat(200), 'has space in it', '../../etc', 'ünïcödé-key-123']),
  };
  if (r.chance(0.1)) headers.Authorization = r.pick(['Bearer ', 'Bearer x', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'Bearer ' + 'a'.repeat(2_000)]);
  if (r.chance(0.1)) headers.Origin = r.pick(['chrome-extension://abcdefghijklmnop', 'https://evil.example', 'null', 'moz-extension://x']);
  if (r.chance(0.03)) headers.Host = r.pick(['evil.example', '', '127.0.0.1:1', 'localhost:' + receiver.port, '[::1]']);
  if (r.chance(0.05)) headers['X-Forwarded-For'] = r.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  if (r.chance(0.03)) headers['Content-Encoding'] = r.pick(['gzip', 'br', 'identity']);
  const buffer = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  // Rarely, a Content-Length that promises more than is sent: the receiver must time it out.
  if (buffer && r.chance(0.002))
    return { n, method, path, headers: { ...headers, 'Content-Length': String(buffer.length + 10) }, body: buffer, mayHangUp: true };
  const sent = method === 'GET' || method === 'HEAD' ? (r.chance(0.1) ? buffer : undefined) : buffer;
  // Node's client frames a DELETE or OPTIONS body only with an explicit Content-Length.
  return { n, method, path, headers: sent ? { ...headers, 'Content-Length': String(sent.length) } : headers, body: sent };
}

interface Outcome {
  status?: number;
  text: string;
  error?: string;
}

/**
 * Sends a case on a connection of its own: cases that break a connection (a parse error,
 * an early answer to a body still being sent) must not be blamed on the next case.
 */
function sendCase(c: Case): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: receiver.port, method: c.method, path: c.path, headers: c.headers, agent: false, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: res.statusCode, text: '', error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
    req.on('error', (error) => resolve({ text: '', error: error.message }));
    req.end(c.body);
  });
}

/** Raw bytes on a socket: request lines and headers Node's own client would refuse to send. */
function sendRaw(bytes: Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: receiver.port });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (received += c));
    socket.on('error', () => {});
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('close', () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      resolve({ status: status ? Number(status) : undefined, text: received });
    });
    socket.end(bytes);
  });
}

function rawCase(r: Random, n: number): Buffer {
  const valid = `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nIdempotency-Key: raw-case-${n}-key\r\nConnection: close\r\n`;
  const body = JSON.stringify(validBatch(r, n));
  const text = r.pick([
    () => `${valid}Content-Length: ${body.length}\r\n\r\n${body}`,
    () => `${valid}Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    () => `${valid}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n${body}`,
    () => `${valid}Content-Length: 5\r\nContent-Length: 7\r\n\r\n${body}`,
    () => `${valid}Content-Length: -1\r\n\r\n`,
    () => `${valid}Content-Length: 99999999999999999999\r\n\r\n`,
    () => `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\u0000b\r\n\r\n`,
    () => `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    () => `GET /v1/health HTTP/9.9\r\n\r\n`,
    () => `\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003`,
    () => `GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Many: 1\r\n'.repeat(3_000)}\r\n`,
    () => Array.from({ length: r.int(300) }, () => String.fromCharCode(r.int(256))).join(''),
  ])();
  return Buffer.from(text, 'latin1');
}

function database() {
  const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
  const rows = db.prepare('SELECT body FROM reports').all() as Array<{ body: string }>;
  db.close();
  return rows.map((r) => r.body);
}

describe('fuzzing the receiver', () => {
  it(`survives ${CASES.toLocaleString('en')} random and mutated requests: no crash, no 5xx, nothing invalid stored`, { timeout: 180_000 }, async () => {
    const rowsBefore = database().length;
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    let accepted = 0;
    let hangUps = 0;
    let next = 0;
    const started = performance.now();

    const worker = async () => {
      while (next < CASES) {
        const n = next++;
        // Each case has its own generator, so case n is the same whatever the interleaving.
        const r = generator((SEED ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
        const raw = r.chance(0.05);
        const c = raw ? undefined : makeCase(r, n);
        const outcome = raw ? await sendRaw(rawCase(r, n)) : await sendCase(c!);
        const key = outcome.status === undefined ? 'no answer' : String(outcome.status);
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (outcome.status !== undefined && outcome.status >= 500) failures.push(`case ${n}: ${outcome.status} ${outcome.text.slice(0, 200)}`);
        if (outcome.status === undefined) {
          // Raw bytes Node's parser gives up on, and bodies that never complete, may be closed unanswered.
          if (raw || c!.mayHangUp) hangUps++;
          else
            failures.push(
              `case ${n}: no answer (${outcome.error}) to ${c!.method} ${c!.path.slice(0, 80)} ${JSON.stringify(c!.headers).slice(0, 200)} ${c!.body?.length ?? 0} bytes`,
            );
        }
        if (outcome.status === 200 && c?.path.startsWith('/v1/reports') && c.method === 'POST') {
          const results = (JSON.parse(outcome.text) as { results: Array<{ status: string }> }).results;
          accepted += results.filter((x) => x.status === 'accepted').length;
        }
        if (raw && outcome.status === 200) accepted += (outcome.text.match(/"status":"accepted"/g) ?? []).length;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    // Alive and healthy, and its last-resort error handler never ran.
    expect(receiver.child.exitCode).toBeNull();
    expect((await fetch(`${receiver.url}/v1/health`)).status).toBe(200);
    expect(
      receiver
        .output()
        .split('\n')
        .filter((l) => l.startsWith('error:')),
    ).toEqual([]);
    expect(failures).toEqual([]);

    // Stored exactly what was answered accepted, and all of it valid.
    const bodies = database();
    expect(bodies.length - rowsBefore).toBe(accepted);
    const invalid = bodies.filter((b) => !UploadedReport.safeParse(JSON.parse(b)).success);
    expect(invalid).toEqual([]);

    console.log(
      `fuzz: ${CASES} cases (seed ${SEED}) in ${seconds.toFixed(1)} s; answers ${JSON.stringify(statuses)}; ` +
        `${hangUps} closed unanswered (raw or incomplete); ${accepted} reports accepted and stored, ${bodies.length} rows all valid; 0 failures`,
    );
  });
});
