// The answer as plain text with marks over it. Only text nodes and <mark> elements are
// rendered (never HTML from the page), so the DOM text equals `answer` character for
// character and a selection maps straight back to UTF-16 offsets.
//
// Keyboard: with the answer focused, Shift+→/← select word by word (→/← move the caret,
// Home/End go to the line's ends) and Enter marks the selection. The selection is a real
// DOM selection, so the editor sees it exactly as it sees a mouse drag.
import type { Ref, RefObject } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import type { TextRange } from '@/lib/anchoring';
import type { Highlight } from '@/lib/report';
import { segmentAnswer } from '@/lib/ui/marks';
import { caretKeyOf, moveCaret, selectionRange, wordStops, type CaretSelection } from '@/lib/ui/wordSelection';
import { selectionRangeIn } from '@/lib/ui/selection';
import { t } from '@/lib/ui/i18n';
import { categoryLabel, severityLabel } from './MarkForm';

type Run = TextRange & { highlight?: Highlight; pending?: boolean; suggested?: boolean };

/** The text node and offset at a UTF-16 offset into the container's text. */
function pointAt(container: Node, offset: number): [Node, number] | undefined {
  const walker = container.ownerDocument!.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let rest = offset;
  let last: Text | undefined;
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    if (rest <= n.data.length) return [n, rest];
    rest -= n.data.length;
    last = n;
  }
  return last ? [last, last.data.length] : undefined;
}

/** Put the DOM selection on [anchor, focus) of the container's text. */
function selectOffsets(container: HTMLElement, selection: CaretSelection) {
  const doc = container.ownerDocument;
  const sel = doc.getSelection();
  const anchor = pointAt(container, selection.anchor);
  const focus = pointAt(container, selection.focus);
  if (!sel || !anchor || !focus) return;
  if (typeof sel.setBaseAndExtent === 'function') sel.setBaseAndExtent(anchor[0], anchor[1], focus[0], focus[1]);
  else {
    const range = doc.createRange();
    const [from, to] = selection.anchor <= selection.focus ? [anchor, focus] : [focus, anchor];
    range.setStart(...from);
    range.setEnd(...to);
    sel.removeAllRanges();
    sel.addRange(range);
  }
}

export function AnswerView(props: {
  id: string;
  answer: string;
  highlights: readonly Highlight[];
  /** The phrase being marked right now (the browser's selection is gone once the form has focus). */
  pending?: TextRange;
  /** Suggested (not yet accepted) phrases, underlined. */
  suggested?: readonly TextRange[];
  /** Marks the last save found wrong. */
  invalidIds?: ReadonlySet<string>;
  lang?: string;
  containerRef: Ref<HTMLDivElement>;
  onOpenMark: (highlight: Highlight) => void;
  /** Enter with text selected in the answer. */
  onMarkSelection?: () => void;
  describedBy?: string;
}) {
  const runs: Run[] = props.highlights.map((h) => ({ start: h.start, end: h.end, highlight: h }));
  if (props.pending) runs.push({ ...props.pending, pending: true });
  for (const s of props.suggested ?? []) if (!runs.some((r) => r.start < s.end && s.start < r.end)) runs.push({ ...s, suggested: true });
  const segments = segmentAnswer(props.answer, runs);
  const stops = useMemo(() => wordStops(props.answer, props.lang), [props.answer, props.lang]);
  const caret = useRef<CaretSelection>({ anchor: 0, focus: 0 });
  const [announce, setAnnounce] = useState('');

  const open = (event: Event, highlight: Highlight) => {
    // A drag that starts on a mark is a selection, not a click.
    const selection = (event.currentTarget as Node).ownerDocument?.getSelection();
    if (event.type === 'click' && selection && !selection.isCollapsed) return;
    event.preventDefault();
    props.onOpenMark(highlight);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const container = (props.containerRef as RefObject<HTMLDivElement>).current;
    if (!container || event.altKey || event.metaKey) return;
    if (event.key === 'Enter' && event.target === container) {
      const current = selectionRangeIn(container, container.ownerDocument.getSelection());
      if (current && current.end > current.start) {
        event.preventDefault();
        props.onMarkSelection?.();
      }
      return;
    }
    const rtl = getComputedStyle(container).direction === 'rtl';
    const key = caretKeyOf(event.key, rtl);
    if (!key) return;
    event.preventDefault();
    // Start from where a mouse selection left off, if there is one.
    const current = selectionRangeIn(container, container.ownerDocument.getSelection());
    if (
      current &&
      (current.start !== Math.min(caret.current.anchor, caret.current.focus) || current.end !== Math.max(caret.current.anchor, caret.current.focus))
    )
      caret.current = { anchor: current.start, focus: current.end };
    const next = moveCaret(props.answer, stops, caret.current, key, event.shiftKey);
    caret.current = next;
    selectOffsets(container, next);
    if (container.ownerDocument.activeElement !== container) container.focus();
    const range = selectionRange(next);
    setAnnounce(range ? t('keyboardSelected', props.answer.slice(range.start, range.end)) : '');
  };

  return (
    <>
      <div
        id={props.id}
        ref={props.containerRef}
        class="answer"
        dir="auto"
        lang={props.lang}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the answer takes focus so a keyboard user can select words in it (arrow keys + Shift), see onKeyDown
        tabIndex={0}
        role="region"
        aria-label={t('answerRegionLabel')}
        aria-describedby={props.describedBy}
        onKeyDown={onKeyDown}
      >
        {segments.map((segment) => {
          const run = segment.highlight;
          if (!run) return segment.text;
          if (run.pending) {
            return (
              <mark key={`pending-${segment.start}`} class="mark mark-pending">
                {segment.text}
              </mark>
            );
          }
          if (run.suggested) {
            return (
              <span key={`suggested-${segment.start}`} class="suggested">
                {segment.text}
              </span>
            );
          }
          const h = run.highlight!;
          return (
            <mark
              key={h.id}
              class={`mark sev-${h.severity}${props.invalidIds?.has(h.id) ? ' mark-invalid' : ''}`}
              data-mark-id={h.id}
              tabIndex={0}
              // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a mark stays inline in the answer's text flow (a <button> there breaks selection and wrapping); it is a focusable role=button with Enter/Space
              role="button"
              aria-label={t('markButtonLabel', [h.exact, categoryLabel(h.category), severityLabel(h.severity)])}
              title={`${h.suggestion ? `→ ${h.suggestion}` : categoryLabel(h.category)} · ${severityLabel(h.severity)}`}
              onClick={(e) => open(e, h)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.stopPropagation();
                  open(e, h);
                }
              }}
            >
              {segment.text}
            </mark>
          );
        })}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </>
  );
}
