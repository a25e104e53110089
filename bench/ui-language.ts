// `npm run bench:ui-language` — what the user's choice of UI language costs, in real Chromium
// started in English (the chosen language lives in storage.local: lib/ui/languageChoice.ts).
//
// 1. A chatbot page (our written ChatGPT page): time from navigation start to the first
//    in-page button host, with the browser's language (the content script reads storage.local
//    and finds nothing) and with German chosen (it also asks the background for the button's
//    strings, one message), the service worker warm and cold (stopped through the DevTools
//    protocol first, as after Chrome idles it out: the message then starts it).
// 2. The popup: navigation start to its first render (`main`), both ways (German also fetches
//    de/messages.json before rendering).
// 3. One storage.local read of the choice, timed in an extension page: what every page and
//    every chatbot page pays for reading the choice at all.
//
// Environment: BENCH_RUNS (default 10).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, openExtensionPage, serveAt, type ExtensionBrowser } from '../tests/e2e/chromium';
import { firstOf, stopServiceWorker } from './lib/browser';
import { describeMachine } from './lib/machine';
import { median, round, table } from './lib/stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

let pageNumber = 0;
async function firstButton(browser: ExtensionBrowser, control: Page, html: string, cold: boolean): Promise<number> {
  if (cold) await stopServiceWorker(browser, control);
  const url = `https://chatgpt.com/c/bench-${++pageNumber}`;
  await serveAt(browser.context, url, html);
  const page = await browser.context.newPage();
  await page.addInitScript(firstOf('sounds-local-button'));
  await page.goto(url);
  const ms = (await page.evaluate('window.__first')) as number;
  await page.close();
  return ms;
}

async function firstRender(browser: ExtensionBrowser): Promise<number> {
  const page = await browser.context.newPage();
  await page.addInitScript(firstOf('main'));
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const ms = (await page.evaluate('window.__first')) as number;
  await page.close();
  return ms;
}

async function measure(browser: ExtensionBrowser, control: Page, html: string) {
  await firstButton(browser, control, html, false); // the first load compiles the script: not counted
  await firstRender(browser);
  const warm: number[] = [];
  const cold: number[] = [];
  const popup: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    warm.push(await firstButton(browser, control, html, false));
    cold.push(await firstButton(browser, control, html, true));
    popup.push(await firstRender(browser));
  }
  return { button_warm_ms: round(median(warm)), button_cold_ms: round(median(cold)), popup_ms: round(median(popup)), runs: { warm, cold, popup } };
}

async function main() {
  const browser = await launchWithExtension({ args: ['--lang=en-US'], locale: 'en-US' });
  try {
    const html = readFileSync(resolve(__dirname, '../tests/fixtures/chatbots/chatgpt-2026-09.html'), 'utf8');
    const control = await openExtensionPage(browser);
    await control.locator('main').waitFor();
    const setChoice = (language?: string) =>
      control.evaluate((l) => {
        const local = (globalThis as any).chrome.storage.local;
        return l ? local.set({ ui_language: l }) : local.remove('ui_language');
      }, language);

    const read = (await control.evaluate(async (runs) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await (globalThis as any).chrome.storage.local.get('ui_language');
        times.push(performance.now() - start);
      }
      return times;
    }, 50)) as number[];

    await setChoice(undefined);
    const browserLanguage = await measure(browser, control, html);
    await setChoice('de');
    const german = await measure(browser, control, html);
    await setChoice(undefined);

    const ratio = (a: number, b: number) => round(a / b, 2);
    const result = {
      machine: describeMachine(),
      runs: RUNS,
      storage_read_ms: round(median(read), 2),
      browser_language: browserLanguage,
      german_chosen: german,
      ratios: {
        button_warm: ratio(german.button_warm_ms, browserLanguage.button_warm_ms),
        button_cold: ratio(german.button_cold_ms, browserLanguage.button_cold_ms),
        popup: ratio(german.popup_ms, browserLanguage.popup_ms),
      },
    };
    console.log(
      table([
        ['median, ms (navigation start →)', 'browser’s language', 'German chosen', 'ratio'],
        ['first button, worker running', String(browserLanguage.button_warm_ms), String(german.button_warm_ms), String(result.ratios.button_warm)],
        ['first button, worker stopped', String(browserLanguage.button_cold_ms), String(german.button_cold_ms), String(result.ratios.button_cold)],
        ['popup first render', String(browserLanguage.popup_ms), String(german.popup_ms), String(result.ratios.popup)],
      ]),
    );
    console.log(`one storage.local read of the choice: ${result.storage_read_ms} ms (median of 50)`);
    const dir = resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'ui-language.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

void main();
