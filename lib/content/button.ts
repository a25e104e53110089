// The in-page "Doesn't sound local" button: a `sounds-local-button` host with a closed
// shadow root, so the page can neither style nor script what is inside. Text is set with
// textContent only.
//
// It looks like the site's own icon buttons: 32×32, an icon with the label as its
// accessible name and tooltip. Its colours follow the page, not the OS: the background
// behind the button is read from the page's computed styles (walking up to the first
// opaque ancestor) and the foreground with the better contrast against it is chosen, never
// below 4.5:1. After a click it shows a saved state (a check mark); a second click on the
// same answer opens the existing draft (the background recognises the answer).

export const BUTTON_TAG = 'sounds-local-button';

export interface ButtonLabels {
  label: string;
  title: string;
}

export type Rgb = [number, number, number];

/** WCAG 2 relative luminance. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)`, `rgb(1 2 3 / 50%)` → colour and alpha. */
export function parseCssColor(value: string): { rgb: Rgb; alpha: number } | undefined {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/i.exec(value.trim());
  if (!m) return undefined;
  const alpha = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha };
}

export interface ButtonTheme {
  theme: 'light' | 'dark';
  foreground: string;
  hover: string;
}

const LIGHT: ButtonTheme = { theme: 'light', foreground: '#0b6e4f', hover: 'rgba(11,110,79,.12)' };
const DARK: ButtonTheme = { theme: 'dark', foreground: '#7fd8b4', hover: 'rgba(127,216,180,.16)' };
const hex = (color: string): Rgb => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as Rgb;

/** The colours with the better contrast against the page's background; plain black or white if neither reaches 4.5:1. */
export function themeFor(background: Rgb): ButtonTheme {
  const light = contrastRatio(hex(LIGHT.foreground), background);
  const dark = contrastRatio(hex(DARK.foreground), background);
  const best = light >= dark ? LIGHT : DARK;
  if (Math.max(light, dark) >= 4.5) return best;
  const black = contrastRatio([0, 0, 0], background);
  const white = contrastRatio([255, 255, 255], background);
  return black >= white
    ? { theme: 'light', foreground: '#000000', hover: 'rgba(0,0,0,.1)' }
    : { theme: 'dark', foreground: '#ffffff', hover: 'rgba(255,255,255,.14)' };
}

/**
 * The colour behind an element: the first ancestor with an (almost) opaque background; white
 * if none. With `cache`, buttons themed together read each shared ancestor's style once.
 */
export function backgroundBehind(element: Element | null, cache?: Map<Element, Rgb>): Rgb {
  const view = element?.ownerDocument.defaultView;
  const visited: Element[] = [];
  let found: Rgb | undefined;
  for (let el = element; el && view && !found; el = el.parentElement) {
    found = cache?.get(el);
    if (found) break;
    visited.push(el);
    const parsed = parseCssColor(view.getComputedStyle(el).backgroundColor);
    if (parsed && parsed.alpha >= 0.5) found = parsed.rgb;
  }
  if (!found) {
    // No painted ancestor: the canvas. A page that asks for a dark canvas (color-scheme: dark) gets one.
    const scheme = element && view ? view.getComputedStyle(element.ownerDocument.documentElement).colorScheme : '';
    found = /^dark/.test(scheme ?? '') ? [18, 18, 18] : [255, 255, 255];
  }
  if (cache) for (const el of visited) cache.set(el, found);
  return found;
}

/** A new button waiting for its first theme. */
interface Unthemed {
  host: HTMLElement;
  paint(theme: ButtonTheme): void;
  /** Frames waited for its host to be on the page. */
  frames: number;
}

const unthemed = new Set<Unthemed>();

/**
 * New buttons take the page's theme together, in a task right after the next frame is drawn:
 * the page's styles are then up to date, so reading them makes the browser recompute none of
 * the page's style (read in the same task that placed the buttons, every read did, and each
 * button's colours written before the next button's read did again). Until then, for one
 * frame, a button shows the light theme's colours.
 */
function themeSoon(view: Window, item: Unthemed) {
  unthemed.add(item);
  if (unthemed.size === 1) view.requestAnimationFrame(() => view.setTimeout(() => themeAll(view), 0));
}

function themeAll(view: Window) {
  const items = [...unthemed];
  unthemed.clear();
  const cache = new Map<Element, Rgb>();
  // All reads, then all writes.
  const themes = items.map((item) => (item.host.isConnected ? themeFor(backgroundBehind(item.host.parentElement, cache)) : undefined));
  items.forEach((item, i) => {
    const theme = themes[i];
    if (theme) item.paint(theme);
    else if (++item.frames < 3) themeSoon(view, item); // not on the page yet: a frame or two more
  });
}

const STYLE = `
:host { all: initial; display: inline-flex; align-items: center; vertical-align: middle; margin: 0 2px;
  font: 400 12px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; }
button { display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; padding: 0;
  border: 0; border-radius: 8px; background: transparent; color: var(--fg, #0b6e4f); cursor: pointer; }
button:hover { background: var(--hover, rgba(11,110,79,.12)); }
button:focus-visible { outline: 2px solid var(--fg, #0b6e4f); outline-offset: 1px; }
button[aria-busy="true"] { opacity: .6; cursor: progress; }
svg { width: 18px; height: 18px; flex: none; }
.hint { margin-inline-start: 6px; max-width: 32em; color: var(--fg, #0b6e4f); }
.hint:empty { display: none; }
.hint[data-kind="error"] { color: var(--error, #a4262c); font-weight: 600; }
`;

