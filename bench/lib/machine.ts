// What the numbers were measured on: they only mean something next to it.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

export interface Machine {
  date: string;
  nproc: number;
  cpu: string;
  memory_gb: number;
  chromium: string;
  node: string;
  /** 1-minute load average before and after the runs: other work on the machine. */
  load_average?: [number, number];
}

export function describeMachine(): Machine {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let chromium = 'unknown';
  try {
    // Debian's wrapper script prints a shell warning on stderr; the version is on stdout.
    chromium = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* reported as unknown */
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: availableParallelism(), // what `nproc` prints
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    chromium,
    node: process.version,
  };
}
