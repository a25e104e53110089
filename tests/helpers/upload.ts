// Helpers for upload tests: a fresh IndexedDB (fake-indexeddb) filled with ready reports,
// and a tiny scriptable HTTP server for answers the reference receiver never gives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openSoundsLocalDb, type SoundsLocalDb } from '../../lib/storage/db';
import { saveReport } from '../../lib/storage/reports';
import type { Report } from '../../lib/report';
import type { UploadBatch } from '../../lib/upload';
import { sampleStored } from './sample-reports';

let dbCounter = 0;

/** A new, empty database with its own name, so tests never see each other's reports. */
export async function freshDb(): Promise<{ db: SoundsLocalDb; name: string }> {
  const name = `upload-test-${process.pid}-${++dbCounter}-${Math.random().toString(36).slice(2)}`;
  return { db: await openSoundsLocalDb(name), name };
}

/** Saves `count` ready reports numbered from `first`; returns them. */
export async function saveReady(db: SoundsLocalDb, count: number, first = 0, overrides: Partial<Report> = {}): Promise<Report[]> {
  const saved: Report[] = [];
  for (let i = 0; i < count; i++) saved.push(await saveReport(db, sampleStored(first + i, overrides)));
  return saved;
}

export async function statuses(db: SoundsLocalDb): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const r of await db.getAll('reports')) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

export async function outbox(db: SoundsLocalDb): Promise<UploadBatch[]> {
  return (await db.getAll('outbox')) as UploadBatch[];
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Responder = (req: RecordedRequest, res: ServerResponse) => void;

/**
 * A local server that answers each request with the next scripted responder (the last one
 * repeats) and records what it received.
 */
export async function scriptedServer(...script: Responder[]): Promise<{
  url: string;
  requests: RecordedRequest[];
  script: Responder[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const queue = [...script];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    requests.push(recorded);
    const responder = queue.length > 1 ? queue.shift()! : queue[0];
    if (!responder) return void res.writeHead(500).end();
    responder(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: queue,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answer with a status and a JSON (or raw string) body. */
export function reply(status: number, body: unknown = {}, headers: Record<string, string> = {}): Responder {
  return (_req, res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(text);
  };
}

/** Answer every report of the request as accepted (what a healthy receiver does). */
export const acceptAll: Responder = (req, res) => {
  const { reports } = JSON.parse(req.body) as { reports: Array<{ id: string }> };
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ results: reports.map((r) => ({ id: r.id, status: 'accepted' })) }));
};
