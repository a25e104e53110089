// Runs as a classic script from popup.html's <head>, before the app's module bundle has even
// loaded: sends the popup's first requests so a stopped service worker starts at once
// (lib/ui/early.ts). No webextension-polyfill here, to stay a few hundred bytes: MV3 Chrome's
// `chrome.runtime.sendMessage` and Firefox's `browser.runtime.sendMessage` both return promises.
import { sendEarly } from '@/lib/ui/early';

type Runtime = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

export default defineUnlistedScript(() => {
  const api = ((globalThis as { browser?: Runtime }).browser ?? (globalThis as { chrome?: Runtime }).chrome)!;
  sendEarly((message) => api.runtime.sendMessage(message), location.search);
});
