// Real Chromium with the built extension loaded (ENVIRONMENT.md): chatbot fixtures are
// served at their real https URLs through request routing, so the content script runs on
// them exactly as on the live site.
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CHROME_BUILD = resolve(ROOT, '.output/chrome-mv3');
export const SCREENSHOTS = resolve(ROOT, 'tmp/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  close(): Promise<void>;
}

export async function launchWithExtension(
  options: { extension?: boolean; build?: string; args?: string[]; locale?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<ExtensionBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run .ci/run or apt-get install chromium`);
  const withExtension = options.extension ?? true;
  const build = options.build ?? CHROME_BUILD;
  if (withExtension && !existsSync(resolve(build, 'manifest.json'))) throw new Error(`No Chrome build at ${build}: run \`npm run build\` first`);
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
    args: [
      ...(options.args ?? []),
      ...(withExtension ? [`--disable-extensions-except=${build}`, `--load-extension=${build}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  // Nothing leaves this machine: every web request not answered by a test's route is
  // refused (the extension's own chrome-extension:// files load as usual).
  await context.route(/^(https?|wss?):\/\//, (route) => route.abort('blockedbyclient'));
  let extensionId = '';
  if (withExtension) {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    extensionId = new URL(worker.url()).host;
  }
  return { context, extensionId, close: () => context.close() };
}

/** Serve `html` at `url` (and only that URL) in this browser. */
export async function serveAt(context: BrowserContext, url: string, html: string) {
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
}

export function buttonHosts(page: Page) {
  return page.locator('sounds-local-button');
}

/**
 * Scroll through the whole page a screen at a time, as a reader would, then back to the top:
 * buttons are placed on answers near the viewport (lib/content/injector.ts), so a test that
 * counts every answer's button shows each answer first.
 */
export async function revealAll(page: Page) {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const height = document.scrollingElement!.scrollHeight;
    for (let y = 0; y < height; y += innerHeight) {
      scrollTo(0, y);
      await frame();
    }
    scrollTo(0, 0);
    await frame();
  });
}

/** A real, trusted click in the middle of the nth in-page button (its shadow root is closed). */
export async function clickButton(page: Page, index: number) {
  const host = buttonHosts(page).nth(index);
  await host.scrollIntoViewIfNeeded();
  // A button is built once its answer is near the viewport: until then the host is empty.
  await until(async () => ((await host.boundingBox())?.width ?? 0) > 0, `button ${index} to be built`, 5_000).catch(() => {});
  const box = await host.boundingBox();
  if (!box?.width) throw new Error(`button ${index} has no box`);
  await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
}

/**
 * A page of ours with `chrome.runtime` for talking to the background. Defaults to the
 * options page: the popup consumes the "focus" report when it opens.
 */
export async function openExtensionPage(browser: ExtensionBrowser, path = 'options.html'): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/${path}`);
  return page;
}

export async function sendFromExtension<T = any>(page: Page, message: unknown): Promise<T> {
  return page.evaluate((m) => (globalThis as any).chrome.runtime.sendMessage(m), message) as Promise<T>;
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Wait until `fn` returns true, polling; fails with `what` after `timeout`. */
export async function until(fn: () => Promise<boolean>, what: string, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
