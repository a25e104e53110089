// The core loop in real Chromium, as a user does it: click the in-page button, mark a
// phrase in the popup with a suggestion, mark the report ready, export everything as JSONL.
// Controls are found by role and accessible name, like a screen-reader user would.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { describeCaptures, readCapture } from '../helpers/fixtures';
import {
  buttonHosts,
  clickButton,
  launchWithExtension,
  openExtensionPage,
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

describeCaptures('report an answer end to end', () => {
  it('click → popup → mark a phrase with a suggestion → ready → the exported JSONL holds it with correct offsets', async () => {
    const url = 'https://chatgpt.com/c/popup-flow';
    await serveAt(browser.context, url, readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html'));
    const chat = await browser.context.newPage();
    await chat.goto(url);
    await until(async () => (await buttonHosts(chat).count()) === 2, 'two buttons');
    await clickButton(chat, 1);
    const options = await openExtensionPage(browser, 'options.html');
    let reportId = '';
    await until(async () => {
      reportId = (await sendFromExtension(options, { type: 'list-reports' })).reports[0]?.id ?? '';
      return reportId !== '';
    }, 'the captured report');

    // Headless Chromium honours action.openPopup(): the real popup opens on the new report
    // (and consumes the focus), but Playwright cannot drive that window. The same app is
    // opened here on the same report.
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?report=${reportId}`);
    const answer = popup.getByRole('region', { name: 'Answer', exact: true });
    await answer.waitFor();
    await expect.poll(() => answer.textContent()).toContain('real time');
    await screenshot(popup, 'popup-editor');

    // The suggested marks load after the answer and sit above it: wait for them, so the
    // answer does not move between measuring the phrase and dragging over it.
    await popup.locator('.suggestions-loading').waitFor({ state: 'detached' });

    // Select the phrase with a real mouse drag, and check what the drag selected (a late
    // layout change under load would otherwise mark other words).
    const phrase = 'current, up-to-date information';
    await until(async () => {
      const box = await popup.evaluate((text) => {
        const region = document.querySelector('[aria-label="Answer"], [role="region"]')!;
        const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.nodeValue!.indexOf(text);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
          const rects = range.getClientRects();
          const first = rects[0]!;
          const last = rects[rects.length - 1]!;
          return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
        }
        throw new Error('phrase not shown');
      }, phrase);
      await popup.mouse.move(box.x1, box.y1);
      await popup.mouse.down();
      await popup.mouse.move(box.x2, box.y2, { steps: 8 });
      await popup.mouse.up();
      return (await popup.evaluate(() => getSelection()?.toString().trim())) === phrase;
    }, 'the drag to select the phrase');
    await popup.getByRole('button', { name: 'Mark', exact: true }).click();

    const dialog = popup.getByRole('dialog', { name: 'New mark' });
    await dialog.getByRole('radio', { name: 'Word from another region' }).check();
    await dialog.getByRole('combobox', { name: 'Severity' }).selectOption('major');
    await dialog.getByRole('textbox', { name: 'What would a local say?', exact: true }).fill('informações atualizadas');
    await dialog.getByRole('button', { name: 'Alternatives, note' }).click();
    await dialog.getByRole('textbox', { name: 'Alternatives (optional)' }).fill('dados recentes');
    await screenshot(popup, 'popup-mark-form');
    await dialog.getByRole('button', { name: 'Add mark', exact: true }).click();
    await popup
      .getByRole('button', { name: `Marked “${phrase}”`, exact: false })
      .first()
      .waitFor();

    await popup.getByRole('button', { name: 'Change the expected locale' }).click();
    await popup.getByRole('combobox', { name: 'Expected locale' }).fill('pt-BR');
    await popup.getByRole('textbox', { name: 'Comment (optional)' }).fill('Resposta em inglês para um usuário brasileiro.');
    await screenshot(popup, 'popup-editor-marked');
    await popup.getByRole('button', { name: 'Ready to upload', exact: true }).click();
    await until(async () => (await sendFromExtension(options, { type: 'get-state' })).counts.ready === 1, 'the report to be ready');
    await screenshot(popup, 'popup-after-ready');

    // Export from the options page, as a user would.
    await options.reload();
    const [download] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Export reports (JSONL)' }).click()]);
    const path = await download.path();
    const lines = readFileSync(path!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const report = lines.find((r) => r.status === 'ready');
    expect(report).toBeDefined();
    expect(report.expected_locale).toBe('pt-BR');
    expect(report.comment).toBe('Resposta em inglês para um usuário brasileiro.');
    expect(report.highlights).toHaveLength(1);
    const [mark] = report.highlights;
    expect(mark).toMatchObject({
      exact: phrase,
      category: 'regional_vocabulary',
      severity: 'major',
      suggestion: 'informações atualizadas',
      alternatives: ['dados recentes'],
      source: 'user',
    });
    expect(report.answer.slice(mark.start, mark.end)).toBe(phrase);
    expect(report.answer.slice(mark.start - mark.prefix.length, mark.start)).toBe(mark.prefix);
    expect(report.answer.slice(mark.end, mark.end + mark.suffix.length)).toBe(mark.suffix);
    await screenshot(options, 'options-page');
    await Promise.all([chat.close(), popup.close(), options.close()]);
  });
});
