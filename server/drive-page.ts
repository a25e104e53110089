// The public drive page, GET /drives/<id> (DESIGN.md §9a): what an organiser shares. Plain
// server-rendered HTML with inline CSS and an inline SVG chart drawn here; no script at all
// (the route's CSP forbids it), so nothing a manifest says can run as code. Every manifest
// string goes through `esc`. The page speaks the viewer's language (Accept-Language, among
// the extension's UI languages: page-words.ts), with `lang` and `dir` set from it; its words
// and the category and severity labels are the extension's own messages.json (drivePage_*
// keys), so the two never disagree. What the organiser wrote (name, description, organiser,
// guidelines) stays as written, each isolated (`dir="auto"`, `<bdi>`) so a right-to-left
// name reads right on a left-to-right page and the other way round.
import { type DriveManifest, LICENSE_URLS, driveState, guidelinesFor } from '../lib/drive';
import { localeDisplayName } from '../lib/locale';
import type { StatsResponse } from '../lib/protocol';
import { CATEGORIES, SEVERITIES } from '../lib/report';
import { type PageWords, pageWords } from './page-words';

export interface DrivePageInput {
  manifest: DriveManifest;
  /** Undefined when the viewer may not see progress (a token drive without a valid ?token=). */
  stats?: StatsResponse;
  /** A ?token= was given and is not valid. */
  tokenRejected?: boolean;
  /** `<host>/<XXXX-XXXX>`, shown so visitors can join. */
  joinCode?: string;
  acceptLanguage?: string;
  now: Date;
}

/** The messages the page uses; the two options words name the extension's own screen in the join hint. */
const PAGE_KEY = /^(drivePage|category|severity)_/;
const wanted = (key: string) => PAGE_KEY.test(key) || key === 'localeWithCode' || key === 'optionsDrivesTitle' || key === 'driveJoinInput';

/** Text for HTML text and attribute values: the five characters that could end either. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * A message as HTML: its text escaped, and each substitution given as ready HTML (already
 * escaped by the caller) put in its place, so markup never passes through a translation.
 */
function htmlMessage(words: PageWords, key: string, ...fragments: string[]): string {
  const marks = fragments.map((_, i) => `\uE000${i}\uE000`);
  return esc(words.t(key, ...marks)).replace(/\uE000(\d+)\uE000/g, (_, i: string) => fragments[Number(i)] ?? '');
}

