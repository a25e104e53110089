// Every supported chatbot layout in real Chromium with the built extension, each page served
// at the site's real https URL: one button per finished answer (none on user turns), none
// while an answer streams, one after re-renders, remounts and in-app navigation, a click
// stores the answer's text, and where a site shows no action bar the button goes right
// after the answer without moving it. The cases are in site-cases.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buttonHosts,
  clickButton,
  launchWithExtension,
  openExtensionPage,
  revealAll,
  screenshot,
  sendFromExtension,
  serveAt,
  until,
  type ExtensionBrowser,
} from './chromium';
import {
  OWN_CHROME,
  SITE_CASES,
  availablePages,
  caseAvailable,
  inspectButtons,
  installPageHelpers,
  layoutNow,
  pageHtml,
  pageLabel,
  recordLayout,
  type SiteCase,
} from './site-cases';

let browser: ExtensionBrowser;
let options: Page;

beforeAll(async () => {
  browser = await launchWithExtension();
  await browser.context.addInitScript(installPageHelpers);
  options = await openExtensionPage(browser, 'options.html');
});
afterAll(async () => {
  await browser?.close();
});

async function openSite(c: SiteCase, id: string, html: string, removeBars?: string): Promise<Page> {
  const url = c.url(id);
  await serveAt(browser.context, url, html);
  const page = await browser.context.newPage();
  await page.addInitScript(recordLayout, { answer: c.answer, removeBars });
  await page.goto(url);
  if (c.css) await page.addStyleTag({ content: c.css });
  return page;
}

/**
 * Scrolls every answer into view once, as a reader going through the conversation would:
 * the content script may build buttons only for answers near the viewport.
 */
async function revealAnswers(page: Page, c: SiteCase) {
  await page.evaluate(async (answer) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)));
    for (const el of document.querySelectorAll(answer)) {
      el.scrollIntoView({ block: 'center' });
      await frame();
    }
    window.scrollTo(0, 0);
    await frame();
  }, c.answer);
}

/**
 * Waits for `finished` live buttons (copies left behind by a remount, marked
 * `data-e2e-stale`, don't count and must be gone), checks they stay (one more reconcile
 * round adds or removes none), then that each finished answer owns exactly one and none is
 * on a user's turn.
 */
async function expectButtons(page: Page, c: SiteCase, finished: number, total?: number) {
  if (finished === 0) await page.waitForTimeout(800); // give the content script its first round
  await revealAnswers(page, c);
  const live = page.locator('sounds-local-button:not([data-e2e-stale])');
  const stale = page.locator('sounds-local-button[data-e2e-stale]');
  await until(async () => (await live.count()) === finished && (await stale.count()) === 0, `${finished} buttons on ${c.name}`);
  await page.waitForTimeout(400);
  const placement = await page.evaluate(inspectButtons, { answer: c.answer, user: c.user });
  expect(placement.problems).toEqual([]);
  expect(placement.hosts).toBe(finished);
  expect(placement.perAnswer.filter((n) => n === 1)).toHaveLength(finished);
  expect(placement.perAnswer.every((n) => n <= 1)).toBe(true);
  if (total !== undefined) expect(placement.answers).toBe(total);
  return placement;
}

/**
 * Where a button sits right after its answer, the answer and its container keep their
 * place and width (later answers may move down by the button's height: that is expected).
 */
async function expectLayoutKept(page: Page, c: SiteCase): Promise<number> {
  // Buttons far from the viewport are empty placeholders until their answer scrolls near:
  // read the layout after a reader has scrolled through (revealAll ends back at the top).
  await revealAll(page);
  const now = await page.evaluate(layoutNow, { answer: c.answer });
  expect(now.before, 'layout recorded at DOMContentLoaded').toBeDefined();
  expect(now.answers).toHaveLength(now.before!.answers.length);
  let after = 0;
  now.hostsAfter.forEach((host, i) => {
    if (!host) return;
    after++;
    expect(host.width, `button after answer ${i} is visible`).toBeGreaterThan(10);
    expect(host.height).toBeGreaterThan(5);
    for (const key of ['left', 'width'] as const) {
      expect(Math.abs(now.answers[i]![key] - now.before!.answers[i]![key]), `answer ${i} ${key}`).toBeLessThan(1);
      expect(Math.abs(now.containers[i]![key] - now.before!.containers[i]![key]), `answer ${i}'s container ${key}`).toBeLessThan(1);
    }
  });
  expect(now.scrollWidth, 'no new horizontal scrolling').toBeLessThanOrEqual(Math.max(now.before!.scrollWidth, now.clientWidth));
  return after;
}

const TOKENS = 'Em Portugal diz-se autocarro; no Brasil, ônibus. '.repeat(3).split(/(?<= )/);

