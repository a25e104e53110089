// The user's choice of UI language lives in storage.local, where the background and the
// content script can read it too: moved there once from older builds' localStorage, and
// followed by the background (its own strings, and the in-page button's for content scripts).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadUiLanguage, t, UI_LANGUAGE_STORAGE_KEY, uiLanguage } from '../../lib/ui/i18n';
import {
  cachedContentStrings,
  CONTENT_STRING_KEYS,
  contentStringsFrom,
  readUiLanguageChoice,
  settledUiLanguageChoice,
  settleUiLanguageChoice,
  UI_LANGUAGE_KEY,
  UI_STRINGS_KEY,
  writeUiLanguageChoice,
  type ChoiceArea,
} from '../../lib/ui/languageChoice';
import { followUiLanguage } from '../../lib/background/language';
import { CHATGPT_TAB, EXTENSION_ID, EXTENSION_ORIGIN, POPUP, startBackground } from '../helpers/background';
import { createBackground } from '../../lib/background/service';
import { openSoundsLocalDb } from '../../lib/storage/db';

const LOCALES = resolve(__dirname, '../../public/_locales');
const readMessages = async (folder: string) => JSON.parse(readFileSync(resolve(LOCALES, folder, 'messages.json'), 'utf8')) as unknown;
const area = () => fakeBrowser.storage.local as unknown as ChoiceArea;
const stored = async () => (await fakeBrowser.storage.local.get(UI_LANGUAGE_KEY))[UI_LANGUAGE_KEY];

beforeEach(async () => {
  fakeBrowser.reset();
  localStorage.clear();
  await loadUiLanguage(undefined);
});