export function renderDrivePage(input: DrivePageInput): { body: string; lang: string } {
  const { manifest: m, stats } = input;
  const words = pageWords(input.acceptLanguage, wanted);
  const { t, tp } = words;
  const locale = words.formatLocale;
  const num = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const shortDate = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { type: 'conjunction' });
  const label = (kind: 'category' | 'severity', code: string) => {
    const word = t(`${kind}_${code}`);
    return word === `${kind}_${code}` ? code.replace(/_/g, ' ') : word;
  };
  const state = driveState(m, input.now);
  const guidelines = guidelinesFor(m.guidelines, [locale, words.lang, 'en']);
  const licenseUrl = LICENSE_URLS[m.license];

  const on = (iso: string | undefined) => (iso ? date.format(new Date(iso)) : '');
  const stateText =
    state === 'active'
      ? m.ends_at
        ? t('drivePage_stateOpenUntil', on(m.ends_at))
        : t('drivePage_stateOpen')
      : state === 'upcoming'
        ? t('drivePage_stateStarts', on(m.starts_at))
        : state === 'ended'
          ? t('drivePage_stateEnded', on(m.ends_at))
          : t('drivePage_stateClosed', on(m.closed_at));

  const localeList = m.locales
    .map((tag) => `<li><span class="chip">${esc(localeDisplayName(tag, words.lang))}</span> <code dir="ltr" lang="und">${esc(tag)}</code></li>`)
    .join('');

  let progress: string;
  if (!stats) {
    progress = `<section class="card" aria-labelledby="progress-h">
      <h2 id="progress-h">${esc(t('drivePage_progress'))}</h2>
      ${input.tokenRejected ? `<p class="warn" role="alert">${esc(t('drivePage_tokenRejected'))}</p>` : ''}
      <p class="muted">${htmlMessage(words, 'drivePage_membersOnly', '<code class="nowrap" dir="ltr">?token=</code>')}</p>
    </section>`;
  } else {
    const goal = m.goal_reports;
    const ratio = goal ? Math.min(1, stats.reports / goal) : undefined;
    const goalBlock = goal
      ? `<div class="goal">
          <div class="goal-text"><span>${esc(tp('drivePage_goalOf', goal, num.format(stats.reports)))}</span><span>${esc(pct.format(stats.reports / goal))}</span></div>
          <div class="bar big" role="progressbar" aria-label="${esc(t('drivePage_goalLabel'))}" aria-valuemin="0" aria-valuemax="${goal}" aria-valuenow="${Math.min(stats.reports, goal)}" aria-valuetext="${esc(t('drivePage_goalValue', num.format(stats.reports), num.format(goal)))}"><span style="width:${(ratio! * 100).toFixed(1)}%"></span></div>
        </div>`
      : '';
    const localeCount = Object.keys(stats.by_locale).length;
    progress = `<section class="card" aria-labelledby="progress-h">
      <h2 id="progress-h">${esc(t('drivePage_progress'))}</h2>
      <div class="totals">
        <p><strong>${esc(num.format(stats.reports))}</strong> <span>${esc(tp('drivePage_reports', stats.reports))}</span></p>
        <p><strong>${esc(num.format(stats.highlights ?? 0))}</strong> <span>${esc(tp('drivePage_marks', stats.highlights ?? 0))}</span></p>
        <p><strong>${esc(num.format(localeCount))}</strong> <span>${esc(tp('drivePage_localeCount', localeCount))}</span></p>
      </div>
      ${goalBlock}
      ${chart(stats.by_day ?? [], goal, words, num, shortDate, date)}
    </section>
    <div class="grid">
      ${breakdown(
        'by-category',
        t('drivePage_byCategory'),
        t('drivePage_noMarks'),
        CATEGORIES.map((c) => [esc(label('category', c)), stats.by_category[c] ?? 0] as [string, number]),
        num,
      )}
      ${breakdown(
        'by-locale',
        t('drivePage_byLocale'),
        t('drivePage_noReports'),
        Object.entries(stats.by_locale).map(
          ([tag, n]) =>
            [
              tag === 'other'
                ? esc(t('drivePage_otherLocales'))
                : htmlMessage(words, 'localeWithCode', esc(localeDisplayName(tag, words.lang)), `<bdi class="nowrap" dir="ltr">${esc(tag)}</bdi>`),
              n,
            ] as [string, number],
        ),
        num,
      )}
      ${breakdown(
        'by-severity',
        t('drivePage_bySeverity'),
        t('drivePage_noMarks'),
        SEVERITIES.map((s) => [esc(label('severity', s)), stats.by_severity?.[s] ?? 0] as [string, number]),
        num,
      )}
      ${
        stats.review
          ? breakdown(
              'review',
              tp('drivePage_review', stats.review.min_votes),
              t('drivePage_noMarks'),
              [
                [esc(t('drivePage_validated')), stats.review.validated],
                [esc(t('drivePage_pending')), stats.review.pending],
                [esc(t('drivePage_rejected')), stats.review.rejected],
              ],
              num,
            )
          : ''
      }
    </div>`;
  }

  const organizer = `<bdi class="org">${esc(m.organizer)}</bdi>`;
  const body = `<!doctype html>
<html lang="${esc(words.lang)}" dir="${words.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(t('drivePage_title', m.name))}</title>
<meta name="description" content="${esc(m.description.slice(0, 200) || t('drivePage_metaDescription', m.organizer))}">
<style>${CSS}</style>
</head>
<body>
<main>
  <header class="hero">
    <p class="eyebrow"><span class="state state-${state}">${esc(stateText)}</span> <span>${htmlMessage(words, 'drivePage_runBy', organizer)}</span></p>
    <h1 dir="auto">${esc(m.name)}</h1>
    ${m.description.trim() ? `<p class="lede" dir="auto">${esc(m.description)}</p>` : ''}
    <ul class="locales" aria-label="${esc(t('drivePage_locales'))}">${localeList}</ul>
  </header>
  ${progress}
  <section class="card" aria-labelledby="guidelines-h">
    <h2 id="guidelines-h">${esc(t('drivePage_guidelines'))}</h2>
    <div class="guidelines" dir="auto"${guidelines.language ? ` lang="${esc(guidelines.language)}"` : ''}>${esc(guidelines.text)}</div>
    ${m.categories ? `<p class="muted">${esc(t('drivePage_categories', list.format(m.categories.map((c) => label('category', c)))))}</p>` : ''}
  </section>
  <section class="card facts" aria-labelledby="facts-h">
    <h2 id="facts-h">${esc(t('drivePage_about'))}</h2>
    <dl>
      <dt>${esc(t('drivePage_license'))}</dt><dd><a href="${esc(licenseUrl)}" dir="ltr">${esc(m.license)}</a></dd>
      <dt>${esc(t('drivePage_privacy'))}</dt><dd><a href="${esc(m.privacy_url)}">${esc(t('drivePage_privacyLink'))}</a></dd>
      <dt>${esc(t('drivePage_endpoint'))}</dt><dd><code dir="ltr">${esc(m.endpoint)}</code></dd>
      ${input.joinCode ? `<dt>${esc(t('drivePage_joinCode'))}</dt><dd><code class="code" dir="ltr">${esc(input.joinCode)}</code><br><span class="muted">${esc(t('drivePage_joinHow', t('optionsDrivesTitle'), t('driveJoinInput')))}</span></dd>` : ''}
    </dl>
  </section>
  <footer><p>${esc(t('drivePage_footer'))}</p></footer>
</main>
</body>
</html>
`;
  return { body, lang: words.lang };
}

