// The in-page "Doesn't sound local" button: a `sounds-local-button` host with a closed
// shadow root, so the page can neither style nor script what is inside. Text is set with
// textContent only.

export const BUTTON_TAG = 'sounds-local-button';

export interface ButtonLabels {
  label: string;
  title: string;
}

const STYLE = `
:host { all: initial; display: inline-flex; vertical-align: middle; margin: 2px 4px; font: 500 12px/1.2 system-ui, -apple-system, "Segoe UI", sans-serif; }
button { display: inline-flex; align-items: center; gap: 5px; padding: 4px 10px; border-radius: 999px;
  border: 1px solid rgba(128,128,128,.45); background: transparent; color: inherit; cursor: pointer; font: inherit;
  color: #0b6e4f; }
button:hover { background: rgba(11,110,79,.08); }
button:focus-visible { outline: 2px solid #0b6e4f; outline-offset: 2px; }
button[aria-busy="true"] { opacity: .6; cursor: progress; }
svg { width: 14px; height: 14px; flex: none; }
.hint { margin-inline-start: 6px; max-width: 32em; color: #444; font-weight: 400; }
.hint[data-kind="error"] { color: #a4262c; }
@media (prefers-color-scheme: dark) { button { color: #7fd8b4; } .hint { color: #ccc; } .hint[data-kind="error"] { color: #ff8f8f; } }
`;

const SVG = 'http://www.w3.org/2000/svg';

/** A speech bubble with a line: built node by node, so no markup string is ever parsed. */
function icon(doc: Document): SVGSVGElement {
  const svg = doc.createElementNS(SVG, 'svg');
  for (const [name, value] of [['viewBox', '0 0 16 16'], ['aria-hidden', 'true'], ['fill', 'none'], ['stroke', 'currentColor'], ['stroke-width', '1.6']])
    svg.setAttribute(name!, value!);
  for (const d of ['M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z', 'M6 7.2h4']) {
    const path = doc.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

export interface MountedButton {
  host: HTMLElement;
  setBusy(busy: boolean): void;
  showHint(text: string, kind?: 'info' | 'error'): void;
}

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
  button.title = labels.title;
  const text = doc.createElement('span');
  text.textContent = labels.label;
  button.append(icon(doc), text);
  const hint = doc.createElement('span');
  hint.className = 'hint';
  hint.setAttribute('role', 'status');
  root.append(style, button, hint);

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
    showHint(message, kind = 'info') {
      hint.textContent = message;
      hint.dataset.kind = kind;
    },
  };
}
