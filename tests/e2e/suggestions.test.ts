// Suggested marks end to end in real Chromium (DESIGN §13): a zh-TW report on an answer full
// of mainland vocabulary and an en-GB report on an American answer show the glossary's
// suggestions; Accept all, Ready to upload, and the exported JSONL holds the marks at the
// right offsets. Also: autosave survives closing the popup mid-edit, the editor at 400×600
// in light and dark (screenshots in tmp/screenshots), and the clicks a report takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { EN_ANSWER, ZH_ANSWER, chatPage } from './chat-page';
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
let options: Page;
beforeAll(async () => {
  browser = await launchWithExtension();
  options = await openExtensionPage(browser, 'options.html');
});
afterAll(async () => {
  await browser?.close();
});

/** The user's clicks, counted as they happen (mouse clicks; typing is not a click). */
let clicks = 0;

async function captureFrom(url: string, html: string): Promise<{ chat: Page; reportId: string }> {
  await serveAt(browser.context, url, html);
  const chat = await browser.context.newPage();
  await chat.goto(url);
  await until(async () => (await buttonHosts(chat).count()) === 1, 'the in-page button');
  const before = new Set<string>((await sendFromExtension(options, { type: 'list-reports' })).reports.map((r: { id: string }) => r.id));
  await clickButton(chat, 0);
  clicks++;
  let reportId = '';
  await until(async () => {
    const reports = (await sendFromExtension(options, { type: 'list-reports' })).reports as Array<{ id: string }>;
    reportId = reports.find((r) => !before.has(r.id))?.id ?? '';
    return reportId !== '';
  }, 'the captured report');
  return { chat, reportId };
}

