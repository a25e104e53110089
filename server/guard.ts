// What stands between the internet and the receiver's parser: the Host check (DNS
// rebinding), per-client request rates, connection and upload caps, timeouts, and cheap
// checks of a body before it is buffered and parsed. Every refusal is a short JSON answer
// an uploader can act on (`429`/`503` carry `Retry-After`; the extension's upload engine
// waits that long and resends under the same Idempotency-Key).
//
// A "client" is an IPv4 address or an IPv6 /64 (one household or server gets a /64). Behind
// a reverse proxy every request comes from the proxy: set TRUST_PROXY=1 so the last address
// in X-Forwarded-For (the one the proxy saw) is the client instead.
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import { isIP, type Socket } from 'node:net';

export interface GuardSettings {
  /** Host names requests may carry (`localhost`, `[::1]`, `dataset.example.org`); `'any'` turns the check off. */
  allowedHosts: readonly string[] | 'any';
  /** Sustained requests per second per client; 0 = no rate limit. */
  ratePerSecond: number;
  /** Requests a client may send at once before the rate applies. */
  rateBurst: number;
  /** Open connections in all; 0 = no cap. */
  maxConnections: number;
  /** Open connections per client; 0 = no cap. */
  maxConnectionsPerClient: number;
  /** Uploads being received or processed at once, in all (bounds buffered bodies: × MAX_BODY_BYTES); 0 = no cap. */
  maxUploads: number;
  /** … and per client. */
  maxUploadsPerClient: number;
  /** All request headers must arrive within this (slow-header attacks). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long (no headers, a stalled body, an idle wait) is closed. */
  idleTimeoutMs: number;
  /** Take the client from the last X-Forwarded-For address (behind a reverse proxy). */
  trustProxy: boolean;
}

export const DEFAULT_GUARD: GuardSettings = {
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  ratePerSecond: 20,
  rateBurst: 60,
  maxConnections: 256,
  maxConnectionsPerClient: 16,
  maxUploads: 16,
  maxUploadsPerClient: 4,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 15_000,
  trustProxy: false,
};

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Each setting's environment variable and command-line flag (`--rate-limit 5` = `RATE_LIMIT=5`). */
const GUARD_VARIABLES = [
  'ALLOWED_HOSTS',
  'RATE_LIMIT',
  'RATE_BURST',
  'MAX_CONNECTIONS',
  'MAX_CONNECTIONS_PER_IP',
  'MAX_UPLOADS',
  'MAX_UPLOADS_PER_IP',
  'HEADERS_TIMEOUT_MS',
  'REQUEST_TIMEOUT_MS',
  'IDLE_TIMEOUT_MS',
  'TRUST_PROXY',
] as const;
const flagOf = (variable: string) => variable.toLowerCase().replace(/_/g, '-');

/** `parseArgs` options for the guard's flags. */
export const GUARD_FLAG_OPTIONS = Object.fromEntries(GUARD_VARIABLES.map((v) => [flagOf(v), { type: 'string' as const }]));

/** The environment with any guard flags given on the command line laid over it. */
export function withGuardFlags(env: NodeJS.ProcessEnv, flags: Record<string, unknown>): NodeJS.ProcessEnv {
  const merged = { ...env };
  for (const variable of GUARD_VARIABLES) {
    const value = flags[flagOf(variable)];
    if (typeof value === 'string') merged[variable] = value;
  }
  return merged;
}

