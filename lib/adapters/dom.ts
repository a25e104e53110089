// Small DOM helpers every adapter shares: ordered selector fallbacks and text extraction
// that strips UI chrome. Written against the DOM standard only, so it behaves the same in
// happy-dom (unit tests) and in a real browser.

/** The first selector in the list that matches anything wins (most stable signal first). */
export function queryFirst(root: ParentNode, selectors: readonly string[]): Element | undefined {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return undefined;
}

/** All matches of the first selector in the list that matches anything. */
export function queryAllFirst(root: ParentNode, selectors: readonly string[]): Element[] {
  for (const selector of selectors) {
    const found = root.querySelectorAll(selector);
    if (found.length) return [...found];
  }
  return [];
}

/** Elements in page order, each once (two layouts' selectors may both match one element). */
export function inPageOrder(elements: Iterable<Element>): Element[] {
  return [...new Set(elements)].sort((a, b) => (a === b ? 0 : a.compareDocumentPosition(b) & 4 ? -1 : 1));
}

/** Drop elements contained in another element of the list (keeps outermost). */
export function outermost(elements: Element[]): Element[] {
  if (elements.length < 2) return elements;
  // Walk up from each element instead of testing every pair: pages can hold hundreds of answers.
  const listed = new Set(elements);
  return elements.filter((el) => {
    for (let parent = el.parentElement; parent; parent = parent.parentElement) if (listed.has(parent)) return false;
    return true;
  });
}

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DETAILS',
  'DIV',
  'DL',
  'DT',
  'FIELDSET',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'SUMMARY',
  'TABLE',
  'TBODY',
  'THEAD',
  'TFOOT',
  'TR',
  'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'BUTTON', 'IMG', 'VIDEO', 'AUDIO', 'CANVAS', 'IFRAME', 'SOUNDS-LOCAL-BUTTON']);

/**
 * A code block's header row (language label, copy/download buttons): a small element with
 * no code or prose of its own, right before the element holding the <pre>. Written by
 * structure, not by words, so it holds in every UI language.
 */
export const CODE_BLOCK_HEADER = [
  'div:not(:has(pre, code, p, table, ul, ol, li, blockquote)):has(+ pre)',
  'div:not(:has(pre, code, p, table, ul, ol, li, blockquote)):has(+ div pre)',
].join(', ');

/**
 * Chrome that every site's answers may carry, applied by every adapter (each adds its own).
 * Written as generic patterns, not one site's markup, so a site that adopts a common idiom
 * (a `.citation` chip, a "not copied" mark, a toolbar) is covered before we know it does.
 */
export const COMMON_STRIP = [
  // Text for screen readers only ("ChatGPT said:", "Claude responded:", "Gemini said").
  '.sr-only',
  '.cdk-visually-hidden',
  '.katex-html', // KaTeX renders math twice: keep the TeX annotation (.katex-mathml) once
  '[aria-hidden="true"]:not(.katex-mathml)',
  // Citation chips: link labels ("CBO", "NBER", "+2") and source pills inside the prose.
  '.citation',
  '[data-testid*="citation"]',
  '[class*="citation-pill"]',
  // What the sites' own copy buttons leave out, and toolbars (copy/share/feedback bars).
  '[data-exclude-from-copy]',
  '[data-markdown-copy="exclude"]',
  '[data-copy="false"]',
  '[hide-from-message-actions]',
  '.hide-from-message-actions',
  '[role="toolbar"]',
  // "Thinking" blocks: the model's reasoning shown before the answer, and its timer.
  '[data-message-part-type="reasoning"]',
  '[class*="thinking-container"]',
  '[class*="think-content"]',
  'model-thoughts',
];

/**
 * Invisible characters that chips carry at their edges (Grok puts U+2060 word joiners
 * around each citation link). Only removed next to something stripped: inside text, ZWJ
 * and ZWNJ are letters' business (Persian, Indic scripts, emoji sequences).
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: ZWJ/ZWNJ here are single characters to strip at chip edges, not parts of a sequence
const ZERO_WIDTH_EDGE = /[\u200b\u200c\u200d\u2060\ufeff]+([ \t\r\n\f]*)$/u;
// biome-ignore lint/suspicious/noMisleadingCharacterClass: as above
const ZERO_WIDTH_START = /^([ \t\r\n\f]*)[\u200b\u200c\u200d\u2060\ufeff]+/u;

export interface ReadTextOptions {
  /**
   * Text to use instead of an element's own (a site keeps the real content in an attribute:
   * TeX in `data-math`, a table's HTML in `data-rich-table-inner-html`); undefined reads it
   * as usual.
   */
  replace?(el: Element): string | undefined;
}

/**
 * Text of an element as a reader sees it: block elements and <br> break lines, table cells
 * are separated by tabs (blocks inside a cell stay on its line), elements matching `strip`
 * are left out. KaTeX keeps its TeX source.
 */
