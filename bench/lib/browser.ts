// What the real-Chromium benchmarks share: stopping the extension's service worker (as Chrome
// does when it idles it out) and timing navigation start → the first element a page shows.
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../../tests/e2e/chromium';

/** Stops every service worker through the DevTools protocol, then lets it go: the next message starts it cold. */
export async function stopServiceWorker(browser: ExtensionBrowser, page: Page) {
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
  await new Promise((r) => setTimeout(r, 300));
}

/**
 * A script (for `addInitScript`, before the page's own) that resolves `window.__first` with
 * the time from navigation start to the first element matching `selector`.
 */
export const firstOf = (selector: string) => `window.__first = new Promise((resolve) => {
  const done = () => document.querySelector(${JSON.stringify(selector)});
  if (done()) return resolve(performance.now());
  new MutationObserver((_, observer) => {
    if (done()) { observer.disconnect(); resolve(performance.now()); }
  }).observe(document, { childList: true, subtree: true });
})`;