/** Settings from the environment, or an error a maintainer can read. */
export function guardSettingsFromEnv(env: NodeJS.ProcessEnv, boundHost: string): { settings: GuardSettings; notes: string[] } | { error: string } {
  const notes: string[] = [];
  const numbers: Array<[keyof GuardSettings, string, number]> = [
    ['ratePerSecond', 'RATE_LIMIT', 10_000],
    ['rateBurst', 'RATE_BURST', 100_000],
    ['maxConnections', 'MAX_CONNECTIONS', 1_000_000],
    ['maxConnectionsPerClient', 'MAX_CONNECTIONS_PER_IP', 1_000_000],
    ['maxUploads', 'MAX_UPLOADS', 100_000],
    ['maxUploadsPerClient', 'MAX_UPLOADS_PER_IP', 100_000],
    ['headersTimeoutMs', 'HEADERS_TIMEOUT_MS', 3_600_000],
    ['requestTimeoutMs', 'REQUEST_TIMEOUT_MS', 3_600_000],
    ['idleTimeoutMs', 'IDLE_TIMEOUT_MS', 3_600_000],
  ];
  const settings: GuardSettings = { ...DEFAULT_GUARD };
  for (const [key, name, max] of numbers) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0 || n > max) return { error: `${name} must be a number from 0 to ${max}, not "${text}".` };
    (settings[key] as number) = n;
  }
  for (const [key, name] of [
    ['headersTimeoutMs', 'HEADERS_TIMEOUT_MS'],
    ['requestTimeoutMs', 'REQUEST_TIMEOUT_MS'],
    ['idleTimeoutMs', 'IDLE_TIMEOUT_MS'],
  ] as const)
    if (settings[key] < 100) return { error: `${name} must be at least 100 ms; a receiver that closes every connection at once accepts nothing.` };
  if (settings.headersTimeoutMs > settings.requestTimeoutMs) settings.headersTimeoutMs = settings.requestTimeoutMs;
  settings.trustProxy = env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true';

  const list = (env.ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (list.includes('*')) {
    settings.allowedHosts = 'any';
    notes.push('Host check off (ALLOWED_HOSTS=*): any web page can reach this receiver through DNS rebinding if it is on a private network.');
  } else if (list.length) settings.allowedHosts = list;
  else if (isLoopback(boundHost)) settings.allowedHosts = LOOPBACK_HOSTS;
  else {
    settings.allowedHosts = 'any';
    notes.push(`Host check off: listening on ${boundHost}, not loopback; set ALLOWED_HOSTS to the names clients use (e.g. dataset.example.org).`);
  }
  return { settings, notes };
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Options for `http.createServer`: Node's own header and request timeouts, checked often enough to matter. */
export function serverOptions(settings: GuardSettings): ServerOptions {
  return {
    headersTimeout: settings.headersTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    // Node checks both timeouts on this interval (default 30 s, longer than a short timeout).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(settings.headersTimeoutMs / 4))),
    keepAliveTimeout: Math.min(5_000, settings.idleTimeoutMs),
  };
}

/** A token bucket per client: `burst` requests at once, refilled at `rate` per second. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /**
   * Takes `cost` tokens: 0 when the request may go now, otherwise the seconds until enough
   * are back. A cost above the burst is charged as the burst, so every request can pass.
   */
  take(client: string, cost = 1, now = performance.now()): number {
    if (this.rate <= 0) return 0;
    const bucket = this.refill(client, now);
    const need = Math.min(cost, this.burst);
    if (bucket.tokens >= need) {
      bucket.tokens -= need;
      return 0;
    }
    return Math.max(1, Math.ceil((need - bucket.tokens) / this.rate));
  }

  /** Charges after the fact (a body whose size was not declared); the bucket may go below zero. */
  charge(client: string, cost: number, now = performance.now()) {
    if (this.rate <= 0 || cost <= 0) return;
    this.refill(client, now).tokens -= Math.min(cost, this.burst);
  }

  private refill(client: string, now: number) {
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(client, bucket);
    return bucket;
  }

  /** Forgets clients whose bucket has refilled, so a million one-off addresses don't stay in memory. */
  prune(now = performance.now()) {
    for (const [client, bucket] of this.buckets) if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate >= this.burst) this.buckets.delete(client);
  }

  get size() {
    return this.buckets.size;
  }
}

