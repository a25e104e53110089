// @vitest-environment node
// The drive page speaks the viewer's language (Accept-Language among the extension's UI
// languages): its words, `lang` and `dir`, numbers, dates and plurals, while what the
// organiser wrote stays as written and isolated from the page's direction.
import { describe, expect, it } from 'vitest';
import type { DriveManifest } from '../lib/drive';
import type { StatsResponse } from '../lib/protocol';
import { renderDrivePage } from './drive-page';

const manifest: DriveManifest = {
  id: 'tw-2026',
  name: 'Taiwanese Mandarin 2026',
  organizer: 'g0v locale group',
  description: 'Mark mainland vocabulary in answers meant for Taiwan.',
  locales: ['zh-TW', 'pt-BR'],
  endpoint: 'https://data.example.org',
  guidelines: { en: 'Mark 視頻 → 影片 and similar words.', 'zh-TW': '請標記「視頻」等用語。' },
  license: 'CC-BY-4.0',
  privacy_url: 'https://data.example.org/privacy',
  requires_token: false,
  goal_reports: 12_345,
  ends_at: '2030-03-01T00:00:00Z',
  categories: ['regional_vocabulary', 'spelling_variant'],
};

const stats: StatsResponse = {
  drive_id: 'tw-2026',
  reports: 1_234,
  highlights: 2_001,
  by_locale: { 'zh-TW': 1_000, 'pt-BR': 234 },
  by_category: { regional_vocabulary: 1_500, spelling_variant: 501 },
  by_severity: { minor: 2_000, major: 1 },
  by_status: { accepted: 1_234, duplicate: 0, rejected: 0 },
  by_day: [
    { day: '2026-11-01', reports: 1_000, highlights: 1_500 },
    { day: '2026-11-03', reports: 234, highlights: 501 },
  ],
  review: { min_votes: 2, validated: 10, pending: 1_990, rejected: 1 },
};

const now = new Date('2026-11-30T12:00:00Z');
const render = (acceptLanguage: string | undefined, overrides: Partial<DriveManifest> = {}, withStats = true) =>
  renderDrivePage({
    manifest: { ...manifest, ...overrides },
    stats: withStats ? stats : undefined,
    joinCode: 'data.example.org/K7QM-4XPA',
    acceptLanguage,
    now,
  });
