// DOM selection → UTF-16 offsets into the answer. The answer is rendered as text nodes only
// (plain runs and <mark> runs), so counting text-node characters before a boundary point
// gives the offset into `answer` exactly, whatever the script or direction.
import type { TextRange } from '../anchoring';

function textNodes(container: Node): Text[] {
  const walker = container.ownerDocument!.createTreeWalker(container, 0x4 /* NodeFilter.SHOW_TEXT */);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  return nodes;
}

const FOLLOWING = 0x04; // Node.DOCUMENT_POSITION_FOLLOWING
const PRECEDING = 0x02; // Node.DOCUMENT_POSITION_PRECEDING

/** Characters of the container's text before the boundary point (node, offset). */
export function offsetInContainer(container: Node, node: Node, offset: number): number {
  if (node !== container && !container.contains(node)) {
    // A selection that runs past the answer is clamped to it.
    const length = (container.textContent ?? '').length;
    if (node.contains(container)) {
      const child = node.childNodes[offset];
      if (!child) return length;
      if (child === container || child.contains(container)) return 0;
      return container.compareDocumentPosition(child) & FOLLOWING ? length : 0;
    }
    return container.compareDocumentPosition(node) & FOLLOWING ? length : 0;
  }
  let sum = 0;
  if (node.nodeType === 3 /* TEXT_NODE */) {
    for (const t of textNodes(container)) {
      if (t === node) return sum + offset;
      sum += t.data.length;
    }
    return sum;
  }
  const child = node.childNodes[offset];
  for (const t of textNodes(container)) {
    const before = child
      ? !(child === t || child.contains(t) || child.compareDocumentPosition(t) & FOLLOWING)
      : node.contains(t) || Boolean(node.compareDocumentPosition(t) & PRECEDING);
    if (!before) break;
    sum += t.data.length;
  }
  return sum;
}

/** The part of the current selection that lies in the container, as offsets; undefined if none. */
export function selectionRangeIn(container: Element, selection: Selection | null): TextRange | undefined {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return undefined;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(container)) return undefined;
  const start = offsetInContainer(container, range.startContainer, range.startOffset);
  const end = offsetInContainer(container, range.endContainer, range.endOffset);
  return end > start ? { start, end } : undefined;
}