function bump(map: Map<string, number>, key: string, by: number) {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

/** Rate-limit tokens for an upload body: one, plus one per whole 100 kB. */
function bodyCost(bytes: number): number {
  return Number.isFinite(bytes) && bytes > 0 ? 1 + Math.floor(bytes / 100_000) : 1;
}

/** An IPv4 address, or the /64 of an IPv6 one (IPv4-mapped IPv6 counts as IPv4). */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return (
    groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ''))
      .join(':') + '::/64'
  );
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export class Guard {
  private readonly limiter: RateLimiter;
  private readonly connections = new Map<string, number>();
  private readonly uploads = new Map<string, number>();
  private totalConnections = 0;
  private totalUploads = 0;
  /** Sockets accepted over a connection cap: their first request is answered 503, then they close. */
  private readonly overCap = new WeakSet<Socket>();
  private readonly clientOf = new WeakMap<Socket, string>();
  private port: number | undefined;

  constructor(readonly settings: GuardSettings) {
    this.limiter = new RateLimiter(settings.ratePerSecond, settings.rateBurst);
  }

  /** Counts connections, refuses those over the caps, and closes idle ones. */
  attach(server: Server): void {
    server.setTimeout(this.settings.idleTimeoutMs);
    server.on('connection', (socket: Socket) => {
      const client = clientKey(socket.remoteAddress);
      this.clientOf.set(socket, client);
      const { maxConnections, maxConnectionsPerClient } = this.settings;
      if (
        (maxConnections && this.totalConnections >= maxConnections) ||
        (maxConnectionsPerClient && (this.connections.get(client) ?? 0) >= maxConnectionsPerClient)
      ) {
        // Refused connections aren't counted; one that doesn't ask anything soon is dropped.
        this.overCap.add(socket);
        socket.setTimeout(Math.min(1_000, this.settings.idleTimeoutMs), () => socket.destroy());
        return;
      }
      this.totalConnections++;
      bump(this.connections, client, 1);
      socket.once('close', () => {
        this.totalConnections--;
        bump(this.connections, client, -1);
      });
    });
    const prune = setInterval(() => this.limiter.prune(), 60_000);
    prune.unref();
    server.once('close', () => clearInterval(prune));
    server.once('listening', () => {
      const address = server.address();
      if (address && typeof address === 'object') this.port = address.port;
    });
  }

  /** The client a request counts against. */
  client(req: IncomingMessage): string {
    if (this.settings.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .at(-1);
      if (last && isIP(last)) return clientKey(last);
    }
    return this.clientOf.get(req.socket) ?? clientKey(req.socket.remoteAddress);
  }

  /**
   * Checks a request before anything reads its body. Answers the refusal, or undefined to
   * go on; `isUpload` requests also take an upload slot, given back when the answer closes.
   */
  screen(req: IncomingMessage, res: ServerResponse, isUpload: boolean, maxBodyBytes: number): Refusal | undefined {
    if (this.overCap.has(req.socket))
      return {
        status: 503,
        message: 'This receiver has too many open connections right now; try again shortly.',
        headers: { 'Retry-After': '5', Connection: 'close' },
      };
    const host = this.checkHost(req.headers.host);
    if (host) return host;
    const client = this.client(req);
    // An upload costs one token plus one per 100 kB it declares: parsing is what a flood
    // spends, so a client sending 2 MB batches runs dry twenty times sooner than one sending
    // small ones. An oversize body is refused unread and costs one.
    const declared = Number(req.headers['content-length']);
    const wait = this.limiter.take(client, isUpload && declared <= maxBodyBytes ? bodyCost(declared) : 1);
    if (wait > 0)
      return { status: 429, message: `Too many requests from your address; wait ${wait} s and try again.`, headers: { 'Retry-After': String(wait) } };
    if (!isUpload) return undefined;

    // Declared too large: answered before a byte is buffered. Node then discards the body
    // so the client can read the 413; one past the discard cap gets its connection closed.
    if (declared > maxBodyBytes)
      return {
        status: 413,
        message: `The request body is larger than this endpoint accepts (${maxBodyBytes.toLocaleString('en')} bytes); send smaller batches.`,
        headers: declared > discardCap(maxBodyBytes) ? { Connection: 'close' } : {},
      };
    const { maxUploads, maxUploadsPerClient } = this.settings;
    if (maxUploadsPerClient && (this.uploads.get(client) ?? 0) >= maxUploadsPerClient)
      return {
        status: 429,
        message: `Your address already has ${maxUploadsPerClient} uploads in progress; send the next when one is answered.`,
        headers: { 'Retry-After': '1' },
      };
    if (maxUploads && this.totalUploads >= maxUploads)
      return { status: 503, message: 'This receiver is busy with other uploads; try again shortly.', headers: { 'Retry-After': '2' } };
    this.totalUploads++;
    bump(this.uploads, client, 1);
    res.once('close', () => {
      this.totalUploads--;
      bump(this.uploads, client, -1);
    });
    return undefined;
  }

  /** A body read without a declared length (chunked) is charged once its size is known. */
  chargeBody(req: IncomingMessage, bytes: number): void {
    if (req.headers['content-length'] === undefined) this.limiter.charge(this.client(req), bodyCost(bytes) - 1);
  }

  private checkHost(header: string | undefined): Refusal | undefined {
    const allowed = this.settings.allowedHosts;
    if (allowed === 'any') return undefined;
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec((header ?? '').trim());
    const name = match?.[1]?.toLowerCase().replace(/\.$/, '');
    const port = match?.[2] === undefined ? undefined : Number(match[2]);
    if (name && allowed.includes(name) && (port === undefined || this.port === undefined || port === this.port)) return undefined;
    const shown = (header ?? '').slice(0, 100);
    return {
      status: 421,
      message: `This receiver answers only to ${allowed.join(', ')}${this.port ? ` on port ${this.port}` : ''}, not to the host "${shown}". A maintainer adds names with ALLOWED_HOSTS; this check stops web pages from reaching a local receiver through DNS rebinding.`,
    };
  }
}