/** The popup app on a report, at the toolbar popup's size. */
async function openPopup(reportId: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.emulateMedia({ colorScheme });
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?report=${reportId}`);
  await popup.getByRole('region', { name: 'Answer', exact: true }).waitFor();
  return popup;
}

async function exported(reportId: string) {
  const { jsonl } = await sendFromExtension(options, { type: 'export-reports' });
  return (jsonl as string)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((r) => r.id === reportId);
}

function expectAnchored(report: { answer: string; highlights: Array<{ start: number; end: number; exact: string; prefix: string; suffix: string }> }) {
  for (const h of report.highlights) {
    expect(report.answer.slice(h.start, h.end)).toBe(h.exact);
    expect(report.answer.slice(h.start - h.prefix.length, h.start)).toBe(h.prefix);
    expect(report.answer.slice(h.end, h.end + h.suffix.length)).toBe(h.suffix);
  }
}

describe('suggested marks in real Chromium', () => {
  it('first run: an empty popup asks which locale answers should sound like, one click to confirm', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    const use = popup.getByRole('button', { name: /^Use .+ \(en-US\)$/ });
    await use.waitFor();
    await screenshot(popup, 'popup-first-run-light');
    await use.click();
    await expect.poll(async () => (await sendFromExtension(options, { type: 'get-state' })).settings.default_locale).toBe('en-US');
    await popup.close();
  });

  it('zh-TW: an answer full of mainland vocabulary → suggestions → Accept all → Ready → JSONL with the marks at their offsets', async () => {
    await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'zh-TW' } });
    clicks = 0;
    const { chat, reportId } = await captureFrom('https://chatgpt.com/c/zh-tw-suggestions', chatPage('怎麼提高產品品質？', ZH_ANSWER));
    const popup = await openPopup(reportId);
    const panel = popup.getByRole('region', { name: /Likely mismatches/ });
    await panel.waitFor();
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(7);
    await screenshot(popup, 'editor-suggestions-zh-TW-light');
    await popup.getByRole('button', { name: 'Accept all 7' }).click();
    clicks++;
    await popup.getByRole('region', { name: 'Marks (7)' }).waitFor();
    await popup.getByRole('button', { name: 'Ready to upload', exact: true }).click();
    clicks++;
    await popup.getByText(/Saved and ready to upload/).waitFor();
    expect(clicks).toBe(3);

    const report = await exported(reportId);
    expect(report.status).toBe('ready');
    expect(report.expected_locale).toBe('zh-TW');
    expect(report.answer).toBe(ZH_ANSWER);
    expectAnchored(report);
    expect(report.highlights.map((h: { exact: string; suggestion: string }) => `${h.exact}→${h.suggestion}`)).toEqual([
      '視頻→影片',
      '軟件→軟體',
      '質量→品質',
      '網絡→網路',
      '信息→資訊',
      '鼠標→滑鼠',
      '點擊→點選',
    ]);
    expect(report.highlights.every((h: { source: string }) => h.source.startsWith('glossary:'))).toBe(true);
    await Promise.all([chat.close(), popup.close()]);
  });

  it('en-GB: an American answer → British spelling and vocabulary → Accept all → Ready → JSONL (dark theme)', async () => {
    await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'en-GB' } });
    const { chat, reportId } = await captureFrom('https://chatgpt.com/c/en-gb-suggestions', chatPage('What should I do?', EN_ANSWER, true));
    const popup = await openPopup(reportId, 'dark');
    const panel = popup.getByRole('region', { name: /Likely mismatches/ });
    await panel.waitFor();
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(5);
    await screenshot(popup, 'editor-suggestions-en-GB-dark');
    await popup.getByRole('button', { name: 'Accept all 5' }).click();
    await popup.getByRole('region', { name: 'Marks (5)' }).waitFor();
    await popup.getByRole('button', { name: 'Ready to upload', exact: true }).click();
    await popup.getByText(/Saved and ready to upload/).waitFor();
    const report = await exported(reportId);
    expectAnchored(report);
    expect(report.highlights.map((h: { exact: string; suggestion: string; source: string }) => `${h.exact}→${h.suggestion} (${h.source})`)).toEqual([
      'color→colour (glossary:en-spelling-gb)',
      'center→centre (glossary:en-spelling-gb)',
      'gray→grey (glossary:en-spelling-gb)',
      'elevator→lift (glossary:curated-en)',
      'parking lot→car park (glossary:curated-en)',
    ]);
    await Promise.all([chat.close(), popup.close()]);
  });

  it('a phrase no glossary knows: selected on the page, then category, typed wording, Ready', async () => {
    await sendFromExtension(options, { type: 'set-settings', settings: { default_locale: 'en-GB' } });
    const url = 'https://chatgpt.com/c/unknown-phrase';
    const answer = 'Grab a hoagie on your way to the game.';
    await serveAt(browser.context, url, chatPage('Lunch?', answer));
    const chat = await browser.context.newPage();
    await chat.goto(url);
    await until(async () => (await buttonHosts(chat).count()) === 1, 'the in-page button');
    clicks = 0;
    // Double-click selects the word on the page (one gesture, counted as one click).
    const word = await chat.evaluate(() => {
      const p = document.querySelector('[data-message-author-role="assistant"] p')!;
      const text = p.firstChild!;
      const range = document.createRange();
      const at = text.nodeValue!.indexOf('hoagie');
      range.setStart(text, at + 1);
      range.setEnd(text, at + 2);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    });
    await chat.mouse.dblclick(word.x, word.y);
    clicks++;
    const selected = await chat.evaluate(() => getSelection()?.toString().trim());
    expect(selected).toBe('hoagie');
    await clickButton(chat, 0);
    clicks++;
    let reportId = '';
    await until(async () => {
      reportId = (await sendFromExtension(options, { type: 'list-reports' })).reports[0]?.id ?? '';
      return reportId !== '' && (await sendFromExtension(options, { type: 'get-report', id: reportId })).report.answer === answer;
    }, 'the captured report');
    const popup = await openPopup(reportId);
    const dialog = popup.getByRole('dialog', { name: 'New mark' });
    await dialog.waitFor();
    await screenshot(popup, 'editor-mark-form-light');
    const chip = (await dialog.getByText('Word from another region').boundingBox())!;
    await popup.mouse.click(chip.x + chip.width / 2, chip.y + chip.height / 2);
    clicks++;
    // After the chip, the keyboard is in the suggestion field: type, Enter adds the mark.
    await expect.poll(() => popup.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('text');
    await popup.keyboard.type('sandwich');
    await popup.keyboard.press('Enter');
    await popup.getByRole('region', { name: 'Marks (1)' }).waitFor();
    await popup.getByRole('button', { name: 'Ready to upload', exact: true }).click();
    clicks++;
    await popup.getByText(/Saved and ready to upload/).waitFor();
    expect(clicks).toBe(4);
    const report = await exported(reportId);
    expect(report.highlights).toMatchObject([{ exact: 'hoagie', suggestion: 'sandwich', source: 'user', start: answer.indexOf('hoagie') }]);
    await Promise.all([chat.close(), popup.close()]);
  });

  it('autosave: text typed just before the popup closes is there when it opens again', async () => {
    const { chat, reportId } = await captureFrom('https://chatgpt.com/c/autosave', chatPage('Hi', 'Take the elevator.'));
    const popup = await openPopup(reportId, 'dark');
    await popup.getByRole('textbox', { name: 'Comment (optional)' }).fill('Typed, then the popup closed at once.');
    await screenshot(popup, 'editor-dark');
    await popup.close(); // no button pressed, no waiting for the autosave timer
    const again = await openPopup(reportId);
    await expect.poll(() => again.getByRole('textbox', { name: 'Comment (optional)' }).inputValue()).toBe('Typed, then the popup closed at once.');
    await screenshot(again, 'editor-light');
    await Promise.all([chat.close(), again.close()]);
  });
});