/** The page's text without tags (entities decoded enough for these checks). */
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<\/?bdi[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the drive page in the viewer’s language', () => {
  it('speaks German to a German browser: words, numbers, dates and plurals', () => {
    const { body, lang } = render('de-DE,de;q=0.9,en;q=0.5');
    expect(lang).toBe('de');
    expect(body).toContain('<html lang="de" dir="ltr">');
    const words = text(body);
    for (const phrase of [
      'Läuft bis 01.03.2030',
      'Feedback-Sammelaktion von g0v locale group',
      'Fortschritt',
      '1.234 von 12.345 Meldungen',
      '1.234 Meldungen',
      '2.001 markierte Formulierungen',
      'Nach Kategorie',
      'Nach Sprachvariante',
      'Chinesisch (Taiwan) (zh-TW)',
      'Nach Schweregrad',
      'Prüfung durch die Community (2 Stimmen entscheiden)',
      'Richtlinien',
      'Über die Daten',
      'Lizenz',
      'Meldungen gehen an',
      'Beitrittscode',
      '„Feedback-Sammelaktionen“',
      '„Beitrittslink oder -code“',
      'Meldungen pro Tag (Tabelle)',
    ])
      expect(words, phrase).toContain(phrase);
    // A locale's code never breaks at its hyphen, and keeps left-to-right order in any page.
    expect(body).toContain('Chinesisch (Taiwan) (<bdi class="nowrap" dir="ltr">zh-TW</bdi>)');
    expect(body).toContain('aria-label="Meldungen im Zeitverlauf: von 1.000 am 01.11.2026 auf 1.234 am 03.11.2026."');
    expect(words).toMatch(/Kategorien dieser Sammelaktion: Wort aus einer anderen Region und [^.]+\./);
    // Nothing English the page itself says is left (the organiser's texts stay as written).
    for (const english of ['Progress', 'By category', 'About the data', 'reports', 'Reports go to', 'Join code', 'Open until'])
      expect(words, english).not.toContain(english);
    expect(words).toContain('Mark mainland vocabulary in answers meant for Taiwan.');
  });

  it('speaks Arabic right to left, with Arabic digits, its six plural forms and the organiser isolated', () => {
    const { body, lang } = render('ar-EG,ar;q=0.9');
    expect(lang).toBe('ar');
    expect(body).toContain('<html lang="ar" dir="rtl">');
    const words = text(body);
    expect(words).toContain('التقدّم');
    expect(words).toContain('حسب الفئة');
    expect(words).toContain('عن البيانات');
    expect(words).toContain(`${new Intl.NumberFormat('ar-EG').format(1_234)} من ${new Intl.NumberFormat('ar-EG').format(12_345)} بلاغ`);
    expect(body).toContain('<bdi class="org">g0v locale group</bdi>');
    expect(body).toContain('<h1 dir="auto">Taiwanese Mandarin 2026</h1>');
    expect(body).toMatch(/<div class="guidelines" dir="auto" lang="en">/);
    expect(body).toContain('<code dir="ltr">https://data.example.org</code>');
    // The plural follows the number: one goal report, two, a few.
    expect(text(render('ar', { goal_reports: 1 }).body)).toContain('من بلاغ واحد');
    expect(text(render('ar', { goal_reports: 2 }).body)).toContain('من بلاغين');
    expect(text(render('ar', { goal_reports: 3 }).body)).toMatch(/من \S+ بلاغات/);
    expect(words).not.toMatch(/\b(Progress|By category|reports|Guidelines)\b/);
  });

  it('speaks Taiwanese Mandarin to zh-TW (and zh-HK) browsers, with the zh-TW guidelines', () => {
    for (const accept of ['zh-TW', 'zh-HK,zh;q=0.8']) {
      const { body, lang } = render(accept);
      expect(lang).toBe('zh-TW');
      expect(body).toContain('<html lang="zh-TW" dir="ltr">');
      const words = text(body);
      expect(words).toContain('進度');
      expect(words).toContain('1,234 / 12,345 則回報');
      expect(words).toContain('依語系');
      expect(words).toContain('中文（台灣）（zh-TW）');
      expect(words).toContain('社群審查（2 票決定）');
      expect(words).toContain('進行到 2030年3月1日');
      expect(body).toContain('<div class="guidelines" dir="auto" lang="zh-TW">請標記「視頻」等用語。</div>');
      expect(words).not.toMatch(/\b(Progress|By locale|reports|Guidelines|About the data)\b/);
    }
  });

  it('keeps English, formatted for the viewer’s region, where the extension has no translation', () => {
    expect(render(undefined).lang).toBe('en');
    expect(text(render('en-GB').body)).toContain('Open until 1 Mar 2030');
    expect(text(render('en-US').body)).toContain('Open until Mar 1, 2030');
    const swahili = render('sw-KE,sw;q=0.9');
    expect(swahili.lang).toBe('en');
    expect(text(swahili.body)).toContain('1,234 of 12,345 reports');
  });

  it('locks a token drive’s numbers away in the viewer’s language too', () => {
    const { body } = render('de', { requires_token: true }, false);
    expect(text(body)).toContain('Diese Sammelaktion braucht ein Zugriffstoken');
    expect(body).toContain('<code class="nowrap" dir="ltr">?token=</code>');
  });

  it('never lets a translation or an organiser’s text become markup', () => {
    const { body } = render('ar', { organizer: '<img src=x onerror=alert(1)>', name: '</title><script>x</script>' });
    expect(body).not.toMatch(/<img|<script/);
    expect(body).toContain('<bdi class="org">&lt;img src=x onerror=alert(1)&gt;</bdi>');
  });
});
