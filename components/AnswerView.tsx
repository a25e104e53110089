// The answer as plain text with marks over it. Only text nodes and <mark> elements are
// rendered (never HTML from the page), so the DOM text equals `answer` character for
// character and a selection maps straight back to UTF-16 offsets.
import type { Ref } from 'preact';
import type { TextRange } from '@/lib/anchoring';
import type { Highlight } from '@/lib/report';
import { segmentAnswer } from '@/lib/ui/marks';
import { t } from '@/lib/ui/i18n';
import { categoryLabel } from './MarkForm';

type Run = TextRange & { highlight?: Highlight; pending?: boolean };

export function AnswerView(props: {
  id: string;
  answer: string;
  highlights: readonly Highlight[];
  /** The phrase being marked right now (the browser's selection is gone once the form has focus). */
  pending?: TextRange;
  /** Marks the last save found wrong. */
  invalidIds?: ReadonlySet<string>;
  lang?: string;
  containerRef: Ref<HTMLDivElement>;
  onOpenMark: (highlight: Highlight) => void;
  describedBy?: string;
}) {
  const runs: Run[] = props.highlights.map((h) => ({ start: h.start, end: h.end, highlight: h }));
  if (props.pending) runs.push({ ...props.pending, pending: true });
  const segments = segmentAnswer(props.answer, runs);

  const open = (event: Event, highlight: Highlight) => {
    // A drag that starts on a mark is a selection, not a click.
    const selection = (event.currentTarget as Node).ownerDocument?.getSelection();
    if (event.type === 'click' && selection && !selection.isCollapsed) return;
    event.preventDefault();
    props.onOpenMark(highlight);
  };

  return (
    <div
      id={props.id}
      ref={props.containerRef}
      class="answer"
      dir="auto"
      lang={props.lang}
      tabIndex={0}
      role="region"
      aria-label={t('answerRegionLabel')}
      aria-describedby={props.describedBy}
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
        const h = run.highlight!;
        return (
          <mark
            key={h.id}
            class={`mark sev-${h.severity}${props.invalidIds?.has(h.id) ? ' mark-invalid' : ''}`}
            data-mark-id={h.id}
            tabIndex={0}
            role="button"
            aria-label={t('markButtonLabel', [h.exact, categoryLabel(h.category)])}
            title={h.suggestion ? `→ ${h.suggestion}` : categoryLabel(h.category)}
            onClick={(e) => open(e, h)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') open(e, h);
            }}
          >
            {segment.text}
          </mark>
        );
      })}
    </div>
  );
}
