// Hostile pages: answer text that looks like markup, page scripts that try to drive our
// button, forge navigation or listen for the extension, DOM clobbering, and answers over the
// size limit. Each guarantee here was checked to fail with its guard removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buttonHosts,
  clickButton,
  launchWithExtension,
  openExtensionPage,
  sendFromExtension,
  serveAt,
  until,
  screenshot,
  type ExtensionBrowser,
} from './chromium';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

function chatPage(answerHtml: string, extraBody = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>ChatGPT</title></head><body>${extraBody}
<main>
  <section data-testid="conversation-turn-1"><div data-message-author-role="user"><div class="whitespace-pre-wrap">Show me some HTML</div></div></section>
  <section data-testid="conversation-turn-2"><h4 class="sr-only">ChatGPT said:</h4>
    <div data-message-author-role="assistant" data-message-model-slug="gpt-5-5"><div class="markdown prose">${answerHtml}</div></div>
    <div role="group" aria-label="Response actions"><button aria-label="Copy response">c</button></div>
  </section>
</main></body></html>`;
}

/** What a screen reader would read, closed shadow roots included (CDP accessibility tree). */
async function accessibleText(page: Page): Promise<string> {
  const cdp = await browser.context.newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { name?: { value?: string } }[] };
  await cdp.detach();
  return nodes.map((n) => n.name?.value ?? '').join('\n');
}

async function draftCount(popup: Page): Promise<number> {
  return (await sendFromExtension(popup, { type: 'get-state' })).counts.draft;
}

/**
 * A click dispatched by script on the button INSIDE our closed shadow root: what a page
 * script could do if it ever got hold of the inner button. CDP reaches into closed roots;
 * the function runs in the page's own world, so the event is untrusted.
 */
async function scriptClickInsideButton(page: Page, index: number) {
  const cdp = await browser.context.newCDPSession(page);
  type DomNode = { nodeName: string; backendNodeId: number; children?: DomNode[]; shadowRoots?: DomNode[] };
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  const hosts: DomNode[] = [];
  (function find(node: DomNode) {
    if (node.nodeName === 'SOUNDS-LOCAL-BUTTON') hosts.push(node);
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) find(child);
  })(root);
  let inner: DomNode | undefined;
  (function find(node: DomNode) {
    if (node.nodeName === 'BUTTON') inner ??= node;
    for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) find(child);
  })(hosts[index]!.shadowRoots![0]!);
  const { object } = (await cdp.send('DOM.resolveNode', { backendNodeId: inner!.backendNodeId })) as { object: { objectId: string } };
  await cdp.send('Runtime.callFunctionOn', {
    objectId: object.objectId,
    functionDeclaration: 'function () { this.click(); this.dispatchEvent(new MouseEvent("click", { bubbles: true, composed: true })); }',
  });
  await cdp.detach();
}

/** Count capture messages reaching the background (a listener of our own in its service worker). */
async function countCapturesInBackground() {
  const worker = browser.context.serviceWorkers()[0]!;
  await worker.evaluate(() => {
    const g = globalThis as any;
    if (g.__captures !== undefined) return;
    g.__captures = 0;
    g.chrome.runtime.onMessage.addListener((message: any) => {
      if (message?.type === 'capture') g.__captures++;
    });
  });
  return () => worker.evaluate(() => (globalThis as any).__captures as number);
}

describe('hostile pages', () => {
  it('captures markup-looking answer text as text, and a script in it never runs in our pages', async () => {
    const url = 'https://chatgpt.com/c/hostile-markup';
    const escaped =
      '<p>Try &lt;img src=x onerror="globalThis.pwned=1"&gt; and &lt;script&gt;globalThis.pwned=2&lt;/script&gt;.</p>' +
      '<p><a href="javascript:globalThis.pwned=3">click me</a> — 影片, not 視頻.</p>';
    await serveAt(browser.context, url, chatPage(escaped));
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button');
    await clickButton(page, 0);
    const popup = await openExtensionPage(browser);
    let report: any;
    await until(async () => {
      report = (await sendFromExtension(popup, { type: 'list-reports' })).reports.find((r: any) => r.answer.includes('onerror'));
      return Boolean(report);
    }, 'the hostile report');
    expect(report.answer).toBe('Try <img src=x onerror="globalThis.pwned=1"> and <script>globalThis.pwned=2</script>.\nclick me — 影片, not 視頻.');
    // Open the report in the popup: its text must render as text.
    const editor = await openExtensionPage(browser, `popup.html?report=${report.id}`);
    const shown = editor.getByRole('region', { name: 'Answer', exact: true });
    await expect.poll(() => shown.textContent()).toContain('<img src=x onerror="globalThis.pwned=1">');
    await editor.waitForTimeout(500);
    expect(await editor.evaluate(() => (globalThis as any).pwned)).toBeUndefined();
    expect(await editor.locator('img[src="x"], script:not([src])').count()).toBe(0);
    await Promise.all([editor.close(), popup.close(), page.close()]);
  });

  it('makes no report from synthetic clicks or forged messages, and survives DOM clobbering', async () => {
    const url = 'https://chatgpt.com/c/hostile-scripts';
    // The page clobbers document.body / document.documentElement lookups and floods our
    // button with fake clicks and forged postMessages.
    const clobber =
      '<form name="body"></form><img name="documentElement"><form name="querySelector"></form>' +
      `<script>
        setInterval(() => {
          for (const host of document.querySelectorAll('sounds-local-button')) {
            host.click();
            host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
            host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
          }
          window.postMessage({ type: 'capture', site: 'chatgpt', answer: 'forged' }, '*');
          window.postMessage({ type: 'export-reports' }, '*');
        }, 20);
      </script>`;
    await serveAt(browser.context, url, chatPage('<p>The colour is grey and the lorry is late.</p>', clobber));
    const popup = await openExtensionPage(browser);
    const before = await draftCount(popup);
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button despite clobbering');
    await page.waitForTimeout(1_500);
    expect(await draftCount(popup)).toBe(before);
    // A real click still works on the same page.
    await clickButton(page, 0);
    await until(async () => (await draftCount(popup)) === before + 1, 'the real click to store one report');
    await Promise.all([popup.close(), page.close()]);
  });

  it('ignores a script’s click on the button inside the closed shadow root, and acts on a real click', async () => {
    const url = 'https://chatgpt.com/c/hostile-inner-click';
    await serveAt(browser.context, url, chatPage('<p>The colour is grey and the lorry is late.</p>'));
    const popup = await openExtensionPage(browser);
    const before = await draftCount(popup);
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button');
    // The host is placed at once; the button inside is built when it nears the viewport.
    await until(async () => ((await buttonHosts(page).first().boundingBox())?.width ?? 0) > 0, 'the button to be built');
    await page.evaluate(() => (document.querySelector('sounds-local-button') as HTMLElement).click());
    await scriptClickInsideButton(page, 0);
    await page.waitForTimeout(1_000);
    expect(await draftCount(popup)).toBe(before);
    await clickButton(page, 0);
    await until(async () => (await draftCount(popup)) === before + 1, 'the trusted click to store one report');
    await Promise.all([popup.close(), page.close()]);
  });

  it('tells the page nothing about the extension, and survives forged navigation and restart events', async () => {
    const url = 'https://chatgpt.com/c/hostile-listener';
    // The page records every message posted to it, then forges WXT's events with the
    // extension's id (public for a store extension), over and over, sampling our buttons.
    const listener = `<script>
      window.__messages = [];
      addEventListener('message', (event) => window.__messages.push(JSON.stringify(event.data)));
      window.forge = async (id) => {
        const counts = [];
        for (let i = 0; i < 60; i++) {
          window.dispatchEvent(new Event(id + ':chatgpt:wxt:locationchange'));
          window.dispatchEvent(new CustomEvent('wxt:locationchange'));
          document.dispatchEvent(new CustomEvent(id + ':chatgpt:wxt:content-script-started', { detail: { contentScriptName: 'chatgpt', messageId: 'forged' + i } }));
          counts.push(document.querySelectorAll('sounds-local-button').length);
          await new Promise((r) => setTimeout(r, 25));
          counts.push(document.querySelectorAll('sounds-local-button').length);
        }
        return counts;
      };
    </script>`;
    await serveAt(browser.context, url, chatPage('<p>The colour is grey and the lorry is late.</p>', listener));
    const popup = await openExtensionPage(browser);
    const before = await draftCount(popup);
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button');
    const messages: string[] = await page.evaluate(() => (window as any).__messages);
    expect(messages.filter((m) => m.includes(browser.extensionId) || m.includes('wxt'))).toEqual([]);
    const counts: number[] = await page.evaluate((id) => (window as any).forge(id), browser.extensionId);
    expect(new Set(counts)).toEqual(new Set([1]));
    await page.waitForTimeout(1_000);
    expect(await buttonHosts(page).count()).toBe(1);
    await clickButton(page, 0);
    await until(async () => (await draftCount(popup)) === before + 1, 'the button to still work');
    await Promise.all([popup.close(), page.close()]);
  });

  it('refuses an answer over the length limit in the page, sending nothing to the background', async () => {
    const url = 'https://chatgpt.com/c/hostile-long';
    // 300,000 characters: under the message size the background reads, over the answer limit.
    await serveAt(browser.context, url, chatPage(`<p>${'Um texto muito comprido. '.repeat(12_000)}</p>`));
    const captures = await countCapturesInBackground();
    const sentBefore = await captures();
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button', 20_000);
    await clickButton(page, 0);
    await until(async () => /too long to report .*use the context menu/.test(await accessibleText(page)), 'the in-page size message', 15_000);
    expect(await captures()).toBe(sentBefore);
    // A short answer on another page does reach the background (the counter works).
    await serveAt(browser.context, `${url}-short`, chatPage('<p>Short.</p>'));
    await page.goto(`${url}-short`);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button');
    await clickButton(page, 0);
    await until(async () => (await captures()) === sentBefore + 1, 'the short capture to arrive');
    await page.close();
  });

  it('answers a 2 MB answer with a clear message beside the button and stores nothing', async () => {
    const url = 'https://chatgpt.com/c/hostile-huge';
    const paragraph = '<p>' + '這是一段很長的回答，用來測試大小限制。'.repeat(50) + '</p>';
    const huge = paragraph.repeat(Math.ceil(2_000_000 / (paragraph.length - 7)));
    await serveAt(browser.context, url, chatPage(huge));
    const popup = await openExtensionPage(browser);
    const before = await draftCount(popup);
    const page = await browser.context.newPage();
    await page.goto(url);
    await until(async () => (await buttonHosts(page).count()) === 1, 'one button on the huge answer', 20_000);
    await clickButton(page, 0);
    await until(async () => /too long to report/.test(await accessibleText(page)), 'the size message', 15_000);
    await screenshot(page, 'in-page-oversize-message');
    expect(await draftCount(popup)).toBe(before);
    await Promise.all([popup.close(), page.close()]);
  });
});
