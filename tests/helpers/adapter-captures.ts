import { describe, expect, it } from 'vitest';
import type { SiteAdapter } from '../../lib/adapters/types';
import { HAS_SHARED_CAPTURES, describeCaptures, parsePage, readCapture, sharedCaptures } from './fixtures';

export interface CaptureExpectations {
  /** Assistant answers a reader sees in each capture, counted by hand (never with the adapter). */
  answers: Record<string, number>;
  /** The site's user turns: no answer may be one, sit in one or hold one. */
  userTurn: string;
  /** UI chrome that must never reach an answer's text. */
  chrome: RegExp[];
  /** Captures cut down to the answer alone, so there is no prompt to find. */
  withoutPrompt?: string[];
}

/** The checks every real capture of a site must pass; site specifics live in its own test. */
export function describeEveryCapture(adapter: SiteAdapter, expected: CaptureExpectations) {
  const dir = adapter.site;
  describeCaptures(`${adapter.site} adapter on every real capture`, () => {
    it('has a hand count for every capture in shared/fixtures', () => {
      expect(sharedCaptures(dir).sort()).toEqual(Object.keys(expected.answers).sort());
    });

    // Without ../shared the same tests are registered (skipped), so the skip count is true.
    const files = HAS_SHARED_CAPTURES ? sharedCaptures(dir) : Object.keys(expected.answers);
    for (const file of files) {
      describe(file, () => {
        let page: { doc: Document; answers: Element[] } | undefined;
        const load = () => {
          if (!page) {
            const doc = parsePage(readCapture(dir, file));
            page = { doc, answers: adapter.findAnswers(doc) };
          }
          return page;
        };

        it('finds every assistant answer and no user turn, and no answer running', () => {
          const { doc, answers } = load();
          expect(adapter.isGenerating?.(doc) ?? false).toBe(false);
          expect(answers).toHaveLength(expected.answers[file]!);
          for (const answer of answers) {
            expect(answer.closest(expected.userTurn)).toBeNull();
            expect(answer.querySelector(expected.userTurn)).toBeNull();
          }
        });

        it('reads each settled answer without UI chrome, and the prompt before it', () => {
          for (const answer of load().answers) {
            expect(adapter.isFinished(answer)).toBe(true);
            const text = adapter.readAnswer(answer);
            expect(text.length).toBeGreaterThan(10);
            for (const chrome of expected.chrome) expect(text).not.toMatch(chrome);
            const prompt = adapter.readPrompt(answer);
            if (expected.withoutPrompt?.includes(file)) expect(prompt).toBeUndefined();
            else expect(prompt?.length ?? 0).toBeGreaterThan(0);
          }
        });
      });
    }
  });
}

/** Occurrences of `part` in `text`: KaTeX must leave its TeX once, not twice. */
export function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}
