// The UI in Firefox ESR started in German (intl.locale.requested, with Debian's German
// language pack, firefox-esr-l10n-de, which .ci/run installs): the popup's lang and text come
// from the German messages file, with no English left on its main screen.
import { afterAll, describe, expect, it } from 'vitest';
import { launchFirefox, type FirefoxWithExtension } from './firefox';

describe('Firefox in German', () => {
  let firefox: FirefoxWithExtension;
  afterAll(() => firefox?.close());

  it('shows the popup in German, with lang="de"', async () => {
    firefox = await launchFirefox({ prefs: { 'intl.locale.requested': 'de', 'intl.accept_languages': 'de' } });
    const page = firefox.extensionPage;
    await page.waitForSelector('main');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toMatch(/Einstellungen/);
    for (const word of ['Settings', 'Loading', 'Reports']) expect(text).not.toContain(word);
  });
});
