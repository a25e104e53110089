// Firefox ESR through puppeteer-core over WebDriver BiDi (ENVIRONMENT.md). The extension is
// installed as a temporary add-on from the e2e-mode build, which opens its own popup in a
// tab because Firefox refuses automation navigation to moz-extension:// pages.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, until } from './chromium';

export const FIREFOX_E2E_BUILD = resolve(ROOT, '.output/firefox-mv2-e2e');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export interface FirefoxWithExtension {
  browser: Browser;
  /** The extension's own page (popup.html in a tab), where `browser.runtime` is available. */
  extensionPage: Page;
  close(): Promise<void>;
}

/** `prefs`: extra about:config preferences for this profile (e.g. test-only switches). */
export async function launchFirefox(options: { prefs?: Record<string, unknown> } = {}): Promise<FirefoxWithExtension> {
  if (!existsSync(FIREFOX)) throw new Error(`Firefox not found at ${FIREFOX}: run .ci/run or apt-get install firefox-esr`);
  if (!existsSync(resolve(FIREFOX_E2E_BUILD, 'manifest.json'))) throw new Error('No e2e Firefox build: run `wxt build -b firefox --mode e2e` (npm test does)');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: options.prefs });
  await browser.installExtension(FIREFOX_E2E_BUILD);
  let extensionPage: Page | undefined;
  await until(
    async () => {
      for (const page of await browser.pages()) {
        const href = await page.evaluate(() => location.href).catch(() => '');
        if (href.startsWith('moz-extension://')) extensionPage = page;
      }
      return Boolean(extensionPage);
    },
    'the extension page to open',
    20_000,
  );
  return { browser, extensionPage: extensionPage!, close: () => browser.close() };
}

/** Serve `html` at `url`; every other request is refused (nothing leaves the machine). */
export async function openFixture(browser: Browser, url: string, html: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    else void request.abort();
  });
  await page.goto(url);
  return page;
}

export async function sendFromFirefoxExtension<T = any>(page: Page, message: unknown): Promise<T> {
  return page.evaluate((m) => (globalThis as any).browser.runtime.sendMessage(m), message) as Promise<T>;
}

/**
 * How many button hosts the page has after scrolling through it a screen at a time and back
 * to the top: buttons go on answers near the viewport only (lib/content/injector.ts).
 */
export async function hostsAfterScrolling(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const height = document.scrollingElement!.scrollHeight;
    for (let y = 0; y < height; y += innerHeight) {
      scrollTo(0, y);
      await frame();
    }
    scrollTo(0, 0);
    await frame();
    return document.querySelectorAll('sounds-local-button').length;
  });
}

export async function clickHost(page: Page, index: number) {
  const hosts = await page.$$('sounds-local-button');
  await hosts[index]!.evaluate((host) => host.scrollIntoView({ block: 'center' }));
  // A button is built once its answer is near the viewport: until then the host is empty.
  await page.waitForFunction((host) => host.getBoundingClientRect().width > 0, { timeout: 5_000 }, hosts[index]!).catch(() => {});
  const box = await hosts[index]!.boundingBox();
  if (!box) throw new Error(`button ${index} has no box`);
  await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
}