for (const c of SITE_CASES) {
  const [primary] = c.pages as [SiteCase['pages'][number]];
  const html = () => pageHtml(c.site, primary);

  // Without ../shared, cases on real captures are skipped (and counted by the capture-skip reporter).
  const available = caseAvailable(c);
  const pages = availablePages(c);
  describe.concurrent(`${c.name} (${new URL(c.url('x')).host}, ${pageLabel(primary)})`, { skip: !available, meta: { sharedCapture: !available } }, () => {
    it(`puts one button on each finished answer of every page (${pages.map((p) => p.answers).join(', ')}), none on user turns, without moving answers`, async () => {
      for (const [i, p] of pages.entries()) {
        const page = await openSite(c, `${c.name}-count-${i}`, pageHtml(c.site, p));
        try {
          await expectButtons(page, c, p.answers, p.answers + (p.streaming ?? 0));
          await expectLayoutKept(page, c);
        } catch (error) {
          throw new Error(`${pageLabel(p)}: ${(error as Error).message}`);
        } finally {
          await page.close();
        }
      }
    });

    it('stores a report with the answer’s text when its button is clicked', async () => {
      const url = c.url(`${c.name}-click`);
      const page = await openSite(c, `${c.name}-click`, html());
      await expectButtons(page, c, primary.answers);
      await buttonHosts(page)
        .nth(c.click.index)
        .evaluate((host) => host.scrollIntoView({ block: 'center' }));
      await screenshot(page, `in-page-${c.name}`);
      await clickButton(page, c.click.index);
      let report: any;
      await until(async () => {
        const { reports } = await sendFromExtension(options, { type: 'list-reports', limit: 500 });
        report = reports.find((r: any) => r.page_url === url);
        return Boolean(report);
      }, `a report from ${url}`);
      expect(report.site).toBe(c.site);
      expect(report.status).toBe('draft');
      expect(report.conversation_ref).toMatch(/^[0-9a-f]{64}$/); // the adapter read the conversation id
      if (c.click.equals !== undefined) expect(report.answer).toBe(c.click.equals);
      for (const part of c.click.contains ?? []) expect(report.answer).toContain(part);
      for (const chrome of [...c.click.chrome, ...OWN_CHROME]) expect(report.answer).not.toMatch(chrome);
      await page.close();
    });

    it('adds no button while an answer streams token by token, and one once it settles', async () => {
      const page = await openSite(c, `${c.name}-streaming`, html());
      const total = primary.answers + (primary.streaming ?? 0);
      await expectButtons(page, c, primary.answers, total);
      const target = await page.evaluateHandle(c.streaming.start);
      // Token by token, a text node every 20 ms, counting our buttons after each.
      const counts = await target.evaluate(async (el, tokens) => {
        const seen: number[] = [];
        for (const token of tokens) {
          el.append(token);
          await new Promise((resolve) => setTimeout(resolve, 20));
          seen.push(document.querySelectorAll('sounds-local-button').length);
        }
        return seen;
      }, TOKENS);
      expect(new Set(counts)).toEqual(new Set([primary.answers]));
      await expectButtons(page, c, primary.answers, primary.streaming ? total : total + 1);
      await page.evaluate(c.streaming.settle);
      await expectButtons(page, c, primary.answers + 1, primary.streaming ? total : total + 1);
      await page.close();
    });

    it('keeps one button per answer when action bars re-render and turns remount', async () => {
      const page = await openSite(c, `${c.name}-rerender`, html());
      await expectButtons(page, c, primary.answers);
      // A framework re-render: what holds our button is replaced by a fresh copy without it.
      await page.evaluate(() => {
        const parents = [...new Set([...document.querySelectorAll('sounds-local-button')].map((h) => h.parentElement!))];
        for (const parent of parents.filter((p) => !parents.some((o) => o !== p && o.contains(p)))) parent.replaceWith(window.e2e.fresh(parent));
      });
      await expectButtons(page, c, primary.answers);
      // A virtualised list: the turns unmount and come back as new nodes (copies, stale buttons
      // included: marked, so only buttons the content script puts on the new nodes count).
      await page.evaluate(async (turn) => {
        const all = [...document.querySelectorAll(turn)];
        const turns = all.filter((t) => !all.some((o) => o !== t && o.contains(t)));
        const copies = turns.map((t) => t.cloneNode(true) as Element);
        for (const copy of copies) copy.querySelectorAll('sounds-local-button').forEach((host) => host.setAttribute('data-e2e-stale', ''));
        const marks = turns.map((t) => {
          const mark = document.createComment('unmounted');
          t.replaceWith(mark);
          return mark;
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        marks.forEach((mark, i) => mark.replaceWith(copies[i]!));
      }, c.turn);
      await expectButtons(page, c, primary.answers);
      await page.close();
    });

    it(`shows the next conversation’s ${c.navigate.answers} buttons after an in-app navigation, none left from the first`, async () => {
      const page = await openSite(c, `${c.name}-first`, html());
      await expectButtons(page, c, primary.answers);
      await page.evaluate(() => document.querySelectorAll('sounds-local-button').forEach((h) => h.setAttribute('data-e2e-old', '')));
      const nav = c.navigate;
      const next = nav.capture || nav.own ? pageHtml(c.site, nav) : html();
      await page.evaluate(
        ({ path, next }) => {
          history.pushState({}, '', path);
          const doc = new DOMParser().parseFromString(next, 'text/html');
          document.body.replaceChildren(...doc.body.childNodes);
        },
        { path: new URL(c.url(`${c.name}-second`)).pathname, next },
      );
      if (nav.double) {
        await page.evaluate((turn) => {
          const all = [...document.querySelectorAll(turn)];
          const turns = all.filter((t) => !all.some((o) => o !== t && o.contains(t)));
          turns[turns.length - 1]!.after(...turns.map((t) => window.e2e.fresh(t)));
        }, c.turn);
      }
      if (nav.settle) await page.evaluate(c.streaming.settle);
      await expectButtons(page, c, nav.answers);
      expect(await page.locator('sounds-local-button[data-e2e-old]').count()).toBe(0);
      await page.close();
    });

    if (c.bar) {
      it('puts the button right after the answer when the action bar is missing, without moving the answer', async () => {
        const page = await openSite(c, `${c.name}-barless`, html(), c.bar);
        const placement = await expectButtons(page, c, primary.answers);
        expect(placement.placements).toEqual(Array(primary.answers).fill('after'));
        expect(await expectLayoutKept(page, c)).toBe(primary.answers);
        await page.close();
      });
    }
  });
}
