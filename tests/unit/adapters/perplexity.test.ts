import { describe, expect, it } from 'vitest';
import { perplexity } from '../../../lib/adapters/perplexity';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture, occurrences } from '../../helpers/adapter-captures';

describeEveryCapture(perplexity, {
  // Counted by hand: the capture is one query and its one answer (#markdown-content-0).
  answers: { 'Covai-Labs__perplexity-chat.html': 1 },
  userTurn: '[class*="group/query"]',
  chrome: [/^elixir$/m, /Copy code/, /Prepared using/, /Show more/, /Helpful/],
});

describeCaptures('Perplexity adapter, older layout (markdown-content)', () => {
  const load = () => {
    const doc = parsePage(readCapture('perplexity', 'Covai-Labs__perplexity-chat.html'));
    return { doc, answer: perplexity.findAnswers(doc)[0] };
  };

  it('reads code, tables and TeX once, without the code header', () => {
    const { answer } = load();
    const text = perplexity.readAnswer(answer!);
    expect(text).toContain('defmodule Hello do\n  def world do\n    IO.puts("Hello, World!")');
    expect(text).toContain('Country\tMedian Wage (USD/mo)\tAvg Work Hrs/Week\tPaid Leave Days\tUnion Membership\nDenmark\t~3,800\t37\t25+\t~67%');
    expect(occurrences(text, 'e^{i\\pi} + 1 = 0')).toBe(1);
    expect(text).not.toContain('eiπ'); // the KaTeX HTML rendering of the same formula
  });

  it('finds the query, the action row and the model named under the answer', () => {
    const { doc, answer } = load();
    expect(perplexity.readPrompt(answer!)).toMatch(/^Please write a short response that includes: 1\. A paragraph containing \*\*bold text\*\*/);
    expect(perplexity.actionBar(answer!)?.querySelector('button[aria-label="Copy"]')).not.toBeNull();
    expect(perplexity.modelLabel(doc, answer)).toBe('Claude Sonnet 4.6 Thinking');
  });

  it('treats the answer as streaming until its action row appears', () => {
    const copy = parsePage(readCapture('perplexity', 'Covai-Labs__perplexity-chat.html'));
    const [same] = perplexity.findAnswers(copy);
    copy.querySelector('button[aria-label="Helpful"]')!.closest('.flex.items-center.justify-between')!.remove();
    expect(perplexity.isFinished(same!)).toBe(false);
  });
});

describe('Perplexity adapter on the 2026-08 layout (bare .prose answers)', () => {
  const load = () => parsePage(readOwnFixture('perplexity-2026-08.html'));

  it('finds both answers but not the .prose block in the library sidebar', () => {
    const doc = load();
    const answers = perplexity.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(perplexity.readAnswer(answers[0]!)).toBe(
      'Australians write colour, following British spelling.\nThe same goes for neighbour and favour.\ncolour, neighbour, favour\nUS\tAustralia\ncolor\tcolour',
    );
    expect(perplexity.readPrompt(answers[0]!)).toBe('Which spelling do Australians use, color or colour?');
    expect(perplexity.readPrompt(answers[1]!)).toBe('And "organise"?');
    expect(perplexity.modelLabel(doc, answers[0])).toBe('GPT-5.2');
  });

  it('drops citation pills', () => {
    const text = perplexity.readAnswer(perplexity.findAnswers(load())[0]!);
    expect(text).not.toContain('macquarie');
    expect(text).not.toContain('stylemanual+1');
  });

  it('treats the streaming answer as finished once the action row is appended', () => {
    const doc = load();
    const [first, second] = perplexity.findAnswers(doc);
    expect(perplexity.isFinished(first!)).toBe(true);
    expect(perplexity.isFinished(second!)).toBe(false);
    const template = doc.getElementById('finish-streaming') as HTMLTemplateElement;
    doc.querySelector('[data-fixture="streaming-turn"]')!.append(template.content.cloneNode(true));
    expect(perplexity.isFinished(second!)).toBe(true);
    expect(perplexity.actionBar(second!)?.querySelector('button[aria-label="Copy"]')).not.toBeNull();
  });

  it('recognises the action row by its shape when its labels are not English', () => {
    const doc = load();
    const [first] = perplexity.findAnswers(doc);
    for (const button of doc.querySelectorAll('button[aria-label]')) button.setAttribute('aria-label', 'Copiar');
    expect(perplexity.isFinished(first!)).toBe(true);
  });
});

