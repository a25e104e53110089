// The labelled multilingual corpus (tests/fixtures/redaction/corpus.jsonl): private strings
// a community would not want published, and innocent look-alikes that must stay readable.
// Issue 11's bar: recall ≥ 95 %, false positives ≤ 2 %. The figures are printed on every run.
import { describe, expect, it } from 'vitest';
import { findRedactions } from '../../lib/redact';
import { loadCorpus, percent, score } from '../fixtures/redaction/evaluate';

const corpus = loadCorpus();
const result = score(corpus, (text, locale) => findRedactions(text, { locale }));

describe('the redaction corpus', () => {
  it('is big and varied enough to mean something', () => {
    expect(result.spans).toBeGreaterThanOrEqual(150);
    expect(result.locales).toBeGreaterThanOrEqual(10);
    expect(result.innocent).toBeGreaterThanOrEqual(100);
    for (const c of corpus) for (const e of c.expected) expect(c.text, `${e.text} must be in its case`).toContain(e.text);
  });

  it('redacts at least 95 % of the private strings and flags at most 2 % of the look-alikes', () => {
    console.log(
      `redaction corpus: recall ${percent(result.recall)} (${result.found}/${result.spans} private strings, ${result.locales} locales); ` +
        `false positives ${percent(result.falsePositiveRate)} (${result.flagged.length}/${result.innocent} look-alikes); ` +
        `stray redactions in private cases: ${result.spurious.length}; wrong kind: ${result.wrongKind.length}`,
    );
    for (const line of [...result.misses, ...result.flagged, ...result.spurious]) console.log(`  ${line}`);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
    expect(result.falsePositiveRate).toBeLessThanOrEqual(0.02);
    expect(result.spurious.length / corpus.filter((c) => c.sensitive).length).toBeLessThanOrEqual(0.02);
  });

  it('names what it redacts with the right kind almost always', () => {
    expect(result.wrongKind.length / result.found).toBeLessThanOrEqual(0.02);
  });
});
