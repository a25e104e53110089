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

/** Drop elements contained in another element of the list (keeps outermost). */
export function outermost(elements: Element[]): Element[] {
  return elements.filter((el) => !elements.some((other) => other !== el && other.contains(el)));
}

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR',
  'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'THEAD', 'TFOOT',
  'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'BUTTON', 'IMG', 'VIDEO', 'AUDIO', 'CANVAS', 'IFRAME', 'SOUNDS-LOCAL-BUTTON']);

/** Chrome that every site's answers may carry. */
export const COMMON_STRIP = [
  '.sr-only',
  '.cdk-visually-hidden',
  '.katex-html', // KaTeX renders math twice: keep the TeX annotation (.katex-mathml) once
  '[aria-hidden="true"]:not(.katex-mathml)',
];

/**
 * Text of an element as a reader sees it: block elements and <br> break lines, table cells
 * are separated by tabs, elements matching `strip` are left out. KaTeX keeps its TeX source.
 */
export function readText(root: Element, strip: readonly string[] = []): string {
  const stripSelector = [...COMMON_STRIP, ...strip].join(',');
  const out: string[] = [];
  const newline = () => {
    if (out.length && !out[out.length - 1]!.endsWith('\n')) out.push('\n');
  };
  const walk = (node: Node, inPre: boolean) => {
    if (node.nodeType === 3) {
      const value = node.nodeValue ?? '';
      if (inPre) out.push(value);
      else {
        // Whitespace between blocks is layout, not text.
        const collapsed = value.replace(/[ \t\r\n\f]+/g, ' ');
        const atLineStart = !out.length || out[out.length - 1]!.endsWith('\n');
        const piece = atLineStart ? collapsed.trimStart() : collapsed;
        if (piece) out.push(piece);
      }
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP.has(tag)) return;
    if (el.matches(stripSelector)) return;
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
    const block = BLOCK.has(tag);
    const pre = inPre || tag === 'PRE' || tag === 'CODE' && el.parentElement?.tagName === 'PRE' || el.classList.contains('cm-content');
    if (block) newline();
    if (tag === 'TD' || tag === 'TH') {
      if (el.previousElementSibling) out.push('\t');
    }
    if (el.classList.contains('cm-line')) newline();
    for (const child of el.childNodes) walk(child, pre);
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
