// The in-page button takes the page's theme, not the OS's (DESIGN §6, issue 9): on every
// supported site's capture, painted light and painted dark (the captures carry no CSS, so
// the dark case paints the page like the sites' dark themes, #212121), the button's icon
// has at least 4.5:1 contrast with what is behind it. Measured on real pixels: a screenshot
// of each button, decoded in the browser, the strongest icon pixel against the background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buttonHosts, launchWithExtension, screenshot, serveAt, until, type ExtensionBrowser } from './chromium';
import { SITE_CASES, availablePages, installPageHelpers, pageHtml } from './site-cases';

let browser: ExtensionBrowser;
let decoder: Page;

beforeAll(async () => {
  browser = await launchWithExtension();
  await browser.context.addInitScript(installPageHelpers);
  decoder = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

const DARK = '<style>html, body { background: #212121 !important; color: #ececec !important; }</style>';

/** The capture painted like a site's dark theme, from its first paint on. */
function paintDark(html: string): string {
  for (const tag of [/<head\b[^>]*>/i, /<html\b[^>]*>/i]) {
    const m = tag.exec(html);
    if (m) return html.slice(0, m.index + m[0].length) + DARK + html.slice(m.index + m[0].length);
  }
  return DARK + html;
}

/** Contrast between the background (the clip's corner) and the pixel that differs most from it. */
async function iconContrast(png: Buffer): Promise<{ ratio: number; background: number[]; icon: number[] }> {
  return decoder.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    const lum = (r: number, g: number, b: number) => {
      const c = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
    };
    const bg = [data[0]!, data[1]!, data[2]!];
    const lb = lum(bg[0]!, bg[1]!, bg[2]!);
    let best = { ratio: 1, icon: bg };
    for (let i = 0; i < data.length; i += 4) {
      const l = lum(data[i]!, data[i + 1]!, data[i + 2]!);
      const ratio = (Math.max(l, lb) + 0.05) / (Math.min(l, lb) + 0.05);
      if (ratio > best.ratio) best = { ratio, icon: [data[i]!, data[i + 1]!, data[i + 2]!] };
    }
    return { ratio: best.ratio, background: bg, icon: best.icon };
  }, png.toString('base64'));
}

describe('the in-page button in the page theme, at ≥ 4.5:1 contrast', () => {
  for (const c of SITE_CASES) {
    // The first page that can run here: without ../shared, our own written page, or skipped (counted).
    const first = availablePages(c)[0];
    (first ? it : it.skip)(`${c.name}: light and dark`, async () => {
      const html = pageHtml(c.site, first!);
      for (const theme of ['light', 'dark'] as const) {
        const url = c.url(`${c.name}-theme-${theme}`);
        await serveAt(browser.context, url, theme === 'dark' ? paintDark(html) : html);
        const page = await browser.context.newPage();
        // The OS says the opposite of the page: the button must follow the page.
        await page.emulateMedia({ colorScheme: theme === 'dark' ? 'light' : 'dark' });
        await page.goto(url);
        if (c.css) await page.addStyleTag({ content: c.css });
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(theme === 'dark' ? 'rgb(33, 33, 33)' : 'rgba(0, 0, 0, 0)');
        await until(async () => (await buttonHosts(page).count()) >= 1, `a button on ${c.name}`, 20_000);
        // The first button a reader can see (one Copilot capture froze an answer mid fade-in, at opacity 0).
        const visible = await buttonHosts(page).evaluateAll((hosts) =>
          hosts.findIndex((h) => (h as Element & { checkVisibility(o: object): boolean }).checkVisibility({ opacityProperty: true, visibilityProperty: true })),
        );
        expect(visible, `a visible button on ${c.name}`).toBeGreaterThanOrEqual(0);
        const host = buttonHosts(page).nth(visible);
        await host.evaluate((el) => el.scrollIntoView({ block: 'center' }));
        await page.mouse.move(0, 0);
        // Scrolled near the viewport, the button inside the host is built (lazily): wait for it.
        await until(async () => ((await host.boundingBox())?.height ?? 0) > 0, `the button on ${c.name} to be built`, 10_000).catch(() => {});
        const box = (await host.boundingBox())!;
        // The 32×32 button itself, like the sites' own icon buttons.
        expect(Math.round(box.height)).toBeGreaterThanOrEqual(32);
        // An element screenshot scrolls the button into view, whatever scrolls on the page.
        const png = await host.screenshot();
        const measured = await iconContrast(png);
        if (measured.ratio < 4.5) await screenshot(page, `in-page-button-${c.name}-${theme}-failed`);
        expect(measured.ratio, `${c.name} ${theme}: icon rgb(${measured.icon}) on rgb(${measured.background})`).toBeGreaterThanOrEqual(4.5);
        if (c === SITE_CASES[0] || process.env.THEME_SHOTS) await screenshot(page, `in-page-button-${c.name}-${theme}`);
        await page.close();
      }
    });
  }
});
