// The site cases of sites.test.ts in Firefox ESR: one button per finished answer (none on
// user turns) on every layout's first page, and a real click stores the answer's text for
// ChatGPT, Claude and Gemini, and on a share page (Gemini's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { until } from './chromium';
import { HAS_SHARED_CAPTURES } from '../helpers/fixtures';
import { clickHost, hostsAfterScrolling, launchFirefox, openFixture, sendFromFirefoxExtension, type FirefoxWithExtension } from './firefox';
import { OWN_CHROME, SITE_CASES, inspectButtons, pageHtml, pageLabel, type SiteCase } from './site-cases';

let firefox: FirefoxWithExtension;

beforeAll(async () => {
  firefox = await launchFirefox();
});
afterAll(async () => {
  await firefox?.close();
});

// Buttons go on answers near the viewport: count after scrolling through the page.
const hostCount = (page: Page) => hostsAfterScrolling(page);

async function expectButtons(page: Page, c: SiteCase, finished: number) {
  await until(async () => (await hostCount(page)) === finished, `${finished} buttons on ${c.name} in Firefox`, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const placement = await page.evaluate(inspectButtons, { answer: c.answer, user: c.user });
  expect(placement.problems).toEqual([]);
  expect(placement.hosts).toBe(finished);
  expect(placement.perAnswer.filter((n) => n === 1)).toHaveLength(finished);
}

const CLICKED = new Set(['chatgpt', 'claude', 'gemini', 'gemini-share']);

describe('every site layout in Firefox ESR', () => {
  for (const c of SITE_CASES) {
    const [primary] = c.pages as [SiteCase['pages'][number]];
    const clicks = CLICKED.has(c.name);

    const available = HAS_SHARED_CAPTURES || !primary.capture;
    it(`${c.name}: one button per finished answer (${primary.answers}) on ${pageLabel(primary)}${clicks ? '; a click stores its text' : ''}`, {
      skip: !available,
      meta: { sharedCapture: !available },
    }, async () => {
      const url = c.url(`${c.name}-firefox`);
      const page = await openFixture(firefox.browser, url, pageHtml(c.site, primary));
      await expectButtons(page, c, primary.answers);
      if (clicks) {
        await clickHost(page, c.click.index);
        let report: any;
        await until(async () => {
          const { reports } = await sendFromFirefoxExtension(firefox.extensionPage, { type: 'list-reports', limit: 500 });
          report = reports.find((r: any) => r.page_url === url);
          return Boolean(report);
        }, `a report from ${url} in Firefox`);
        expect(report).toMatchObject({ site: c.site, status: 'draft', client: { browser: 'firefox' } });
        expect(report.conversation_ref).toMatch(/^[0-9a-f]{64}$/);
        if (c.click.equals !== undefined) expect(report.answer).toBe(c.click.equals);
        for (const part of c.click.contains ?? []) expect(report.answer).toContain(part);
        for (const chrome of [...c.click.chrome, ...OWN_CHROME]) expect(report.answer).not.toMatch(chrome);
      }
      await page.close();
    });
  }
});
