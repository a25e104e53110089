import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeCaptures, readCapture, readOwnFixture } from '../helpers/fixtures';
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

let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

async function openChat(url: string, html: string): Promise<Page> {
  await serveAt(browser.context, url, html);
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

async function settledCount(page: Page, expected: number) {
  // Buttons go on answers near the viewport: scroll through, so every answer has come near.
  await until(async () => {
    await revealAll(page);
    return (await buttonHosts(page).count()) === expected;
  }, `${expected} buttons`);
  // Stays there: one more reconcile round must not add or remove any.
  await page.waitForTimeout(400);
  expect(await buttonHosts(page).count()).toBe(expected);
}

describeCaptures('ChatGPT in real Chromium', () => {
  it('puts exactly one button on each finished answer of real captures, none on user turns', async () => {
    const cases: [string, string, number][] = [
      ['https://chatgpt.com/c/five-pairs', readCapture('chatgpt', 'revivalstack__chatgpt-dom-5question-ans-pairs.html'), 5],
      ['https://chatgpt.com/c/real-capture', readCapture('chatgpt', 'nuncaeslupus__real-capture.html'), 13],
      ['https://chatgpt.com/c/new-layout', readOwnFixture('chatgpt-2026-09.html'), 2],
    ];
    for (const [url, html, answers] of cases) {
      const page = await openChat(url, html);
      await settledCount(page, answers);
      const onUserTurn = await page.evaluate(
        () =>
          [...document.querySelectorAll('sounds-local-button')].filter((h) =>
            h.closest('[data-message-author-role="user"], [data-turn="user"], [data-chatgpt-search-unit-key$=":user"]'),
          ).length,
      );
      expect(onUserTurn).toBe(0);
      if (url.endsWith('five-pairs')) {
        await page.locator('sounds-local-button').first().scrollIntoViewIfNeeded();
        await screenshot(page, 'in-page-button-chatgpt');
      }
      await page.close();
    }
  });

  it('adds no button while an answer streams token by token, and one once it settles', async () => {
    const html = readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html');
    const page = await openChat('https://chatgpt.com/c/streaming', html);
    await settledCount(page, 2);
    // A new turn starts streaming: stop button in the composer, text arriving token by token.
    await page.evaluate(() => {
      const turn = document.querySelector('[data-testid="conversation-turn-4"]')!.cloneNode(true) as HTMLElement;
      turn.setAttribute('data-testid', 'conversation-turn-6');
      turn.querySelector('sounds-local-button')?.remove();
      turn.querySelector('[role="group"][aria-label="Response actions"]')?.remove();
      const body = turn.querySelector('.markdown')!;
      body.classList.add('result-streaming');
      body.textContent = '';
      document.querySelector('[data-testid="conversation-turn-4"]')!.after(turn);
      const stop = document.createElement('button');
      stop.setAttribute('data-testid', 'stop-button');
      document.body.append(stop);
    });
    const tokens = 'Em Portugal diz-se autocarro; no Brasil, ônibus. '.repeat(6).split(/(?<= )/);
    for (const token of tokens) {
      await page.evaluate((t) => document.querySelector('.result-streaming')!.append(t), token);
      await page.waitForTimeout(15);
      expect(await buttonHosts(page).count()).toBe(2);
    }
    await page.waitForTimeout(500);
    expect(await buttonHosts(page).count()).toBe(2);
    await page.evaluate(() => {
      document.querySelector('.result-streaming')!.classList.remove('result-streaming');
      document.querySelector('[data-testid="stop-button"]')!.remove();
    });
    await settledCount(page, 3);
    await page.close();
  });

  it('puts the button on an answer once its text settles, on a page with no finished signal at all', async () => {
    // ChatGPT's 2026-09 layout says "finished" only by drawing the action bar after the
    // answer; this page never draws it, so only the injector's settle fallback can tell.
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>ChatGPT</title></head><body><main><div id="thread">
      <div data-turn-key="t-1" class="turn">
        <div data-chatgpt-search-unit-key="t-1:user"><div class="whitespace-pre-wrap">Which word do Brazilians use for bus?</div></div>
        <div data-chatgpt-search-unit-key="t-1:assistant"><div data-markdown-text-style="assistant-message"><p id="stream"></p></div></div>
      </div></div></main>
      <form><button type="button" data-testid="stop-button" aria-label="Stop streaming">Stop</button></form></body></html>`;
    const page = await openChat('https://chatgpt.com/c/no-finished-signal', html);
    // Tokens every 40 ms, with pauses of 700 ms (shorter than the settle interval), counting
    // our buttons after each.
    const counts = await page.evaluate(async () => {
      const stream = document.getElementById('stream')!;
      const seen: number[] = [];
      const words = 'No Brasil diz-se ônibus; em Portugal, autocarro. '.repeat(8).split(/(?<= )/);
      for (const [i, word] of words.entries()) {
        stream.append(word);
        await new Promise((r) => setTimeout(r, i % 20 === 19 ? 700 : 40));
        seen.push(document.querySelectorAll('sounds-local-button').length);
      }
      return seen;
    });
    expect(Math.max(...counts)).toBe(0);
    await page.evaluate(() => document.querySelector('[data-testid="stop-button"]')!.remove());
    await until(async () => (await buttonHosts(page).count()) === 1, 'the settled answer’s button', 8_000);
    // No action bar on this page: right after the answer.
    expect(
      await buttonHosts(page)
        .first()
        .evaluate((h) => h.previousElementSibling?.getAttribute('data-chatgpt-search-unit-key')),
    ).toBe('t-1:assistant');
    await page.close();
  });

  it('places buttons on the answers near the viewport first, and on the others as they scroll near', async () => {
    const paragraph = '<p>' + 'A long answer about buses, coaches and the words for them in Lisbon and São Paulo. '.repeat(12) + '</p>';
    const turns = Array.from(
      { length: 12 },
      (_, i) => `
      <section data-testid="conversation-turn-${2 * i + 1}"><div data-message-author-role="user"><div class="whitespace-pre-wrap">Question ${i + 1}?</div></div></section>
      <section data-testid="conversation-turn-${2 * i + 2}"><div data-message-author-role="assistant"><div class="markdown prose">${paragraph.repeat(8)}</div></div>
        <div role="group" aria-label="Response actions"><button aria-label="Copy response">c</button></div></section>`,
    ).join('');
    const page = await openChat(
      'https://chatgpt.com/c/long-conversation',
      `<!doctype html><html><head><meta charset="utf-8"></head><body><main>${turns}</main></body></html>`,
    );
    // Answers far from the viewport get nothing until they come near; every button placed is built (it has a size).
    const built = () => page.evaluate(() => [...document.querySelectorAll('sounds-local-button')].filter((h) => h.getBoundingClientRect().width > 0).length);
    await until(async () => (await buttonHosts(page).count()) > 0, 'the first buttons');
    await page.waitForTimeout(400);
    const first = await buttonHosts(page).count();
    expect(first).toBeLessThan(12);
    expect(await built()).toBe(first);
    await revealAll(page);
    await settledCount(page, 12);
    await until(async () => (await built()) === 12, 'every button built after scrolling through');
    await page.close();
  });

  it('keeps exactly one button per answer across re-renders and virtualised remounts', async () => {
    const page = await openChat('https://chatgpt.com/c/rerender', readCapture('chatgpt', 'revivalstack__chatgpt-dom-5question-ans-pairs.html'));
    await settledCount(page, 5);
    // React re-render: the action bars are replaced by fresh nodes (foreign children dropped).
    await page.evaluate(() => {
      for (const bar of document.querySelectorAll('[aria-label="Response actions"]')) {
        const fresh = bar.cloneNode(true) as Element;
        fresh.querySelectorAll('sounds-local-button').forEach((h) => h.remove());
        bar.replaceWith(fresh);
      }
    });
    await settledCount(page, 5);
    // Virtualised list: turns unmount and come back as new nodes (copies, stale hosts included).
    await page.evaluate(() => {
      const turns = [...document.querySelectorAll('[data-testid^="conversation-turn-"]')];
      const parent = turns[0]!.parentElement!;
      const copies = turns.map((t) => t.cloneNode(true) as Element);
      turns.forEach((t) => t.remove());
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          parent.append(...copies);
          resolve();
        }, 50),
      );
    });
    await settledCount(page, 5);
    await page.close();
  });

  it('shows the new conversation’s buttons after an in-app navigation, none left from the old', async () => {
    const five = readCapture('chatgpt', 'revivalstack__chatgpt-dom-5question-ans-pairs.html');
    const two = readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html');
    const page = await openChat('https://chatgpt.com/c/first', five);
    await settledCount(page, 5);
    const otherMain = two.slice(two.indexOf('<main'), two.indexOf('</main>') + 7);
    await page.evaluate((mainHtml) => {
      history.pushState({}, '', '/c/second');
      const doc = new DOMParser().parseFromString(mainHtml, 'text/html');
      document.querySelector('main')!.replaceWith(document.adoptNode(doc.querySelector('main')!));
    }, otherMain);
    await settledCount(page, 2);
    await page.close();
  });

  it('stores a draft report when the button is clicked, with the page selection pre-marked', async () => {
    const page = await openChat('https://chatgpt.com/c/6a1f0c2e-click', readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html'));
    await settledCount(page, 2);
    // Select "search the web in real time" inside the second answer, as a user would.
    await page.evaluate(() => {
      const answer = document.querySelectorAll('[data-message-author-role="assistant"]')[1]!;
      const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.nodeValue!.indexOf('search the web');
        if (at >= 0) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'search the web in real time'.length);
          getSelection()!.removeAllRanges();
          getSelection()!.addRange(range);
          return;
        }
      }
      throw new Error('phrase not found');
    });
    await clickButton(page, 1);
    const popup = await openExtensionPage(browser);
    let reports: any[] = [];
    await until(async () => {
      reports = (await sendFromExtension(popup, { type: 'list-reports' })).reports;
      return reports.length > 0;
    }, 'a stored report');
    const [report] = reports;
    expect(report.site).toBe('chatgpt');
    expect(report.status).toBe('draft');
    expect(report.answer.startsWith('Yes — I can search the web in real time when needed 👍')).toBe(true);
    expect(report.answer).not.toMatch(/ChatGPT said|OpenAI Help Center/);
    expect(report.prompt).toBe('can you do search online in real time?');
    expect(report.include_prompt).toBe(false);
    expect(report.model).toEqual({ label: 'gpt-5-3', source: 'page' });
    expect(report.conversation_ref).toMatch(/^[0-9a-f]{64}$/);
    expect(report.page_url).toBe('https://chatgpt.com/c/6a1f0c2e-click');
    expect(report.answer.slice(report.preselected.start, report.preselected.end)).toBe('search the web in real time');
    await popup.close();
    await page.close();
  });

  it('ignores synthetic clicks dispatched by the page', async () => {
    const page = await openChat('https://chatgpt.com/c/synthetic', readCapture('chatgpt', 'revivalstack__chatgpt-dom-1question-ans-pair.html'));
    await settledCount(page, 1);
    const popup = await openExtensionPage(browser);
    const before = (await sendFromExtension(popup, { type: 'get-state' })).counts.draft;
    await page.evaluate(() => {
      const host = document.querySelector('sounds-local-button') as HTMLElement;
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      host.click();
      window.postMessage({ type: 'capture', site: 'chatgpt', answer: 'forged' }, '*');
    });
    await page.waitForTimeout(800);
    expect((await sendFromExtension(popup, { type: 'get-state' })).counts.draft).toBe(before);
    await popup.close();
    await page.close();
  });
});