describe('the stored choice', () => {
  it('moves an older build’s localStorage choice into storage.local, once, and removes the old copy', async () => {
    localStorage.setItem(UI_LANGUAGE_STORAGE_KEY, 'de');
    expect(await settleUiLanguageChoice(area(), localStorage)).toBe('de');
    expect(await stored()).toBe('de');
    expect(localStorage.getItem(UI_LANGUAGE_STORAGE_KEY)).toBeNull();
    // The user then goes back to the browser's language: the old copy doesn't come back.
    await writeUiLanguageChoice(undefined, area());
    expect(await settleUiLanguageChoice(area(), localStorage)).toBeUndefined();
    expect(await stored()).toBeUndefined();
  });

  it('takes storage.local over a leftover localStorage copy', async () => {
    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'ja' });
    localStorage.setItem(UI_LANGUAGE_STORAGE_KEY, 'ar');
    expect(await settleUiLanguageChoice(area(), localStorage)).toBe('ja');
    expect(settledUiLanguageChoice()).toBe('ja');
    expect(await stored()).toBe('ja');
    expect(localStorage.getItem(UI_LANGUAGE_STORAGE_KEY)).toBeNull();
  });

  it('follows the browser when nothing was ever chosen, and ignores a language we don’t ship', async () => {
    expect(await settleUiLanguageChoice(area(), localStorage)).toBeUndefined();
    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'tlh' });
    expect(await readUiLanguageChoice(area())).toBeUndefined();
    localStorage.setItem(UI_LANGUAGE_STORAGE_KEY, 'klingon');
    await fakeBrowser.storage.local.remove(UI_LANGUAGE_KEY);
    expect(await settleUiLanguageChoice(area(), localStorage)).toBeUndefined();
    expect(await stored()).toBeUndefined();
  });

  it('keeps the old copy, and the browser’s language, when storage.local can’t be read', async () => {
    localStorage.setItem(UI_LANGUAGE_STORAGE_KEY, 'fr');
    const broken: ChoiceArea = {
      get: () => Promise.reject(new Error('storage is unavailable')),
      set: () => Promise.reject(new Error('storage is unavailable')),
      remove: () => Promise.reject(new Error('storage is unavailable')),
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await settleUiLanguageChoice(broken, localStorage);
    expect(localStorage.getItem(UI_LANGUAGE_STORAGE_KEY)).toBe('fr');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('writes the choice, and removes it for “the browser’s language”', async () => {
    await writeUiLanguageChoice('zh-TW', area());
    expect(await stored()).toBe('zh-TW');
    expect(settledUiLanguageChoice()).toBe('zh-TW');
    await writeUiLanguageChoice(undefined, area());
    expect(await stored()).toBeUndefined();
    expect(settledUiLanguageChoice()).toBeUndefined();
  });
});

describe('the in-page button’s strings in another language', () => {
  it('come from that language’s file, with the too-long hint’s numbers left as $1 and $2 for the page', async () => {
    const strings = contentStringsFrom((await readMessages('de')) as never, (key) => `browser:${key}`);
    expect(Object.keys(strings).sort()).toEqual([...CONTENT_STRING_KEYS].sort());
    const de = (await readMessages('de')) as Record<string, { message: string }>;
    expect(strings.buttonLabel).toBe(de.buttonLabel!.message);
    expect(strings.hintTooLong).toContain('$1');
    expect(strings.hintTooLong).toContain('$2');
    expect(strings.hintTooLong).not.toMatch(/\$[A-Z]+\$/);
  });

  it('fall back to the browser’s string for a key the file lacks', () => {
    const strings = contentStringsFrom({ buttonLabel: { message: 'Klingt nicht nach hier' } }, (key) => `browser:${key}`);
    expect(strings.buttonLabel).toBe('Klingt nicht nach hier');
    expect(strings.hintSaved).toBe('browser:hintSaved');
  });
});

describe('the background in the chosen language', () => {
  function follow(onLanguage = vi.fn()) {
    const language = followUiLanguage({
      area: area(),
      onChanged: fakeBrowser.storage.onChanged as never,
      onLanguage,
      fetchMessages: readMessages,
      nativeMessage: (key) => `browser:${key}`,
    });
    return { language, onLanguage };
  }

  it('speaks the stored choice from start-up, then each new choice, re-titling each time', async () => {
    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'de' });
    const titles: string[] = [];
    const { language } = follow(vi.fn(() => titles.push(t('contextMenuReport'))));
    await language.ready();
    const de = (await readMessages('de')) as Record<string, { message: string }>;
    expect(uiLanguage()).toBe('de');
    expect(titles).toEqual([de.contextMenuReport!.message]);

    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'ja' });
    await language.ready();
    const ja = (await readMessages('ja')) as Record<string, { message: string }>;
    expect(uiLanguage()).toBe('ja');
    expect(titles).toEqual([de.contextMenuReport!.message, ja.contextMenuReport!.message]);

    // Back to the browser's language: t() falls back to browser.i18n again.
    await fakeBrowser.storage.local.remove(UI_LANGUAGE_KEY);
    await language.ready();
    expect(titles).toHaveLength(3);
    expect(uiLanguage()).not.toBe('ja');
  });

  it('stays ready when re-titling fails (badge updates wait on it)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { language } = follow(
      vi.fn(() => {
        throw new TypeError('contextMenus.update(...) is undefined');
      }),
    );
    await expect(language.ready()).resolves.toBeUndefined();
    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'de' });
    await expect(language.ready()).resolves.toBeUndefined();
    expect(uiLanguage()).toBe('de');
    warn.mockRestore();
  });

  it('ignores changes to other storage keys', async () => {
    const { language, onLanguage } = follow();
    await language.ready();
    await fakeBrowser.storage.local.set({ something_else: 1 });
    await language.ready();
    expect(onLanguage).toHaveBeenCalledTimes(1);
  });

  it('answers a content script’s request for the button’s strings, and refuses a language we don’t ship', async () => {
    const { language } = follow();
    const db = await openSoundsLocalDb(`ui-strings-${Math.random()}`);
    const background = createBackground({
      db,
      extensionId: EXTENSION_ID,
      extensionOrigin: EXTENSION_ORIGIN,
      client: { name: 'sounds-local', version: '0.1.0', browser: 'chrome' },
      uiLanguages: () => ['en-GB'],
      contentStrings: language.contentStrings,
    });
    const reply = await background.handle({ type: 'ui-strings', language: 'ar' }, CHATGPT_TAB);
    const ar = (await readMessages('ar')) as Record<string, { message: string }>;
    expect(reply).toMatchObject({ ok: true, strings: { buttonLabel: ar.buttonLabel!.message, hintSaved: ar.hintSaved!.message } });
    expect(await background.handle({ type: 'ui-strings', language: 'xx' }, CHATGPT_TAB)).toMatchObject({ ok: false });
    // Extension pages read the files themselves: the request is a content script's only.
    expect(await background.handle({ type: 'ui-strings', language: 'ar' }, POPUP)).toMatchObject({ ok: false, error: 'Invalid request.' });
  });

  it('keeps the button’s strings in the chosen language beside the choice, so a page needn’t wake the worker', async () => {
    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'de' });
    const { language } = follow();
    await language.ready();
    const de = (await readMessages('de')) as Record<string, { message: string }>;
    const copy = (await fakeBrowser.storage.local.get(UI_STRINGS_KEY))[UI_STRINGS_KEY];
    expect(cachedContentStrings(copy, 'de')).toMatchObject({ buttonLabel: de.buttonLabel!.message, hintSaved: de.hintSaved!.message });
    // A copy for another language, or an incomplete one, is not used: the page asks instead.
    expect(cachedContentStrings(copy, 'ja')).toBeUndefined();
    expect(cachedContentStrings({ language: 'de', strings: { buttonLabel: 'x' } }, 'de')).toBeUndefined();
    expect(cachedContentStrings('de', 'de')).toBeUndefined();

    await fakeBrowser.storage.local.set({ [UI_LANGUAGE_KEY]: 'ar' });
    await language.ready();
    const ar = (await readMessages('ar')) as Record<string, { message: string }>;
    const arCopy = (await fakeBrowser.storage.local.get(UI_STRINGS_KEY))[UI_STRINGS_KEY];
    expect(cachedContentStrings(arCopy, 'ar')?.buttonLabel).toBe(ar.buttonLabel!.message);

    // Following the browser again: no copy left.
    await fakeBrowser.storage.local.remove(UI_LANGUAGE_KEY);
    await language.ready();
    expect((await fakeBrowser.storage.local.get(UI_STRINGS_KEY))[UI_STRINGS_KEY]).toBeUndefined();
  });

  it('says so when the background has no strings to give', async () => {
    const { send } = await startBackground();
    expect(await send({ type: 'ui-strings', language: 'de' }, CHATGPT_TAB)).toMatchObject({ ok: false });
  });
});