describe('Perplexity Deep Research (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('perplexity-deep-research.html'));

  it('finds the research report after the summary as an answer of its own, with its own text', () => {
    const doc = load();
    const answers = perplexity.findAnswers(doc);
    expect(answers).toHaveLength(3);
    const [summary, report] = answers;
    expect(summary!.id).toBe('markdown-content-0');
    expect(perplexity.readAnswer(summary!)).toBe('Spain and most of Latin America write the day first; Mexico and Spain use a decimal comma.');
    expect(perplexity.readAnswer(report!)).toBe(
      'Date and number formats in the Spanish-speaking world\nAll Spanish-speaking countries put the day before the month: 5/3/2026 is 5 March.\nDecimal separators\n' +
        'Spain, Argentina, Colombia: 3,5 (decimal comma)\nMexico, Guatemala, Puerto Rico: 3.5 (decimal point)\nCountry\tDecimal\nSpain\t3,5\nMexico\t3.5',
    );
    expect(perplexity.readPrompt(report!)).toBe('How do date and number formats differ across Spanish-speaking countries?');
  });

  it('counts the report finished by the turn’s row before it; its button goes after it, the summary’s in the row', () => {
    const doc = load();
    const [summary, report, streaming] = perplexity.findAnswers(doc);
    expect(perplexity.isFinished(summary!)).toBe(true);
    expect(perplexity.actionBar(summary!)?.querySelector('button[aria-label="Copy"]')).not.toBeNull();
    expect(perplexity.isFinished(report!)).toBe(true);
    expect(perplexity.actionBar(report!)).toBeUndefined();
    expect(perplexity.isFinished(streaming!)).toBe(false);
  });

  it('does not count the report finished while its turn has no row yet', () => {
    const doc = load();
    doc.querySelector('[data-fixture="research-turn"] button[aria-label="Helpful"]')!.closest('.justify-between')!.remove();
    const [summary, report] = perplexity.findAnswers(doc);
    expect(perplexity.isFinished(summary!)).toBe(false);
    expect(perplexity.isFinished(report!)).toBe(false);
  });

  it('sees a running answer by the stop button, and settles the streaming turn once its row comes', () => {
    const doc = load();
    expect(perplexity.isGenerating!(doc)).toBe(true);
    const template = doc.getElementById('finish-streaming') as HTMLTemplateElement;
    doc.querySelector('[data-fixture="streaming-turn"] .gap-y-sm')!.append(template.content.cloneNode(true));
    doc.querySelector('[data-testid="stop-generating-response-button"]')!.remove();
    expect(perplexity.isGenerating!(doc)).toBe(false);
    expect(perplexity.isFinished(perplexity.findAnswers(doc)[2]!)).toBe(true);
  });
});

describe('Perplexity conversation ids and hosts', () => {
  it('reads /search/<slug>', () => {
    expect(perplexity.conversationId(new URL('https://www.perplexity.ai/search/which-spelling-abc123'))).toBe('which-spelling-abc123');
    expect(perplexity.conversationId(new URL('https://www.perplexity.ai/'))).toBeUndefined();
  });

  it('is chosen for www.perplexity.ai and perplexity.ai', () => {
    expect(adapterFor('https://www.perplexity.ai/search/x')?.site).toBe('perplexity');
    expect(adapterFor('https://perplexity.ai/search/x')?.site).toBe('perplexity');
  });
});