/** One card of bars; each row's name is HTML its caller escaped. */
function breakdown(id: string, title: string, empty: string, rows: Array<[string, number]>, num: Intl.NumberFormat): string {
  const shown = rows.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...shown.map(([, n]) => n));
  return `<section class="card" aria-labelledby="h-${id}">
    <h2 id="h-${id}">${esc(title)}</h2>
    ${
      shown.length === 0
        ? `<p class="muted">${esc(empty)}</p>`
        : `<ul class="bars">${shown
            .map(
              ([name, n]) =>
                `<li><span class="name">${name}</span><span class="n">${esc(num.format(n))}</span><span class="bar" aria-hidden="true"><span style="width:${((n / max) * 100).toFixed(1)}%"></span></span></li>`,
            )
            .join('')}</ul>`
    }
  </section>`;
}

const DAY = 86_400_000;

/**
 * Cumulative reports per UTC day as an area chart, with the goal as a dashed line. Time runs
 * left to right in every language (the svg is `direction: ltr`), as time-series charts do in
 * Arabic publications too; only the chart's words follow the page.
 */
function chart(
  byDay: NonNullable<StatsResponse['by_day']>,
  goal: number | undefined,
  words: PageWords,
  num: Intl.NumberFormat,
  shortDate: Intl.DateTimeFormat,
  date: Intl.DateTimeFormat,
): string {
  if (byDay.length === 0) return `<p class="muted chart-empty">${esc(words.t('drivePage_chartEmpty'))}</p>`;
  // Every day from the first to the last report, zeros included, so the x axis is time.
  const first = Date.parse(`${byDay[0]!.day}T00:00:00Z`);
  const last = Date.parse(`${byDay.at(-1)!.day}T00:00:00Z`);
  const perDay = new Map(byDay.map((d) => [d.day, d]));
  const days: Array<{ t: number; reports: number; highlights: number; total: number }> = [];
  let total = 0;
  for (let t = first; t <= last; t += DAY) {
    const d = perDay.get(new Date(t).toISOString().slice(0, 10));
    total += d?.reports ?? 0;
    days.push({ t, reports: d?.reports ?? 0, highlights: d?.highlights ?? 0, total });
  }
  const W = 640;
  const H = 220;
  const pad = { l: 8, r: 8, t: 16, b: 28 };
  const yMax = Math.max(total, goal && goal <= total * 4 ? goal : 0, 1);
  const x = (i: number) => pad.l + (days.length === 1 ? (W - pad.l - pad.r) / 2 : (i / (days.length - 1)) * (W - pad.l - pad.r));
  const y = (v: number) => pad.t + (1 - v / yMax) * (H - pad.t - pad.b);
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.total).toFixed(1)}`);
  const line = days.length === 1 ? `M${pad.l},${y(total).toFixed(1)} H${W - pad.r}` : `M${points.join(' L')}`;
  const area =
    days.length === 1
      ? `M${pad.l},${y(0)} V${y(total).toFixed(1)} H${W - pad.r} V${y(0)} Z`
      : `${line} L${x(days.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
  const goalLine =
    goal && goal <= yMax
      ? `<line class="goal-line" x1="${pad.l}" x2="${W - pad.r}" y1="${y(goal).toFixed(1)}" y2="${y(goal).toFixed(1)}"/><text class="goal-label" x="${pad.l}" y="${(y(goal) - 5).toFixed(1)}">${esc(words.t('drivePage_chartGoal', num.format(goal)))}</text>`
      : '';
  const summary =
    days.length > 1
      ? words.t('drivePage_chartSummaryRange', num.format(days[0]!.total), date.format(new Date(first)), num.format(total), date.format(new Date(last)))
      : words.t('drivePage_chartSummary', num.format(total), date.format(new Date(last)));
  const rows = days
    .filter((d) => d.reports > 0)
    .map(
      (d) =>
        `<tr><th scope="row">${esc(date.format(new Date(d.t)))}</th><td>${esc(num.format(d.reports))}</td><td>${esc(num.format(d.highlights))}</td><td>${esc(num.format(d.total))}</td></tr>`,
    )
    .join('');
  return `<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(summary)}">
      <line class="axis" x1="${pad.l}" x2="${W - pad.r}" y1="${y(0)}" y2="${y(0)}"/>
      <path class="area" d="${area}"/>
      <path class="line" d="${line}"/>
      ${goalLine}
      <text class="tick" x="${pad.l}" y="${H - 8}">${esc(shortDate.format(new Date(first)))}</text>
      ${days.length > 1 ? `<text class="tick" x="${W - pad.r}" y="${H - 8}" text-anchor="end">${esc(shortDate.format(new Date(last)))}</text>` : ''}
      <text class="total-label" x="${W - pad.r}" y="${Math.max(12, y(total) - 8).toFixed(1)}" text-anchor="end">${esc(num.format(total))}</text>
    </svg>
    <figcaption><details><summary>${esc(words.t('drivePage_table'))}</summary>
      <table><thead><tr>${['drivePage_colDay', 'drivePage_colReports', 'drivePage_colMarks', 'drivePage_colTotal'].map((key) => `<th scope="col">${esc(words.t(key))}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
    </details></figcaption>
  </figure>`;
}

const CSS = `
:root{--bg:#f6f5f1;--card:#fff;--ink:#1d1d1f;--muted:#55575d;--line:#e3e1da;--accent:#0b6e4f;--accent-soft:#d5efe4;--bar:#0b6e4f;--warn:#9b2c1b;--chip:#eef3f0;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121413;--card:#1c1f1d;--ink:#ecefed;--muted:#a9b0ac;--line:#2e3431;--accent:#5fd3a6;--accent-soft:#1f3a30;--bar:#4cc495;--warn:#ff9c8a;--chip:#243029}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink)}
main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem 3rem}
a{color:var(--accent)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.hero{padding:1rem 0 1.5rem}
.eyebrow{margin:0 0 .5rem;color:var(--muted);font-size:.95rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.org{color:var(--ink);font-weight:600}
.state{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-weight:600;font-size:.85rem;background:var(--accent-soft);color:var(--ink)}
.state-closed,.state-ended{background:var(--line)}
h1{font-size:clamp(1.8rem,4vw,2.6rem);line-height:1.15;margin:.2rem 0 .6rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:0 0 .8rem}
.lede{font-size:1.1rem;max-width:45rem;margin:0 0 1rem;white-space:pre-wrap;overflow-wrap:anywhere}
/* The hero's title and lede keep their own direction (dir=auto) and align with the page like the rest of the header (Chromium resolves text-align:match-parent against the element's own direction). */
html[dir=ltr] .hero :is(h1,.lede){text-align:left}
html[dir=rtl] .hero :is(h1,.lede){text-align:right}
.locales{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.locales li{display:flex;gap:.35rem;align-items:center}
.chip{background:var(--chip);border-radius:.4rem;padding:.1rem .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.9rem;padding:1.25rem 1.4rem;margin:0 0 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem;margin-bottom:1rem}
.grid .card{margin:0}
.totals{display:flex;flex-wrap:wrap;gap:2rem;margin-bottom:1rem}
.totals p{margin:0;display:flex;flex-direction:column}
.totals strong{font-size:2.2rem;line-height:1.1;font-variant-numeric:tabular-nums}
.totals span{color:var(--muted)}
.goal{margin:0 0 1rem}
.goal-text{display:flex;justify-content:space-between;font-variant-numeric:tabular-nums;margin-bottom:.3rem}
.bar{display:block;height:.5rem;background:var(--line);border-radius:999px;overflow:hidden}
.bar.big{height:.8rem}
.bar>span{display:block;height:100%;background:var(--bar);border-radius:999px;min-width:2px}
.chart{margin:0}
.chart svg{width:100%;height:auto;display:block;overflow:visible;direction:ltr}
.chart .area{fill:var(--accent-soft)}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2.5;vector-effect:non-scaling-stroke}
.chart .axis{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke}
.chart .goal-line{stroke:var(--muted);stroke-dasharray:6 5;stroke-width:1.5;vector-effect:non-scaling-stroke}
.chart text{fill:var(--muted);font-size:12px}
.chart .total-label{fill:var(--ink);font-weight:700;font-size:14px}
figcaption{margin-top:.5rem;font-size:.9rem;color:var(--muted)}
figcaption table{border-collapse:collapse;margin-top:.5rem;font-variant-numeric:tabular-nums}
figcaption th,figcaption td{text-align:start;padding-block:.2rem;padding-inline:0 .8rem;border-bottom:1px solid var(--line)}
.bars{list-style:none;margin:0;padding:0;display:grid;gap:.55rem}
.bars li{display:grid;grid-template-columns:1fr auto;gap:.15rem .75rem}
.bars .name{overflow-wrap:anywhere}
.bars .n{font-variant-numeric:tabular-nums;font-weight:600}
.bars .bar{grid-column:1 / -1}
.guidelines{white-space:pre-wrap;overflow-wrap:anywhere}
.muted{color:var(--muted)}
.nowrap{white-space:nowrap;overflow-wrap:normal}
.warn{color:var(--warn);font-weight:600}
.facts dl{display:grid;grid-template-columns:max-content 1fr;gap:.5rem 1.25rem;margin:0}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.code{font-size:1.05rem;font-weight:600;letter-spacing:.04em}
footer{color:var(--muted);font-size:.9rem;margin-top:2rem}
@media (max-width:36rem){.facts dl{grid-template-columns:1fr}.facts dd{margin-bottom:.5rem}}
`;
