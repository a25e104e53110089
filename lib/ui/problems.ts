// The background answers a failed save with readable problems, one per line, each led by
// the field's path (`highlights[2].suggestion: a suggestion is required`, see
// describeIssues in lib/report.ts). The editor shows each one next to its field.

export type EditorField = 'expected_locale' | 'model' | 'prompt' | 'comment' | 'highlights' | 'other';

export interface PlacedProblem {
  field: EditorField;
  /** For problems with one mark: its index in report.highlights. */
  markIndex?: number;
  /** The message without its path. */
  message: string;
  /** The whole line as the background wrote it. */
  text: string;
}

const PATH = /^([A-Za-z_]+)((?:\[\d+\]|\.[A-Za-z_]+)*): (.*)$/s;

export function placeProblem(text: string): PlacedProblem {
  const match = PATH.exec(text);
  if (!match) return { field: 'other', message: text, text };
  const [, head, rest, message] = match as unknown as [string, string, string, string];
  switch (head) {
    case 'expected_locale':
      return { field: 'expected_locale', message, text };
    case 'model':
      return { field: 'model', message, text };
    case 'prompt':
    case 'include_prompt':
      return { field: 'prompt', message, text };
    case 'comment':
      return { field: 'comment', message, text };
    case 'highlights': {
      const index = /^\[(\d+)\]/.exec(rest);
      return index ? { field: 'highlights', markIndex: Number(index[1]), message, text } : { field: 'highlights', message, text };
    }
    default:
      return { field: 'other', message, text };
  }
}

export function placeProblems(problems: readonly string[]): PlacedProblem[] {
  return problems.map(placeProblem);
}
