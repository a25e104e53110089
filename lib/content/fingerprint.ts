// The drift report (issue 7, docs/adapters.md): when the adapter finds no answer on a page
// that plainly has a conversation, the popup offers to copy this structural outline of the
// conversation container for a bug report, so a maintainer can fix the adapter from it.
//
// Privacy by construction: it reads tag names, attribute NAMES, class names and the values
// of a few attributes sites use as structural markers — never a text node, never another
// attribute's value. Class names and marker values lose their digits and hash-like parts
// (ids, hashes and counters can identify a conversation), and anything not made of plain
// letters is dropped.

/** The outline never exceeds this many characters (the page-status message caps it too). */
export const MAX_FINGERPRINT = 8_000;
const MAX_DEPTH = 14;
const MAX_ELEMENTS = 1_500;
const MAX_CLASSES = 6;
/** Attributes whose values are developer-chosen markers, shown in their stripped form. */
const MARKER_VALUES = new Set([
  'role',
  'data-testid',
  'data-test-id',
  'data-message-author-role',
  'data-message-role',
  'data-role',
  'data-is-streaming',
  'data-streaming-complete',
  'data-complete',
  'data-content',
  'data-turn',
  'data-state',
  'aria-busy',
  'type',
]);
/** Elements whose insides say nothing about the conversation's structure. */
const OPAQUE = new Set(['svg', 'script', 'style', 'noscript', 'template', 'iframe', 'img', 'video', 'canvas', 'sounds-local-button']);

/** A class or marker value without its hash, counter or id parts; '' when nothing safe remains. */
export function stripName(name: string): string {
  // CSS modules: `Message_botMessageBubble__a1B2c` → `Message_botMessageBubble`.
  const base = name.split('__')[0]!;
  const parts = base.split(/([-_:])/);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i]!;
    const joiner = parts[i - 1] ?? '';
    if (!/^[A-Za-z]{1,24}$/.test(part)) {
      // The first part with a digit or anything unusual ends the name: `css-1x2y3` → `css-*`.
      if (out) out += `${joiner}*`;
      break;
    }
    out += joiner + part;
  }
  return out.length > 48 ? out.slice(0, 48) : out;
}

function describeElement(el: Element): string {
  let line = el.localName.replace(/[^a-z0-9-]/g, '');
  const classes = new Set<string>();
  for (const name of el.classList) {
    const stripped = stripName(name);
    if (stripped) classes.add(stripped);
    if (classes.size >= MAX_CLASSES) break;
  }
  for (const name of classes) line += `.${name}`;
  const attributes: string[] = [];
  for (const attribute of el.attributes) {
    const name = attribute.name;
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) continue;
    if (MARKER_VALUES.has(name)) {
      const value = stripName(attribute.value);
      attributes.push(value ? `${name}=${value}` : name);
    } else if (name.startsWith('data-') || name.startsWith('aria-')) attributes.push(name);
  }
  if (attributes.length) line += ` [${attributes.sort().join(' ')}]`;
  return line;
}

/**
 * An indented outline of the conversation container (`main`, else the body): one line per
 * element kind, siblings that look alike grouped as `×N` with the first and last of each
 * group expanded, depth- and size-limited.
 */
export function describeStructure(doc: Document): string {
  const root = doc.querySelector('main, [role="main"]') ?? doc.body;
  const lines = ['sounds-local page structure v1 (tags, attribute names, class prefixes; no text)'];
  let size = lines[0]!.length;
  let elements = 0;
  let full = false;

  function add(line: string) {
    if (full) return;
    if (size + line.length + 1 > MAX_FINGERPRINT - 2) {
      lines.push('…');
      full = true;
      return;
    }
    lines.push(line);
    size += line.length + 1;
  }

  function walk(el: Element, depth: number, note = '') {
    if (full || ++elements > MAX_ELEMENTS) return;
    add(`${'  '.repeat(depth)}${describeElement(el)}${note}`);
    if (depth >= MAX_DEPTH || OPAQUE.has(el.localName)) return;
    const groups = new Map<string, Element[]>();
    for (const child of el.children) {
      const key = describeElement(child);
      const group = groups.get(key);
      if (group) group.push(child);
      else groups.set(key, [child]);
    }
    for (const group of groups.values()) {
      walk(group[0]!, depth + 1, group.length > 1 ? ` ×${group.length}` : '');
      if (group.length > 1) walk(group[group.length - 1]!, depth + 1, ' (the last of them)');
    }
  }

  if (root) walk(root, 0);
  return lines.join('\n');
}
