// Small HTTP helpers shared by the receiver's route files (app.ts, drive-routes.ts,
// withdraw.ts, review-routes.ts): errors that become JSON answers, JSON responses, headers,
// bounded bodies (uploads and edited reports use guard.ts's readJsonBody instead).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by a route; app.ts answers it as `{ "error": message }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer token of `Authorization: Bearer <token>`, if any. */
export function bearer(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The body up to `limit` bytes. Past the limit the rest is read and thrown away before the
 * 413 goes out, so a client still sending sees the answer rather than a reset connection;
 * absurd sizes are cut off outright.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, `The request body is larger than this endpoint accepts (${limit.toLocaleString('en')} bytes).`);
  const declared = Number(req.headers['content-length']);
  const discardCap = Math.max(limit * 8, 64_000_000);
  if (Number.isFinite(declared) && declared > discardCap) {
    req.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > discardCap) {
      req.destroy();
      throw tooLarge();
    }
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw tooLarge();
  return Buffer.concat(chunks, size);
}
