// @vitest-environment node
// An endpoint that answers with far more than upload results (a 300 MB body once cost ~1 GB
// of memory): the client stops reading at the cap, drops the connection, and loses nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES, createIdbOutboxStore, enqueueReady, runOutbox, sendBatch } from '../../lib/upload';
import { SAMPLE_CLIENT } from '../helpers/sample-reports';
import { freshDb, outbox, saveReady, statuses } from '../helpers/upload';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))));
});

interface Flood {
  url: string;
  /** Bytes the server managed to hand to the socket before the client hung up. */
  sent(): number;
  /** Resolves when the client closed the connection. */
  closed: Promise<void>;
}

/**
 * A real server on 127.0.0.1 that answers 200 and then writes body bytes for ever (or up to
 * `total`), honouring back-pressure, until the client goes away.
 */
async function floodServer(options: { total?: number; contentLength?: boolean } = {}): Promise<Flood> {
  let sent = 0;
  let onClosed!: () => void;
  const closed = new Promise<void>((resolve) => (onClosed = resolve));
  const chunk = Buffer.alloc(64 * 1024, '{"results":[');
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    res.on('close', onClosed);
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json' };
    if (options.contentLength && options.total) headers['Content-Length'] = options.total;
    res.writeHead(200, headers);
    const pump = () => {
      while (!res.destroyed && (options.total === undefined || sent < options.total)) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent: () => sent, closed };
}

function batchFor(endpoint: string) {
  return {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    report_ids: [],
    payload: [],
    endpoint,
    client: SAMPLE_CLIENT,
    created_at: new Date(0).toISOString(),
    attempts: 0,
    next_attempt_at: 0,
  };
}

describe("the size of an endpoint's answer", () => {
  it('stops reading an endless answer past the cap and hangs up, with an error a person can read', async () => {
    const flood = await floodServer();
    const outcome = await sendBatch(batchFor(flood.url), { fetch, timeoutMs: 20_000, now: Date.now });
    expect(outcome.kind).toBe('retry');
    expect(outcome.kind === 'retry' && outcome.error).toBe('The endpoint answered 200 with more than 1 MB; stopped reading (upload results are a few kB)');
    // The connection is dropped, not drained: the server stops well short of what it would send.
    await flood.closed;
    expect(flood.sent()).toBeLessThan(64 * MAX_RESPONSE_BYTES);
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    const flood = await floodServer({ total: 300 * 1024 * 1024, contentLength: true });
    const outcome = await sendBatch(batchFor(flood.url), { fetch, timeoutMs: 20_000, now: Date.now });
    expect(outcome).toMatchObject({ kind: 'retry', error: expect.stringContaining('more than 1 MB') });
    await flood.closed;
    expect(flood.sent()).toBeLessThan(300 * 1024 * 1024);
  });

  it('still reads an ordinary answer just under the cap', async () => {
    // Padding inside valid JSON: the whole body is read and understood.
    const padding = 'x'.repeat(MAX_RESPONSE_BYTES - 100);
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ results: [], note: padding }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const outcome = await sendBatch(batchFor(url), { fetch, timeoutMs: 20_000, now: Date.now });
    expect(outcome).toEqual({ kind: 'results', results: [] });
  });

  it('keeps the reports queued, with the reason, when the endpoint floods its answer', async () => {
    const flood = await floodServer();
    const { db } = await freshDb();
    await saveReady(db, 3);
    const queued = await enqueueReady(db, { endpoint: flood.url, client: SAMPLE_CLIENT, now: () => 0 });
    if (!queued.ok) throw new Error(queued.error);
    const run = await runOutbox({
      store: createIdbOutboxStore(db),
      fetch,
      now: () => 0,
      random: () => 0.5,
      config: { baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 20_000 },
    });
    expect(run.lastError).toMatch(/more than 1 MB; stopped reading .*; will retry\.$/);
    const [batch] = await outbox(db);
    expect(batch).toMatchObject({ attempts: 1, last_error: run.lastError });
    expect(batch!.report_ids).toHaveLength(3);
    expect(await statuses(db)).not.toHaveProperty('failed');
    expect(await statuses(db)).not.toHaveProperty('uploaded');
  });
});
