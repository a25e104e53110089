// The glossary code and its dictionaries load in the popup only (DESIGN §13): the built
// content script holds none of them, and the popup's own entry chunk doesn't either (they
// are chunks it imports on demand, for the report's locale).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from './chromium';

/** Strings only the glossary code or its data contain. */
const GLOSSARY_MARKERS = ['glossary:conventions', '視頻 影片', 'accessorize', 'autocarro', 'EMERGENCY', 'opencc-tw'];

const builds = ['chrome-mv3', 'firefox-mv2'].map((name) => resolve(ROOT, '.output', name)).filter((dir) => existsSync(resolve(dir, 'manifest.json')));

describe('where the glossary is bundled', () => {
  it('has at least one build to check', () => {
    expect(builds.length).toBeGreaterThan(0);
  });

  for (const dir of builds) {
    it(`${dir.split('/').pop()}: the content script holds no glossary code or data`, () => {
      const scripts = readdirSync(resolve(dir, 'content-scripts')).filter((f) => f.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(0);
      for (const file of scripts) {
        const code = readFileSync(resolve(dir, 'content-scripts', file), 'utf8');
        for (const marker of GLOSSARY_MARKERS) expect(code.includes(marker), `${file} contains "${marker}"`).toBe(false);
      }
    });

    it(`${dir.split('/').pop()}: the dictionaries are chunks of their own, not in the popup's entry`, () => {
      const chunks = readdirSync(resolve(dir, 'chunks'));
      const popup = chunks.find((f) => f.startsWith('popup-'))!;
      const popupCode = readFileSync(resolve(dir, 'chunks', popup), 'utf8');
      expect(popupCode.includes('視頻 影片')).toBe(false);
      expect(popupCode.includes('accessorize')).toBe(false);
      const all = chunks.map((f) => readFileSync(resolve(dir, 'chunks', f), 'utf8'));
      expect(all.some((code) => code.includes('視頻 影片'))).toBe(true); // OpenCC's TWPhrases, on demand
    });

    it(`${dir.split('/').pop()}: the popup's first page loads no redaction code (libphonenumber's metadata): the upload review brings it`, () => {
      // Everything popup.html loads before the app runs: its entry script and the chunks it preloads.
      const html = readFileSync(resolve(dir, 'popup.html'), 'utf8');
      const loaded = [...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
      expect(loaded.some((f) => f.startsWith('chunks/popup-'))).toBe(true);
      for (const file of loaded)
        expect(readFileSync(resolve(dir, file), 'utf8').includes('country_calling_codes'), `${file} holds the phone metadata`).toBe(false);
      const chunks = readdirSync(resolve(dir, 'chunks')).map((f) => readFileSync(resolve(dir, 'chunks', f), 'utf8'));
      expect(chunks.some((code) => code.includes('country_calling_codes'))).toBe(true);
    });

    it(`${dir.split('/').pop()}: popup.html runs the small early-requests script before the app`, () => {
      const html = readFileSync(resolve(dir, 'popup.html'), 'utf8');
      expect(html.indexOf('src="/popup-early.js"')).toBeGreaterThan(-1);
      expect(html.indexOf('src="/popup-early.js"')).toBeLessThan(html.indexOf('type="module"'));
      expect(readFileSync(resolve(dir, 'popup-early.js')).length).toBeLessThan(2_000);
    });
  }
});
