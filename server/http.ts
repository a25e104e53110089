// Small HTTP helpers shared by the receiver's route files (app.ts, drive-routes.ts,
// withdraw.ts): errors that become JSON answers, JSON responses, headers. Bodies are read
// with guard.ts's readJsonBody.
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
