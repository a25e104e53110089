// Errors made by lib/ in the background (the service worker) reach the options page in the
// browser's language: real Chromium started in German and in Arabic, the real background
// refusing an http endpoint, a join code without its receiver and a report that fails the
// schema (its field problems from zod, with the limit formatted for the language).
import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, openExtensionPage, sendFromExtension, type ExtensionBrowser } from './chromium';
import { makeReport } from '../helpers/reports';

const cases = [
  {
    lang: 'de',
    endpoint: /^Meldungen werden nur über https gesendet: Verwenden Sie https:\/\/example\.org\/reports/,
    join: '„K7QM-4XPA“ ist ein Code ohne seinen Empfänger: Fügen Sie ihn mit der Adresse davor ein, etwa data.example.org/K7QM-4XPA.',
    problem: 'comment: darf höchstens 5.000 Zeichen lang sein',
  },
  {
    lang: 'ar',
    endpoint: /^تُرسَل البلاغات عبر https فقط/,
    // The code and the example address are isolated (FSI…PDI) so they keep their own direction.
    join: '"\u2068K7QM-4XPA\u2069" رمز بلا خادم الاستلام: الصقه مع العنوان قبله، مثل \u2068data.example.org/K7QM-4XPA\u2069.',
    // Chromium's Arabic digits or Latin ones, depending on its CLDR data.
    problem: /^comment: يجب ألا يتجاوز \u2068(5,000|٥٬٠٠٠)\u2069 حرف$/,
  },
] as const;

describe('errors from the background in the browser’s language', () => {
  for (const { lang, endpoint, join, problem } of cases) {
    describe(lang, () => {
      let browser: ExtensionBrowser;
      afterAll(() => browser?.close());

      it('explains a refused endpoint, join code and report field in that language', async () => {
        browser = await launchWithExtension({ args: [`--lang=${lang}`], locale: lang });
        const options = await openExtensionPage(browser);
        await options.locator('main').waitFor();

        await options.locator('#endpoint-url').fill('http://example.org/reports');
        await options.locator('#endpoint-url').press('Enter');
        await expect
          .poll(() =>
            options
              .locator('#endpoint-url-error')
              .textContent()
              .then(
                (text) => text ?? '',
                () => '',
              ),
          )
          .toMatch(endpoint);

        await options.locator('#drive-join-input').fill('K7QM-4XPA');
        await options.locator('#drive-join-input').press('Enter');
        await expect
          .poll(() =>
            options
              .locator('#drive-join-input-error')
              .textContent()
              .then(
                (text) => text ?? '',
                () => '',
              ),
          )
          .toBe(join);

        const reply = await sendFromExtension(options, { type: 'save-report', report: makeReport({ comment: 'x'.repeat(5_001) }) });
        expect(reply.ok).toBe(false);
        expect(reply.problems).toHaveLength(1);
        expect(reply.problems[0]).toMatch(typeof problem === 'string' ? new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : problem);
      });
    });
  }
});