export function readText(root: Element, strip: readonly string[] = [], options: ReadTextOptions = {}): string {
  const stripSelector = [...COMMON_STRIP, ...strip].join(',');
  const out: string[] = [];
  /** The last thing walked was stripped: zero-width characters right after it go too. */
  let afterStrip = false;
  const trimZeroWidthEnd = () => {
    while (out.length) {
      const kept = out[out.length - 1]!.replace(ZERO_WIDTH_EDGE, '$1');
      if (kept) {
        out[out.length - 1] = kept;
        return;
      }
      out.pop();
    }
  };
  const newline = () => {
    if (out.length && !out[out.length - 1]!.endsWith('\n')) out.push('\n');
  };
  const space = () => {
    const last = out[out.length - 1];
    if (last && !/[\s]$/.test(last)) out.push(' ');
  };
  const walk = (node: Node, inPre: boolean, inCell = false) => {
    if (node.nodeType === 3) {
      let value = node.nodeValue ?? '';
      if (afterStrip) {
        value = value.replace(ZERO_WIDTH_START, '$1');
        if (value.trim()) afterStrip = false;
      }
      if (inPre) out.push(value);
      else {
        // Whitespace between blocks is layout, not text.
        const collapsed = value.replace(/[ \t\r\n\f]+/g, ' ');
        // A line or a table cell starts here: its leading whitespace is layout too.
        const atLineStart = !out.length || /[\n\t]$/.test(out[out.length - 1]!);
        const piece = atLineStart ? collapsed.trimStart() : collapsed;
        if (piece) out.push(piece);
      }
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (el.matches(stripSelector)) {
      trimZeroWidthEnd();
      afterStrip = true;
      return;
    }
    const replacement = options.replace?.(el);
    if (replacement !== undefined) {
      const isBlock = BLOCK.has(tag) && !inCell;
      if (isBlock) newline();
      out.push(replacement);
      if (isBlock) newline();
      return;
    }
    if (SKIP.has(tag)) return;
    if (tag === 'ANNOTATION') {
      if (el.getAttribute('encoding') === 'application/x-tex') out.push(el.textContent ?? '');
      return;
    }
    if (tag === 'MATH') {
      const tex = el.querySelector('annotation[encoding="application/x-tex"]');
      out.push(tex ? (tex.textContent ?? '') : (el.textContent ?? ''));
      return;
    }
    if (tag === 'BR') {
      out.push('\n');
      return;
    }
    const cell = tag === 'TD' || tag === 'TH';
    // Inside a table cell, paragraphs and divs must not split the row across lines.
    const block = BLOCK.has(tag) && !inCell;
    const pre = inPre || tag === 'PRE' || (tag === 'CODE' && el.parentElement?.tagName === 'PRE') || el.classList.contains('cm-content');
    if (block) newline();
    else if (inCell && BLOCK.has(tag)) space();
    if (cell && el.previousElementSibling) {
      // Whitespace between cells is layout, not text.
      while (out.length && / $/.test(out[out.length - 1]!)) {
        const kept = out.pop()!.replace(/ +$/, '');
        if (kept) {
          out.push(kept);
          break;
        }
      }
      out.push('\t');
    }
    if (el.classList.contains('cm-line')) newline();
    for (const child of el.childNodes) walk(child, pre, inCell || cell);
    if (block || el.classList.contains('cm-line')) newline();
  };
  walk(root, false);
  return tidy(out.join(''));
}

/** Trim each line's stray spaces (not code indentation at line start) and collapse blank runs. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \u00a0]+$/u, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The first element matching `selector` after `el` (outside it), looked for within its
 * `levels` nearest ancestors; undefined when an element matching `stop` (the next turn)
 * comes first. Finds a site's action bar that follows the answer instead of sitting in it.
 */
export function nextMatching(
  el: Element,
  selector: string,
  { levels = 3, stop, where }: { levels?: number; stop?: string; where?: (candidate: Element) => boolean } = {},
): Element | undefined {
  const query = stop ? `${selector}, ${stop}` : selector;
  // Only what follows: the later siblings of `el`, then of each ancestor in turn. The first
  // match in page order is usually right there, so this stays cheap on long pages.
  let from: Element = el;
  for (let level = 0; level < levels && from.parentElement; level++, from = from.parentElement) {
    for (let sibling = from.nextElementSibling; sibling; sibling = sibling.nextElementSibling) {
      const candidates = sibling.matches(query) ? [sibling, ...sibling.querySelectorAll(query)] : sibling.querySelectorAll(query);
      for (const candidate of candidates) {
        if (stop && candidate.matches(stop)) return undefined;
        if (where && !where(candidate)) continue;
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * A row of the site's own buttons (copy, thumbs, retry…) told by its shape, not its labels,
 * which are translated: an element with at least `min` buttons as direct children.
 */
export function isButtonRow(el: Element | null | undefined, min = 3): el is Element {
  if (!el) return false;
  let buttons = 0;
  for (const child of el.children) if (child.tagName === 'BUTTON' && ++buttons >= min) return true;
  return false;
}

/**
 * A stop control in the composer belongs to the newest answer only: true when one of `stop`
 * is in the page and `answer` is the last answer `findAnswers` sees.
 */
export function newestWhileStoppable(answer: Element, stop: readonly string[], findAnswers: (root: ParentNode) => Element[]): boolean {
  const doc = answer.ownerDocument;
  if (!queryFirst(doc, stop)) return false;
  const all = findAnswers(doc);
  return all[all.length - 1] === answer;
}

/** The last element matching selector that comes before `el` in document order. */
export function previousMatching(el: Element, selector: string, within?: ParentNode): Element | undefined {
  const root = within ?? el.ownerDocument;
  const all = root.querySelectorAll(selector);
  let found: Element | undefined;
  for (const candidate of all) {
    if (candidate.compareDocumentPosition(el) & 4 /* FOLLOWING */) found = candidate;
    else break;
  }
  return found;
}

export function trimmed(text: string | null | undefined): string | undefined {
  const value = text?.replace(/\s+/g, ' ').trim();
  return value ? value : undefined;
}
