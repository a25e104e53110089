// Starts the real receiver as a child process on 127.0.0.1 (port 0: the OS picks a free
// one) with its own data directory — for tests and benchmarks. CI starts with nothing
// running, so every test that needs a receiver starts its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface ReceiverProcess {
  /** Base URL, e.g. http://127.0.0.1:41234 — the endpoint to give the upload engine. */
  url: string;
  port: number;
  dataDir: string;
  /** The SQLite file the receiver writes. */
  dbPath: string;
  /** Everything the process printed so far (request log lines included). */
  output(): string;
  /** SIGTERM, wait for exit, and delete the data directory unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  child: ChildProcess;
}

export interface StartReceiverOptions {
  /** Reuse a data directory (e.g. to restart on the same SQLite file). Default: a fresh temp dir. */
  dataDir?: string;
  /** Extra environment: FAULT_RATE, FAULT_SEED, MAX_BODY_BYTES, UPLOAD_TOKENS, LOG, … */
  env?: Record<string, string>;
  /** Drives to host: manifest JSON and, optionally, tokens. */
  drives?: Record<string, { manifest: Record<string, unknown>; tokens?: string[] }>;
  /** Command-line flags for server/main.ts (`--rate-limit 5`, …). */
  args?: string[];
  /** Milliseconds to wait for "listening" before giving up. */
  startTimeoutMs?: number;
}

export async function startReceiver(options: StartReceiverOptions = {}): Promise<ReceiverProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sounds-local-receiver-'));
  mkdirSync(join(dataDir, 'drives'), { recursive: true });
  for (const [id, drive] of Object.entries(options.drives ?? {})) {
    writeFileSync(join(dataDir, 'drives', `${id}.json`), JSON.stringify(drive.manifest, null, 2));
    if (drive.tokens) writeFileSync(join(dataDir, 'drives', `${id}.tokens`), `# upload tokens for ${id}\n${drive.tokens.join('\n')}\n`);
  }
  // process.execPath is the Node running the tests (22+, which has node:sqlite).
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(ROOT, 'server/main.ts'), ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The receiver did not start within ${options.startTimeoutMs ?? 15_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 15_000);
    const check = () => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolvePort(Number(match[1]));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The receiver exited (code ${code}) before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    dbPath: join(dataDir, 'reports.sqlite'),
    output: () => output,
    child,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `npm run export`'s script with the given arguments; resolves with its output. */
export function runExport(args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(ROOT, 'server/export.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, output }));
  });
}

/** Runs `npm run drive`'s script (server/drive-cli.ts) with the given arguments and DATA_DIR. */
export function runDriveCli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--import', 'tsx', join(ROOT, 'server/drive-cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, stdout, stderr }));
  });
}
