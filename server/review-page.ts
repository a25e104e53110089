// The community review page, GET /review?drive=<id> (DESIGN.md §14). The server sends a
// small HTML shell and the words (the extension's own messages.json, in the viewer's UI
// language where the extension has it); the page's script (review-page/client.ts, bundled
// here with esbuild into one ES module on first use) asks /v1/review/next for a report,
// renders it as text (never as markup) and sends votes to /v1/review/votes. Styles are the
// extension's components/ui.css plus review-page/review.css. The CSP allows only this
// origin's script and styles and connections to itself.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { HostedDrive } from './drives';
import { esc } from './drive-page';
import { type PageMessage, directionOf, pageMessages, pickUiLanguage } from './page-words';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SECURITY_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

const REVIEW_KEY = /^(review|category|severity)_/;

/** The words the page needs: review_*, category_* and severity_* keys, localeTag and localeWithCode, English filling gaps. */
export function reviewMessages(language: string): Record<string, PageMessage> {
  return pageMessages(language, (key) => key === 'localeTag' || key === 'localeWithCode' || REVIEW_KEY.test(key));
}

export function reviewPage(drive: HostedDrive, acceptLanguage: string | undefined): { headers: Record<string, string>; body: string } {
  const folder = pickUiLanguage(acceptLanguage);
  const messages = reviewMessages(folder);
  const tag = messages.localeTag?.message ?? folder.replace('_', '-');
  const dir = directionOf(tag);
  const word = (key: string) => messages[key]?.message ?? key;
  const name = drive.name ?? drive.id;
  // JSON inside <script type="application/json">: "<" escaped so no text can close the element.
  const data = JSON.stringify({ drive: drive.id, name, lang: tag, messages }).replace(/</g, '\\u003c');
  const body = `<!doctype html>
<html class="in-tab" lang="${esc(tag)}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(word('review_title'))} · ${esc(name)}</title>
<link rel="stylesheet" href="/review/ui.css">
<link rel="stylesheet" href="/review/review.css">
<script type="module" src="/review/review.js"></script>
</head>
<body>
<main class="review-page" id="review">
<header class="review-header">
<h1>${esc(word('review_title'))}</h1>
<p class="review-drive"><bdi>${esc(name)}</bdi></p>
</header>
<p class="review-intro">${esc(word('review_intro'))}</p>
<noscript><p>${esc(word('review_needsScript'))}</p></noscript>
<div id="review-app"></div>
</main>
<script type="application/json" id="review-data">${data}</script>
</body>
</html>
`;
  return { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Language': tag, Vary: 'Accept-Language', ...SECURITY_HEADERS }, body };
}

let bundle: Promise<string> | undefined;

/** The page's script: review-page/client.ts and what it imports from lib/, as one ES module. */
function clientBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(ROOT, 'server/review-page/client.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  })
    .then((result) => result.outputFiles[0]!.text)
    .catch((error: unknown) => {
      bundle = undefined;
      throw error;
    });
  return bundle;
}

export async function reviewAsset(name: string): Promise<{ headers: Record<string, string>; body: string } | undefined> {
  const headers = (type: string) => ({ 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });
  if (name === 'review.js') return { headers: headers('text/javascript; charset=utf-8'), body: await clientBundle() };
  if (name === 'ui.css') return { headers: headers('text/css; charset=utf-8'), body: readFileSync(join(ROOT, 'components/ui.css'), 'utf8') };
  if (name === 'review.css') return { headers: headers('text/css; charset=utf-8'), body: readFileSync(join(ROOT, 'server/review-page/review.css'), 'utf8') };
  return undefined;
}
