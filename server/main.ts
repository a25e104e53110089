// `npm run server`: the reference receiver for dataset maintainers (docs/receiver.md).
//
// Settings come from the environment (or the matching --flag):
//   PORT=8787  HOST=127.0.0.1  DATA_DIR=./data  MAX_BODY_BYTES=2000000
//   DATABASE_URL=postgres://…  store reports in PostgreSQL instead of DATA_DIR/reports.sqlite
//   UPLOAD_TOKENS=a,b          tokens for uploads no hosted drive vouches for (optional)
//   LOG=quiet                  no per-request lines
//   ALLOWED_HOSTS, RATE_LIMIT, RATE_BURST, MAX_CONNECTIONS(_PER_IP), MAX_UPLOADS(_PER_IP),
//   HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, IDLE_TIMEOUT_MS, TRUST_PROXY   see server/guard.ts
//   (each also as a flag: --allowed-hosts, --rate-limit, …)
//   FAULT_RATE=0.3 (--fault)   soak-test fault mode; FAULT_SEED, FAULT_RETRY_AFTER=1, FAULT_STALL_MS=60000
import { z } from '../lib/zod';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_BODY_BYTES, createReceiver } from './app';
import { DriveDirectory } from './drives';
import { FaultInjector } from './fault';
import { privateDirectory } from './files';
import { GUARD_FLAG_OPTIONS, guardSettingsFromEnv, withGuardFlags } from './guard';
import { describeStore, openStore } from './store-open';

// lib/zod.ts turns zod's JIT off for the extension's CSP. A Node server has no such CSP,
// and compiled validators make ingest about 1.5× faster; the schemas stay the same.
z.config({ jitless: false });

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    'max-body-bytes': { type: 'string' },
    fault: { type: 'string' },
    quiet: { type: 'boolean' },
    ...GUARD_FLAG_OPTIONS,
  },
});

function setting(flag: string | undefined, env: string, fallback: string): string {
  return flag ?? process.env[env] ?? fallback;
}

function number(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`${what} must be a number from ${min} to ${max}, not "${text}".`);
    process.exit(2);
  }
  return n;
}

const port = number(setting(flags.port, 'PORT', '8787'), 'PORT', 0, 65535);
const host = setting(flags.host, 'HOST', '127.0.0.1');
const dataDir = resolve(setting(flags['data-dir'], 'DATA_DIR', './data'));
const maxBodyBytes = number(setting(flags['max-body-bytes'], 'MAX_BODY_BYTES', String(DEFAULT_MAX_BODY_BYTES)), 'MAX_BODY_BYTES', 1_000, 1_000_000_000);
const faultRate = number(setting(flags.fault, 'FAULT_RATE', '0'), 'FAULT_RATE', 0, 1);
const quiet = flags.quiet || process.env.LOG === 'quiet';
const uploadTokens = (process.env.UPLOAD_TOKENS ?? '')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);

const guard = guardSettingsFromEnv(withGuardFlags(process.env, flags), host);
if ('error' in guard) {
  console.error(guard.error);
  process.exit(2);
}
for (const note of guard.notes) console.log(note);

// Uploaded reports and drive tokens: owner-only, whatever the shell's umask (server/files.ts).
process.umask(0o077);
for (const dir of [dataDir, join(dataDir, 'drives')]) if (privateDirectory(dir)) console.log(`made ${dir} private (0700)`);
const storeChoice = { databaseUrl: process.env.DATABASE_URL, dataDir };
let store: Awaited<ReturnType<typeof openStore>>;
try {
  store = await openStore(storeChoice);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const fault =
  faultRate > 0
    ? new FaultInjector({
        rate: faultRate,
        seed: process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : undefined,
        retryAfterSeconds: number(process.env.FAULT_RETRY_AFTER ?? '1', 'FAULT_RETRY_AFTER', 0, 3600),
        stallMs: number(process.env.FAULT_STALL_MS ?? '60000', 'FAULT_STALL_MS', 0, 3_600_000),
      })
    : undefined;

const server = createReceiver({
  store,
  drives: new DriveDirectory(join(dataDir, 'drives')),
  maxBodyBytes,
  uploadTokens,
  fault,
  guard: guard.settings,
  log: quiet ? () => {} : (line) => console.log(line),
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  console.log(
    `receiver listening on http://${shown}:${actualPort} (data: ${dataDir}, store: ${describeStore(storeChoice)}${fault ? `, FAULT_RATE=${faultRate}` : ''})`,
  );
});

function shutdown(signal: string) {
  console.log(`${signal}: closing`);
  server.close(() => void store.close().then(() => process.exit(0)));
  // Keep-alive sockets and stalled requests would hold close() open; don't wait for them.
  server.closeAllConnections();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
