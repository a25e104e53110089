// @vitest-environment node
// The receiver facing the internet (server/guard.ts), against the real process: the Host
// check against DNS rebinding, per-client rate limits, connection and upload caps, header,
// request and idle timeouts, and refusing large or non-JSON bodies before parsing them.
// Two clients on one machine: 127.0.0.1 is the flood, 127.0.0.2 the honest uploader (Linux
// routes all of 127/8 to the loopback interface).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL } from '../lib/protocol';
import { SAMPLE_CLIENT, sampleUploaded } from '../tests/helpers/sample-reports';
import { startReceiver, type ReceiverProcess } from './testing';

const running: ReceiverProcess[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function receiverWith(env: Record<string, string> = {}) {
  const receiver = await startReceiver({ env: { LOG: 'quiet', ...env } });
  running.push(receiver);
  return receiver;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request on its own connection, from `from` (a loopback address), with any Host. */
function send(
  receiver: ReceiverProcess,
  options: { path?: string; method?: string; headers?: Record<string, string | number>; body?: string | Buffer; from?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: receiver.port,
        path: options.path ?? '/v1/health',
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from ?? '127.0.0.1',
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function batch(reports: unknown[]): string {
  return JSON.stringify({ protocol: PROTOCOL, client: SAMPLE_CLIENT, reports });
}

function upload(receiver: ReceiverProcess, body: string | Buffer, from = '127.0.0.1') {
  return send(receiver, {
    path: '/v1/reports',
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), 'Content-Length': Buffer.byteLength(body) },
    body,
    from,
  });
}

function storedRows(receiver: ReceiverProcess): number {
  const db = new DatabaseSync(receiver.dbPath, { readOnly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number };
  db.close();
  return n;
}

/** A raw connection that sends `text` and then nothing; resolves when it is open. */
async function stall(receiver: ReceiverProcess, text: string, from = '127.0.0.1') {
  const socket = connect({ host: '127.0.0.1', port: receiver.port, localAddress: from });
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (c: string) => (received += c));
  socket.on('error', () => {});
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  await new Promise<void>((done) => socket.once('connect', () => done()));
  if (text) socket.write(text);
  return { socket, closed, received: () => received };
}

/** An upload of `bytes` that is valid JSON but no valid batch: a hundred junk "reports". */
function junkBatch(bytes: number): string {
  const each = Math.floor(bytes / 100) - 20;
  return batch(Array.from({ length: 100 }, (_, i) => ({ id: `junk-${i}`, answer: 'x'.repeat(each) })));
}

describe('Host check (DNS rebinding)', () => {
  it('answers 421 with a readable reason to a request for another host name, and stores nothing', async () => {
    const receiver = await receiverWith();
    const evil = await send(receiver, { headers: { Host: `evil.example:${receiver.port}` } });
    expect(evil.status).toBe(421);
    expect(JSON.parse(evil.text).error).toMatch(
      /answers only to localhost, 127\.0\.0\.1, \[::1\] on port \d+, not to the host "evil\.example:\d+".*ALLOWED_HOSTS/,
    );

    const body = batch([sampleUploaded(7_001)]);
    const rebound = await send(receiver, {
      path: '/v1/reports',
      method: 'POST',
      headers: { Host: 'evil.example', 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), 'Content-Length': Buffer.byteLength(body) },
      body,
    });
    expect(rebound.status).toBe(421);
    expect(storedRows(receiver)).toBe(0);
  });

  it('accepts the loopback names with its own port, and refuses another port', async () => {
    const receiver = await receiverWith();
    for (const host of [`localhost:${receiver.port}`, `127.0.0.1:${receiver.port}`, `[::1]:${receiver.port}`, 'LOCALHOST', `localhost.:${receiver.port}`])
      expect([host, (await send(receiver, { headers: { Host: host } })).status]).toEqual([host, 200]);
    expect((await send(receiver, { headers: { Host: `localhost:${receiver.port + 1}` } })).status).toBe(421);
    expect((await send(receiver, { headers: { Host: '127.0.0.1.evil.example' } })).status).toBe(421);
  });

  it('answers to the names in ALLOWED_HOSTS (or --allowed-hosts) instead', async () => {
    const receiver = await receiverWith({ ALLOWED_HOSTS: 'dataset.example.org' });
    expect((await send(receiver, { headers: { Host: 'dataset.example.org' } })).status).toBe(200);
    expect((await send(receiver, { headers: { Host: `localhost:${receiver.port}` } })).status).toBe(421);

    const flagged = await startReceiver({ args: ['--allowed-hosts', 'a.example,b.example'], env: { LOG: 'quiet' } });
    running.push(flagged);
    expect((await send(flagged, { headers: { Host: 'b.example' } })).status).toBe(200);
    expect((await send(flagged, { headers: { Host: 'dataset.example.org' } })).status).toBe(421);
  });
});

describe('per-client limits', () => {
  it('answers 429 with Retry-After once a client spends its burst, while another client is served', async () => {
    const receiver = await receiverWith({ RATE_LIMIT: '1', RATE_BURST: '3' });
    const statuses: Answer[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await send(receiver));
    expect(statuses.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(Number(statuses[3]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(statuses[3]!.text).error).toMatch(/^Too many requests from your address; wait \d+ s/);
    expect((await send(receiver, { from: '127.0.0.2' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Number(statuses[4]!.headers['retry-after']) * 1000));
    expect((await send(receiver)).status).toBe(200);
  });

  it('charges uploads by size: one token plus one per 100 kB, declared or (chunked) counted', async () => {
    const receiver = await receiverWith({ RATE_LIMIT: '1', RATE_BURST: '30' });
    const big = junkBatch(1_500_000); // 16 tokens
    expect((await upload(receiver, big)).status).toBe(200);
    const second = await upload(receiver, big);
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(2);
    // Small batches from another address: 1 token each, ten in a row.
    for (let i = 0; i < 10; i++) expect((await upload(receiver, batch([sampleUploaded(7_200 + i)]), '127.0.0.2')).status).toBe(200);

    // Sent chunked (no Content-Length), the size is charged once the body has been read.
    const chunked = await send(receiver, {
      path: '/v1/reports',
      method: 'POST',
      from: '127.0.0.3',
      body: big,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID(), 'Transfer-Encoding': 'chunked' },
    });
    expect(chunked.status).toBe(200);
    const cheap = await upload(receiver, batch([sampleUploaded(7_300)]), '127.0.0.3');
    expect(cheap.status).toBe(200);
    expect((await upload(receiver, big, '127.0.0.3')).status).toBe(429);
  });

  it('serves an honest upload in full while twenty parallel 2 MB invalid batches are refused or rejected', async () => {
    const receiver = await receiverWith();
    const nearLimit = junkBatch(1_990_000);
    const overLimit = junkBatch(2_100_000);
    expect(Buffer.byteLength(nearLimit)).toBeLessThanOrEqual(2_000_000);
    const flood = Array.from({ length: 20 }, (_, i) => upload(receiver, i % 2 ? overLimit : nearLimit));
    const honestReports = [sampleUploaded(7_100), sampleUploaded(7_101), sampleUploaded(7_102)];
    const honest = await upload(receiver, batch(honestReports), '127.0.0.2');
    const answers = await Promise.all(flood);

    expect(honest.status).toBe(200);
    expect(JSON.parse(honest.text).results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // The flood: refused before its body is parsed — too large (413), over the address's
    // upload slots (429) or connections (503), both with Retry-After — or read and found to
    // hold no valid report (200, every report rejected). Never stored, never a server error.
    const refused = (a: Answer) => (a.status === 429 || a.status === 503) && Number(a.headers['retry-after']) >= 1;
    const allRejected = (a: Answer) => a.status === 200 && JSON.parse(a.text).results.every((r: { status: string }) => r.status === 'rejected');
    for (const [i, a] of answers.entries()) expect([i, i % 2 ? a.status === 413 || refused(a) : allRejected(a) || refused(a)]).toEqual([i, true]);
    expect(answers.filter((a) => a.status === 413).length).toBeGreaterThan(0);
    expect(answers.filter(refused).length).toBeGreaterThan(0);
    expect(storedRows(receiver)).toBe(3);
  });

  it('answers 413 to a declared oversize body before reading any of it, and 400 to a body that is not a JSON object or names another protocol', async () => {
    const receiver = await receiverWith();
    // Headers only: the answer arrives although no byte of the body was sent.
    const big = await stall(
      receiver,
      `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nIdempotency-Key: ${randomUUID()}\r\nContent-Length: 3000000\r\n\r\n`,
    );
    await expect.poll(big.received, { timeout: 5_000 }).toMatch(/^HTTP\/1\.1 413 /);
    expect(big.received()).toContain('2,000,000 bytes');

    const notJson = await upload(receiver, `[${'1,'.repeat(500_000)}1]`);
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text).error).toContain('not a JSON object');
    expect((await upload(receiver, '  \n{"protocol": 1')).status).toBe(400);
    // Another protocol named first is refused from its first bytes, however large the rest.
    const foreign = await upload(receiver, `{"protocol":"other/2","pad":"${'x'.repeat(1_500_000)}`);
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.text).error).toBe('This is not a sounds-local/upload@1 request: protocol must be "sounds-local/upload@1", not "other/2".');
  });
});

describe('connections and timeouts', () => {
  it('closes stalled connections after the idle timeout and refuses connections over the cap with 503', async () => {
    const receiver = await receiverWith({ IDLE_TIMEOUT_MS: '800', HEADERS_TIMEOUT_MS: '2000', MAX_CONNECTIONS: '30', MAX_CONNECTIONS_PER_IP: '10' });
    const head = (n: number) =>
      `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nIdempotency-Key: stalled-${n}-0000\r\nContent-Length: 1000000\r\n\r\n{"protocol":`;
    // 10 stalled uploads (half a body) and 10 connections that never say anything: the cap for 127.0.0.1.
    const stalled = await Promise.all(Array.from({ length: 20 }, (_, n) => stall(receiver, n < 10 ? head(n) : '')));

    // One more from the same address is over its cap: a readable 503, then closed.
    const extra = await send(receiver).catch((error: Error) => error);
    expect(extra).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    // Another client still gets in.
    expect((await send(receiver, { from: '127.0.0.2' })).status).toBe(200);

    // The receiver closes every stalled connection itself.
    await Promise.all(stalled.map((s) => s.closed));
    expect(stalled.every((s) => s.socket.destroyed)).toBe(true);
    // With them gone, the address is served again, and nothing half-sent was stored.
    expect((await send(receiver)).status).toBe(200);
    expect(storedRows(receiver)).toBe(0);
  });

  it('keeps memory bounded with 400 stalled half-sent uploads from 40 addresses, and closes them all', { timeout: 60_000 }, async () => {
    const receiver = await receiverWith({ IDLE_TIMEOUT_MS: '5000', MAX_CONNECTIONS: '100', LOG: 'lines' });
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${receiver.child.pid}/status`, 'utf8'))![1]) / 1024;
    const before = rss();
    const part = 'x'.repeat(1_000_000);
    const stalled = await Promise.all(
      Array.from({ length: 400 }, (_, n) =>
        stall(
          receiver,
          `POST /v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nIdempotency-Key: stalled-${n}-0000\r\nContent-Length: 1900000\r\n\r\n{"protocol":"${part}`,
          `127.0.0.${11 + (n % 40)}`,
        ),
      ),
    );
    let peak = before;
    const watch = setInterval(() => (peak = Math.max(peak, rss())), 100);
    await Promise.all(stalled.map((s) => s.closed));
    clearInterval(watch);
    // Over the cap of 100 open connections, newcomers were answered 503 and closed (how many
    // depends on how fast the first ones went; a client still sending may lose that answer to
    // the reset, so the receiver's log is the witness).
    const refused = receiver
      .output()
      .split('\n')
      .filter((l) => /^POST \/v1\/reports 503 \d+ms refused/.test(l));
    expect(refused.length).toBeGreaterThan(0);
    // 400 × 1 MB half-bodies: buffered only for the 16 uploads the receiver admits at once
    // (measured: about 30 MB more; with every limit off the same test grows by 200 MB).
    expect(peak - before).toBeLessThan(100);
    expect((await send(receiver, { from: '127.0.0.99' })).status).toBe(200);
    expect(storedRows(receiver)).toBe(0);
  });

  it('answers 408 and closes a connection that trickles its headers slower than the header timeout', async () => {
    const receiver = await receiverWith({ HEADERS_TIMEOUT_MS: '1000', IDLE_TIMEOUT_MS: '5000' });
    const slow = await stall(receiver, 'GET /v1/health HTTP/1.1\r\n');
    const drip = setInterval(() => slow.socket.writable && slow.socket.write('X-Slow: 1\r\n'), 200);
    await slow.closed;
    clearInterval(drip);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('refuses impossible settings with a readable message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sounds-local-guard-'));
    try {
      await expect(startReceiver({ dataDir, env: { RATE_LIMIT: 'lots' } })).rejects.toThrow(/RATE_LIMIT must be a number from 0 to 10000, not "lots"/);
      await expect(startReceiver({ dataDir, env: { IDLE_TIMEOUT_MS: '5' } })).rejects.toThrow(/IDLE_TIMEOUT_MS must be at least 100 ms/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