const SVG = 'http://www.w3.org/2000/svg';

/** A speech bubble with a line, or with a check once saved: built node by node, no markup parsed. */
function icon(doc: Document): { svg: SVGSVGElement; setSaved(saved: boolean): void } {
  const svg = doc.createElementNS(SVG, 'svg');
  for (const [name, value] of [
    ['viewBox', '0 0 16 16'],
    ['aria-hidden', 'true'],
    ['fill', 'none'],
    ['stroke', 'currentColor'],
    ['stroke-width', '1.6'],
    ['stroke-linecap', 'round'],
    ['stroke-linejoin', 'round'],
  ])
    svg.setAttribute(name!, value!);
  const bubble = doc.createElementNS(SVG, 'path');
  bubble.setAttribute('d', 'M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z');
  const inner = doc.createElementNS(SVG, 'path');
  svg.append(bubble, inner);
  const setSaved = (saved: boolean) => inner.setAttribute('d', saved ? 'M5.6 7.1l1.6 1.6 3.2-3.3' : 'M6 7.2h4');
  setSaved(false);
  return { svg, setSaved };
}

export interface MountedButton {
  host: HTMLElement;
  setBusy(busy: boolean): void;
  /** A saved note may be given as a function: a relabel (another UI language) reads it again. */
  showHint(text: string | (() => string), kind?: 'info' | 'error'): void;
  /** Take the labels' current text (another UI language was chosen). */
  relabel(): void;
}

/** How long a "saved" note stays beside the button; the saved icon stays. */
const INFO_HINT_MS = 8_000;

/**
 * Build a button host (or fill `host`, an empty one already on the page); `onActivate` runs
 * only for real (trusted) user clicks.
 */
export function createButton(doc: Document, labels: ButtonLabels, onActivate: () => void, host = doc.createElement(BUTTON_TAG)): MountedButton {
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const button = doc.createElement('button');
  button.type = 'button';
  /** The saved note, once saved: the button's title and the end of its accessible name. */
  let saved: (() => string) | undefined;
  // Reads `labels` and the note again: the content script changes them when the user picks another UI language.
  const relabel = () => {
    const note = saved?.();
    button.title = note ?? labels.title;
    button.setAttribute('aria-label', note ? `${labels.label} — ${note}` : labels.label);
  };
  relabel();
  const glyph = icon(doc);
  button.append(glyph.svg);
  const hint = doc.createElement('span');
  hint.className = 'hint';
  hint.setAttribute('role', 'status');
  root.append(style, button, hint);
  let hintTimer: ReturnType<typeof setTimeout> | undefined;

  // The page's theme, read once the button is on the page and again when the pointer or
  // focus comes to it (the site's own dark-mode switch may have changed it meanwhile).
  const paint = (theme: ButtonTheme) => {
    button.style.setProperty('--fg', theme.foreground);
    button.style.setProperty('--hover', theme.hover);
    hint.style.setProperty('--fg', theme.foreground);
    hint.style.setProperty('--error', theme.theme === 'dark' ? '#ff9b9b' : '#a4262c');
    button.dataset.theme = theme.theme;
  };
  const applyTheme = () => {
    if (host.isConnected) paint(themeFor(backgroundBehind(host.parentElement)));
  };
  const view = doc.defaultView;
  if (view?.requestAnimationFrame) themeSoon(view, { host, paint, frames: 0 });
  else queueMicrotask(applyTheme);
  button.addEventListener('pointerenter', applyTheme);
  button.addEventListener('focus', applyTheme);

  button.addEventListener('click', (event) => {
    // Page scripts can dispatch synthetic clicks on any element they find: ignore them.
    if (!event.isTrusted) return;
    event.preventDefault();
    event.stopPropagation();
    onActivate();
  });
  // Keep the site's own click handlers (which may collapse or select the turn) out of it.
  for (const type of ['mousedown', 'pointerdown', 'mouseup', 'pointerup'] as const) {
    button.addEventListener(type, (event) => event.stopPropagation());
  }

  return {
    host,
    setBusy(busy) {
      button.setAttribute('aria-busy', String(busy));
      button.disabled = busy;
    },
    relabel,
    showHint(message, kind = 'info') {
      const text = typeof message === 'string' ? message : message();
      clearTimeout(hintTimer);
      applyTheme();
      hint.textContent = text;
      hint.dataset.kind = kind;
      if (kind === 'info') {
        // Saved: the icon says so from now on, and a second click opens the same draft.
        glyph.setSaved(true);
        button.dataset.saved = '';
        saved = typeof message === 'string' ? () => text : message;
        relabel();
        hintTimer = setTimeout(() => {
          hint.textContent = '';
        }, INFO_HINT_MS);
      }
    },
  };
}
