import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { describeCaptures, readCapture } from '../helpers/fixtures';
import { ROOT, until } from './chromium';
import { clickHost, hostsAfterScrolling, launchFirefox, openFixture, sendFromFirefoxExtension, type FirefoxWithExtension } from './firefox';

let firefox: FirefoxWithExtension;

beforeAll(async () => {
  firefox = await launchFirefox();
});
afterAll(async () => {
  await firefox?.close();
});

describeCaptures('Firefox ESR', () => {
  it('installs the extension, puts buttons on a ChatGPT capture, and a click stores a report', async () => {
    const page = await openFixture(
      firefox.browser,
      'https://chatgpt.com/c/ff-five',
      readCapture('chatgpt', 'revivalstack__chatgpt-dom-5question-ans-pairs.html'),
    );
    await until(async () => (await hostsAfterScrolling(page)) === 5, '5 buttons in Firefox', 15_000);
    await clickHost(page, 2);
    let reports: any[] = [];
    await until(async () => {
      reports = (await sendFromFirefoxExtension(firefox.extensionPage, { type: 'list-reports' })).reports;
      return reports.length === 1;
    }, 'a report stored from Firefox');
    expect(reports[0]).toMatchObject({ site: 'chatgpt', status: 'draft', client: { browser: 'firefox' } });
    expect(reports[0].answer.length).toBeGreaterThan(20);
    expect(reports[0].answer).not.toMatch(/ChatGPT said/);
    await page.close();
  });
});

describe('Mozilla add-on linter', () => {
  it('finds no errors in the Firefox build', async () => {
    const bin = resolve(ROOT, 'node_modules/.bin/web-ext');
    const result = await promisify(execFile)(bin, ['lint', '--source-dir', resolve(ROOT, '.output/firefox-mv2'), '--output', 'json', '--no-config-discovery'], {
      maxBuffer: 20_000_000,
    }).catch((e) => e);
    const report = JSON.parse(result.stdout);
    const errors = report.errors.map((e: { code: string; message: string; file?: string }) => `${e.code}: ${e.message} (${e.file ?? ''})`);
    expect(errors).toEqual([]);
  });
});
