// @vitest-environment node
// The review page's shell: the viewer's UI language among the extension's, its words, and
// that nothing a drive's name says can become markup or script.
import { describe, expect, it } from 'vitest';
import { pickUiLanguage } from './page-words';
import { reviewMessages, reviewPage } from './review-page';
import type { HostedDrive } from './drives';

describe('the review page shell', () => {
  it("picks the viewer's language where the extension has it, else English", () => {
    expect(pickUiLanguage('pt-BR,pt;q=0.9,en;q=0.5', ['en', 'pt_BR'])).toBe('pt_BR');
    expect(pickUiLanguage('pt-PT;q=0.9, de;q=1', ['en', 'pt'])).toBe('pt');
    expect(pickUiLanguage('ja', ['en', 'pt'])).toBe('en');
    expect(pickUiLanguage(undefined)).toBe('en');
  });

  it('maps Chinese by script or region and bare Portuguese to Brazil among the shipped languages', () => {
    expect(pickUiLanguage('zh-TW')).toBe('zh_TW');
    expect(pickUiLanguage('zh-tw')).toBe('zh_TW');
    expect(pickUiLanguage('zh-Hant')).toBe('zh_TW');
    expect(pickUiLanguage('zh-HK,en;q=0.5')).toBe('zh_TW');
    expect(pickUiLanguage('zh-Hant-HK')).toBe('zh_TW');
    expect(pickUiLanguage('zh-Hans-CN')).toBe('zh_CN');
    expect(pickUiLanguage('zh')).toBe('zh_CN');
    expect(pickUiLanguage('pt')).toBe('pt_BR');
    expect(pickUiLanguage('pt-PT')).toBe('pt_PT');
    expect(pickUiLanguage('de-AT')).toBe('de');
    expect(pickUiLanguage('sw, fr;q=0.3')).toBe('fr');
  });

  it('carries the review, category and severity words of the extension', () => {
    const words = reviewMessages('en');
    expect(words.review_voteAgree?.message).toBe('Agree');
    expect(words.localeTag?.message).toBe('en');
    expect(words.category_regional_vocabulary).toBeTruthy();
    expect(words.severity_minor).toBeTruthy();
    expect(Object.keys(words).every((k) => k === 'localeTag' || k === 'localeWithCode' || /^(review|category|severity)_/.test(k))).toBe(true);
  });

  it('gives every language its own three vote keys, named in its keyboard help, clear of J/K and Enter', () => {
    for (const folder of ['en', 'zh_TW', 'zh_CN', 'ja', 'ko', 'es', 'pt_BR', 'pt_PT', 'fr', 'de', 'ar', 'hi', 'id', 'vi']) {
      const words = reviewMessages(folder);
      const keys = ['review_keyAgree', 'review_keyDisagree', 'review_keyUnsure'].map((k) => words[k]!.message);
      expect(new Set(keys.map((k) => k.toLowerCase())).size, folder).toBe(3);
      for (const key of keys) {
        expect(key, folder).toMatch(/^[A-Z1-3]$/);
        expect(['J', 'K'], folder).not.toContain(key);
        expect(words.review_shortcuts!.message, `${folder} names ${key}`).toMatch(new RegExp(`(^|[\\s:：(（、，,])${key}[\\s,、]`));
      }
    }
    expect(reviewPage({ id: 'x', name: 'x' } as unknown as HostedDrive, 'ar').body).toContain('<html class="in-tab" lang="ar" dir="rtl">');
  });

  it('keeps a hostile drive name as text and allows only its own scripts', () => {
    const drive = { id: 'x', name: '</script><script>alert(1)</script><b>', requiresToken: false, manifest: '{}', locales: [] } as unknown as HostedDrive;
    const page = reviewPage(drive, 'en');
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<b>');
    expect(page.body.match(/<script\b/g)).toHaveLength(2); // the module and the JSON data block
    expect(page.headers['Content-Security-Policy']).toContain("script-src 'self'");
    const data = JSON.parse(/<script type="application\/json" id="review-data">(.*)<\/script>/s.exec(page.body)![1]!) as { name: string };
    expect(data.name).toBe('</script><script>alert(1)</script><b>');
  });
});
