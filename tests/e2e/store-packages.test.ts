// `npm run zip` makes what the stores take: a Chrome package that loads in a real Chromium,
// a Firefox package Mozilla's linter passes with no errors, and the sources zip AMO asks for.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = resolve(__dirname, '../..');
const OUT = resolve(ROOT, '.output');
const name = (target: string) => join(OUT, `${pkg.name}-${pkg.version}-${target}.zip`);
const work = mkdtempSync(join(tmpdir(), 'sounds-local-zip-'));

function listZip(file: string): string[] {
  return execFileSync('zipinfo', ['-1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('npm run zip', () => {
  beforeAll(() => {
    for (const target of ['chrome', 'firefox', 'sources']) rmSync(name(target), { force: true });
    execFileSync('npm', ['run', 'zip'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('makes a Chrome package that loads in Chromium with its icons, popup and shortcut', async () => {
    expect(existsSync(name('chrome'))).toBe(true);
    const dir = join(work, 'chrome');
    execFileSync('unzip', ['-q', name('chrome'), '-d', dir]);
    const manifest = (await import(join(dir, 'manifest.json'), { with: { type: 'json' } })).default;
    expect(Object.keys(manifest.icons)).toEqual(['16', '32', '48', '96', '128']);
    for (const file of Object.values(manifest.icons) as string[]) expect(existsSync(join(dir, file))).toBe(true);
    expect(manifest.commands._execute_action.suggested_key.default).toBe('Alt+Shift+L');

    const context = await chromium.launchPersistentContext('', {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        `--disable-extensions-except=${dir}`,
        `--load-extension=${dir}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      await context.route(/^(https?|wss?):\/\//, (route) => route.abort('blockedbyclient'));
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
      const id = new URL(worker.url()).host;
      const page = await context.newPage();
      await page.goto(`chrome-extension://${id}/popup.html`);
      await expect.poll(() => page.locator('main').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const width = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return img.naturalWidth;
      }, `chrome-extension://${id}/icon/16.png`);
      expect(width).toBe(16);
    } finally {
      await context.close();
    }
  });

  it('makes a Firefox package that web-ext lint passes with 0 errors', () => {
    expect(existsSync(name('firefox'))).toBe(true);
    const dir = join(work, 'firefox');
    execFileSync('unzip', ['-q', name('firefox'), '-d', dir]);
    let output = '';
    try {
      output = execFileSync('npx', ['web-ext', 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
    } catch (error) {
      // web-ext exits non-zero when it finds errors; the JSON is still on stdout.
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    const report = JSON.parse(output.slice(output.indexOf('{')));
    expect(report.errors.map((e: { code: string; message: string }) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });

  it('makes a sources zip that rebuilds the extension and holds no scratch files', () => {
    const files = listZip(name('sources'));
    for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md']) expect(files).toContain(needed);
    expect(files.some((f) => f.startsWith('entrypoints/'))).toBe(true);
    expect(files.some((f) => f.startsWith('lib/'))).toBe(true);
    expect(files.filter((f) => /^(tmp|tests|node_modules|\.output)\//.test(f))).toEqual([]);
    expect(
      readdirSync(OUT)
        .filter((f) => f.endsWith('.zip'))
        .sort(),
    ).toEqual(['chrome', 'firefox', 'sources'].map((t) => `${pkg.name}-${pkg.version}-${t}.zip`).sort());
  });
});
