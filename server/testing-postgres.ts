// A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temp dir,
// on a free port of 127.0.0.1, trust authentication, stopped and deleted afterwards.
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user
// (Debian's package creates it) in a directory that user owns.
//
// Where no PostgreSQL is installed, `findPostgres()` says why and the PostgreSQL tests skip
// (visibly: they are reported as skipped, with the reason printed once).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A fresh, empty database in this cluster; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

/** `undefined` when PostgreSQL can run here, else the reason it can't. */
export function postgresUnavailable(): string | undefined {
  if (process.env.DATABASE_URL_FOR_TESTS) return undefined;
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl')))
    return `PostgreSQL tests skipped: no initdb/pg_ctl in ${PG_BIN} (apt-get install postgresql, or set PG_BIN or DATABASE_URL_FOR_TESTS).`;
  if (isRoot() && postgresUid() === undefined) return 'PostgreSQL tests skipped: running as root and there is no "postgres" user to run the cluster as.';
  return undefined;
}

function isRoot() {
  return process.getuid?.() === 0;
}

function postgresUid(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. */
function run(binary: string, args: string[]) {
  const path = join(PG_BIN, binary);
  if (!isRoot()) return execFileSync(path, args, { stdio: 'pipe', encoding: 'utf8' });
  const quoted = [path, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe', encoding: 'utf8' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let databases = 0;

export interface StartPostgresOptions {
  /**
   * Keep fsync on, as a real deployment would: for benchmarks. Tests turn it off (the
   * cluster is thrown away, and it is much faster on a busy machine).
   */
  fsync?: boolean;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const external = process.env.DATABASE_URL_FOR_TESTS;
  if (external) return clusterAt(external, async () => {});

  const dir = mkdtempSync(join(tmpdir(), 'sounds-local-pg-'));
  if (isRoot()) {
    const owner = postgresUid()!;
    chownSync(dir, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  try {
    run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  // Another process can take the port between freePort() and pg_ctl: try a few.
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      const fsync = options.fsync ? 'on' : 'off';
      run('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, 'log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${fsync} -c max_connections=200`,
        'start',
      ]);
      break;
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${(error as { stderr?: string }).stderr ?? String(error)}`);
      }
    }
  }
  return clusterAt(`postgres://postgres@127.0.0.1:${port}/postgres`, async () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

function clusterAt(url: string, stop: () => Promise<void>): PostgresCluster {
  const port = Number(new URL(url).port || 5432);
  return {
    url,
    port,
    async createDatabase(name = `t_${process.pid}_${++databases}_${Date.now().toString(36)}`) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end({ timeout: 1 });
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    stop,
  };
}