/**
 * Reads away what is left of a request body (up to `limit` bytes; past that the connection
 * is closed) and then resolves. An answer sent while the client is still sending, on a
 * connection that then closes, can be lost to a TCP reset before the client reads it; an
 * answer sent after the body arrives is read.
 */
export function discardBody(req: IncomingMessage, limit: number): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let size = 0;
    const done = () => {
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        done();
      }
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

/** Past this many bytes a body over the limit is not even read to the end. */
const discardCap = (limit: number) => Math.max(limit * 8, 64_000_000);

/**
 * The body up to `limit` bytes, with two cheap guards: a body whose first byte doesn't
 * open a JSON object is not kept (it is read away and answered 400 without parsing), and a
 * body cut off by the idle or request timeout is a 408, not a server error. Past `limit`
 * the rest is read and thrown away before the 413 goes out — a client still sending would
 * otherwise see a reset connection instead of the answer that tells it to split the batch;
 * absurd sizes are cut off outright.
 */
export async function readJsonBody(req: IncomingMessage, limit: number, fail: (status: number, message: string) => Error, protocol?: string): Promise<Buffer> {
  const tooLarge = () => fail(413, `The request body is larger than this endpoint accepts (${limit.toLocaleString('en')} bytes); send smaller batches.`);
  const cap = discardCap(limit);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > cap) {
    req.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let sniffed = false;
  let notJson = false;
  let protocolChecked = false;
  let wrongProtocol: string | undefined;
  const stream = (async function* () {
    try {
      yield* req as AsyncIterable<Buffer>;
    } catch {
      // The idle or request timeout closed the connection, or the client went away.
      throw fail(408, 'The request body stopped arriving before it was complete; nothing was stored.');
    }
  })();
  for await (const chunk of stream) {
    size += chunk.length;
    if (!sniffed) {
      // Whitespace-only chunks so far were kept in `chunks`.
      const first = firstByte(chunks.length ? Buffer.concat([...chunks, chunk]) : chunk);
      if (first !== undefined) {
        sniffed = true;
        // Not a JSON object: keep nothing, read the rest away (cheap), then answer.
        notJson = first !== 0x7b; /* { */
      }
    }
    if (protocol && !notJson && !protocolChecked && size >= 256) {
      protocolChecked = true;
      wrongProtocol = foreignProtocol(
        Buffer.concat([...chunks, chunk])
          .subarray(0, 256)
          .toString('latin1'),
        protocol,
      );
      notJson = wrongProtocol !== undefined;
    }
    if (size > cap) {
      req.destroy();
      throw tooLarge();
    }
    if (size <= limit && !notJson) chunks.push(chunk);
  }
  // The client has said everything: from here on the time is the receiver's (parsing,
  // validation, SQLite), and a busy receiver must not cut off a client that did nothing wrong.
  req.socket.setTimeout(0);
  if (size > limit) throw tooLarge();
  // A body shorter than 256 bytes is checked now that all of it is here.
  if (!protocolChecked && protocol && !notJson) wrongProtocol = foreignProtocol(Buffer.concat(chunks).subarray(0, 256).toString('latin1'), protocol);
  if (wrongProtocol !== undefined) throw fail(400, `This is not a ${protocol} request: protocol must be "${protocol}", not "${wrongProtocol}".`);
  if (notJson) throw fail(400, 'The request body is not a JSON object; a sounds-local/upload@1 batch starts with "{".');
  return Buffer.concat(chunks, size);
}

/**
 * When a body opens with `{"protocol": "<something else>"` — the order the extension
 * writes — the other protocol, read from the first bytes without parsing the rest. A body
 * with its keys in another order is left to the parser.
 */
function foreignProtocol(head: string, protocol: string): string | undefined {
  const match = /^[ \t\r\n]*\{[ \t\r\n]*"protocol"[ \t\r\n]*:[ \t\r\n]*"([^"\\]{0,100})"/.exec(head);
  return match && match[1] !== protocol ? match[1] : undefined;
}

/** The first byte after JSON whitespace, if any arrived yet. */
function firstByte(bytes: Buffer): number | undefined {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i];
}
