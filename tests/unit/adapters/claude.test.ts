import { describe, expect, it } from 'vitest';
import { claude } from '../../../lib/adapters/claude';
import { CODE_BLOCK_HEADER, readText } from '../../../lib/adapters/dom';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture } from '../../helpers/adapter-captures';

describeEveryCapture(claude, {
  // Counted by hand: one [data-is-streaming] assistant turn in each conversation capture.
  // claude-codeblock-dom is a fragment holding one code block and no message at all.
  answers: {
    'nuncaeslupus__artifact-panel.html': 1,
    'nuncaeslupus__real-capture.html': 1,
    'revivalstack__claude-codeblock-dom.html': 0,
    'revivalstack__claude-codeblock-larger-dom.html': 1,
    'revivalstack__claude-single-user-response-with-artifact-dom.html': 1,
  },
  userTurn: '[data-testid="user-message"]',
  chrome: [/Claude responded/i, /Copy to clipboard/, /^bash$/m, /^Retry$/m, /Download/],
  // These two captures were cut down to the answer: the user's turn is not in them.
  withoutPrompt: ['revivalstack__claude-codeblock-larger-dom.html', 'revivalstack__claude-single-user-response-with-artifact-dom.html'],
});

describeCaptures('Claude adapter, older layout ([data-is-streaming])', () => {
  it('reads the answer but not the artifact cards or the artifact side panel', () => {
    const doc = parsePage(readCapture('claude', 'nuncaeslupus__artifact-panel.html'));
    const [answer] = claude.findAnswers(doc);
    expect(claude.readAnswer(answer!)).toBe(
      "Both pieces are below. This is invented placeholder prose standing in for the assistant's summary paragraph.\n" +
        'The helper is the interactive one; the explainer is the written version.',
    );
    expect(claude.readPrompt(answer!)).toMatch(/^Draft me a tide table helper: one small interactive piece/);
    expect(claude.modelLabel(doc, answer)).toBe('Opus 4.8');
    // The only "Message actions" toolbar in this capture belongs to the user's turn.
    expect(claude.actionBar(answer!)).toBeUndefined();
  });

  it('leaves out the web-search widget and artifact cards between the prose blocks', () => {
    const doc = parsePage(readCapture('claude', 'nuncaeslupus__real-capture.html'));
    const text = claude.readAnswer(claude.findAnswers(doc)[0]!);
    expect(text).toContain('Running a placeholder web search now:\nA third invented paragraph following the search widget.');
    for (const chrome of ['placeholder fixture search query', '10 resultados', 'Placeholder SVG Artifact', 'Artefacto interactivo', 'example.com']) {
      expect(text).not.toContain(chrome);
    }
    expect(claude.modelLabel(doc)).toBe('Sonnet 4.5');
  });

  it('keeps code lines, drops the code header and the warning under the answer, finds the action bar', () => {
    const doc = parsePage(readCapture('claude', 'revivalstack__claude-codeblock-larger-dom.html'));
    const [answer] = claude.findAnswers(doc);
    const text = claude.readAnswer(answer!);
    expect(text).toContain('Software Stack:\n# Simple setup with Ollama\nollama pull deepseek-coder:7b\nollama serve');
    expect(text).toContain('CPU: Modern 8-core+ (AMD Ryzen 5/7, Intel i7/i9)');
    expect(text).not.toContain('Claude does not have the ability to run the code');
    expect(claude.actionBar(answer!)?.querySelector('[data-testid="action-bar-copy"]')).not.toBeNull();
  });

  it('drops the artifact card of an answer that made a document', () => {
    const doc = parsePage(readCapture('claude', 'revivalstack__claude-single-user-response-with-artifact-dom.html'));
    const text = claude.readAnswer(claude.findAnswers(doc)[0]!);
    expect(text).toContain('Coder Series - Specialized for programming tasks');
    expect(text).not.toContain('DeepSeek Model Variants Comparison Table');
    expect(text).not.toMatch(/^Document$/m);
  });

  it('drops the language label of a bare code block (fragment capture)', () => {
    const doc = parsePage(readCapture('claude', 'revivalstack__claude-codeblock-dom.html'));
    expect(readText(doc.body, [CODE_BLOCK_HEADER])).toMatch(/^# Simple setup with Ollama\nollama pull deepseek-coder:7b/);
  });

  it('treats data-is-streaming="true" as still streaming', () => {
    const doc = parsePage(readCapture('claude', 'nuncaeslupus__real-capture.html'));
    const [answer] = claude.findAnswers(doc);
    answer!.setAttribute('data-is-streaming', 'true');
    expect(claude.isFinished(answer!)).toBe(false);
  });
});

describe('Claude adapter on the 2026-10 layout (transcript rows)', () => {
  const load = () => parsePage(readOwnFixture('claude-2026-10.html'));

  it('finds both answers, not the sidebar or user rows, and reads them without thinking, cards or headings', () => {
    const doc = load();
    const answers = claude.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(answers.every((a) => a.matches('[data-testid="assistant-message"]'))).toBe(true);
    expect(claude.readAnswer(answers[0]!)).toBe(
      'In Portugal the word is autocarro; in Brazil people say ônibus.\nautocarro (pt-PT)\nônibus (pt-BR)\napanhar o autocarro\nThe table above lists both.',
    );
    expect(claude.readPrompt(answers[0]!)).toBe('How do people in Lisbon say "bus"?');
    expect(claude.readPrompt(answers[1]!)).toBe('And a train?');
    expect(claude.modelLabel(doc, answers[0])).toBe('Opus 4.8');
  });

  it("puts the button among the site's buttons in the toolbar after a settled answer", () => {
    const doc = load();
    const [first, second] = claude.findAnswers(doc);
    expect(claude.actionBar(first!)?.getAttribute('aria-label')).toBe('Message actions');
    expect(claude.actionBar(second!)).toBeUndefined();
  });

  it('waits for data-is-streaming="false", or without the flag for the stop button to go', () => {
    const doc = load();
    const [first, second] = claude.findAnswers(doc);
    expect(claude.isFinished(first!)).toBe(true);
    expect(claude.isFinished(second!)).toBe(false);
    second!.setAttribute('data-is-streaming', 'false');
    expect(claude.isFinished(second!)).toBe(true);
    // Without the flag, the composer's stop button marks the newest answer as streaming.
    for (const a of [first!, second!]) a.removeAttribute('data-is-streaming');
    expect(claude.isFinished(first!)).toBe(true);
    expect(claude.isFinished(second!)).toBe(false);
    doc.querySelector('button[aria-label="Stop response"]')!.remove();
    expect(claude.isFinished(second!)).toBe(true);
  });
});

describe('Claude share pages (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('claude-share.html'));

  it('finds the shared answers without the streaming flag, and reads them without the heading', () => {
    const doc = load();
    const answers = claude.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(claude.readAnswer(answers[0]!)).toBe('In Ireland it is tyre, as in British English.\ntyre (IE, UK)\ntire (US)');
    expect(claude.readPrompt(answers[0]!)).toBe('Is it "tyre" or "tire" in Ireland?');
    expect(claude.readAnswer(answers[1]!)).toBe('Kerb, for the edge of the footpath.');
    expect(claude.readPrompt(answers[1]!)).toBe('And "kerb"?');
  });

  it('counts them finished without a composer; with no toolbar the button goes after them', () => {
    const doc = load();
    expect(claude.isGenerating!(doc)).toBe(false);
    for (const answer of claude.findAnswers(doc)) {
      expect(claude.isFinished(answer)).toBe(true);
      expect(claude.actionBar(answer)).toBeUndefined();
    }
  });

  it('takes the share id as the conversation id', () => {
    expect(claude.conversationId(new URL('https://claude.ai/share/3f2a9c1e-7d4b-4e8a-9b1c-0d2e3f4a5b6c'))).toBe('3f2a9c1e-7d4b-4e8a-9b1c-0d2e3f4a5b6c');
    expect(adapterFor('https://claude.ai/share/3f2a9c1e')?.site).toBe('claude');
  });
});

describe('Claude conversation ids and hosts', () => {
  it('reads /chat/<uuid> only', () => {
    expect(claude.conversationId(new URL('https://claude.ai/chat/0b9d3a58-1111-4c22-9333-444455556666'))).toBe('0b9d3a58-1111-4c22-9333-444455556666');
    expect(claude.conversationId(new URL('https://claude.ai/new'))).toBeUndefined();
    expect(claude.conversationId(new URL('https://claude.ai/project/abc'))).toBeUndefined();
  });

  it('is chosen for claude.ai only', () => {
    expect(adapterFor('https://claude.ai/chat/1')?.site).toBe('claude');
    expect(adapterFor('https://claude.ai.evil.example/chat/1')).toBeUndefined();
  });
});
