import { describe, expect, it } from 'vitest';
import { chatgpt } from '../../../lib/adapters/chatgpt';
import { readText } from '../../../lib/adapters/dom';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, itOnCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture } from '../../helpers/adapter-captures';

// Assistant answers a reader sees in each capture (counted by hand from the captures).
// A turn whose assistant messages sit around a "Thought for …" button is one answer; the
// Deep Research turn lives in a cross-origin iframe and has no text we can read.
const EXPECTED_ANSWERS: Record<string, number> = {
  'kepano__codeblocks--chatgpt-codemirror.html': 0,
  'kepano__extractor--chatgpt-citations.html': 1,
  'kepano__extractor--chatgpt-post-thought-content.html': 1,
  'nuncaeslupus__citations.html': 1,
  'nuncaeslupus__comprehensive.html': 1,
  'nuncaeslupus__deep-research-2026-07.html': 1,
  'nuncaeslupus__formatting-showcase-2026-07.html': 1,
  'nuncaeslupus__longcode-160-lines-2026-07.html': 1,
  'nuncaeslupus__real-capture.html': 13,
  'revivalstack__chatgpt-dom-1question-ans-pair--with-python-code-response.html': 1,
  'revivalstack__chatgpt-dom-1question-ans-pair.html': 1,
  'revivalstack__chatgpt-dom-2question-ans-pairs.html': 2,
  'revivalstack__chatgpt-dom-5question-ans-pairs.html': 5,
  'revivalstack__chatgpt-dom.html': 1,
};

const CHROME = [/ChatGPT said/i, /You said/i, /Copy code/i, /Copiar código/i, /\bRun\b$/m, /utm_source/];

describeEveryCapture(chatgpt, {
  answers: EXPECTED_ANSWERS,
  userTurn: '[data-message-author-role="user"]',
  chrome: CHROME,
});

describeCaptures('ChatGPT adapter on real captures', () => {
  it('keeps code lines and drops the code toolbar (CodeMirror block)', () => {
    const doc = parsePage(readCapture('chatgpt', 'kepano__codeblocks--chatgpt-codemirror.html'));
    const text = readText(doc.querySelector('main')!, ['pre .select-none', 'pre .sticky']);
    expect(text).toContain('def fibonacci_generator(n):\n    a, b = 0, 1\n    for _ in range(n):');
    expect(text).not.toMatch(/Python\s*\n?\s*Run/);
  });

  it('reads citation-heavy answers without the citation pills', () => {
    const doc = parsePage(readCapture('chatgpt', 'kepano__extractor--chatgpt-citations.html'));
    const text = chatgpt.readAnswer(chatgpt.findAnswers(doc)[0]!);
    expect(text).not.toContain('US EPA+1');
    expect(text).toContain('CADR');
  });

  it('joins the messages around a "Thought for" button into one answer, without the button', () => {
    const doc = parsePage(readCapture('chatgpt', 'kepano__extractor--chatgpt-post-thought-content.html'));
    const [answer] = chatgpt.findAnswers(doc);
    expect(chatgpt.readAnswer(answer!)).toBe(
      'Start with a simple checklist before choosing the location.\n\nPick a nearby park, check the weather, and choose food that travels well.\nBring water, napkins, a blanket, and a small bag for cleanup.',
    );
    expect(chatgpt.readPrompt(answer!)).toBe('Please help me plan a simple weekend picnic.');
  });

  it('reads list items on their own lines and finds the action bar and model slug', () => {
    const doc = parsePage(readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html'));
    const [first] = chatgpt.findAnswers(doc);
    const text = chatgpt.readAnswer(first!);
    expect(text).toContain('If you’re curious, I can also explain:\nhow it compares to GPT-4 / GPT-4o\n');
    expect(chatgpt.actionBar(first!)?.getAttribute('aria-label')).toBe('Response actions');
    expect(chatgpt.modelLabel(doc, first)).toBe('gpt-5-3');
    expect(chatgpt.readPrompt(first!)).toBe('what model/version of chatgpt are you?');
  });
});

describe('ChatGPT adapter on the 2026-09 layout', () => {
  const doc = parsePage(readOwnFixture('chatgpt-2026-09.html'));
  const answers = chatgpt.findAnswers(doc);

  it('finds the two answers, reads text without the heading, pills or code header', () => {
    expect(answers).toHaveLength(2);
    expect(chatgpt.readAnswer(answers[0]!)).toBe('In Taiwan people say 影片, not 視頻.\nSources:\n影片 yǐngpiàn');
    expect(chatgpt.readAnswer(answers[1]!)).toBe('軟體 (Taiwan)\n軟件 (mainland China)');
    expect(chatgpt.readPrompt(answers[1]!)).toBe('And software?');
  });

  it('treats an answer as finished only once its action bar follows it', () => {
    expect(answers.every((a) => chatgpt.isFinished(a))).toBe(true);
    const bar = chatgpt.actionBar(answers[1]!)!;
    expect(bar.querySelector('button[aria-haspopup="menu"]')).not.toBeNull();
    bar.remove();
    expect(chatgpt.isFinished(answers[1]!)).toBe(false);
  });

  it('reads the model from the composer button', () => {
    expect(chatgpt.modelLabel(doc, answers[0])).toBe('GPT-5.5');
  });
});

describe('ChatGPT share pages (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('chatgpt-share.html'));

  it('finds both shared answers and reads them without the heading or citation pills', () => {
    const doc = load();
    const answers = chatgpt.findAnswers(doc);
    expect(answers).toHaveLength(2);
    expect(chatgpt.readAnswer(answers[0]!)).toBe(
      'Yes: weather forecasts in Canada are in degrees Celsius.\nOven temperatures are often still in Fahrenheit.\nBody temperature: both are heard.',
    );
    expect(chatgpt.readPrompt(answers[0]!)).toBe('Do Canadians give temperatures in Celsius?');
    expect(chatgpt.readAnswer(answers[1]!)).toBe('Road signs use kilometres, and speed limits are in km/h.');
    expect(chatgpt.modelLabel(doc, answers[0])).toBe('gpt-5-5');
  });

  it('counts shared answers finished without a composer, and finds each one’s copy bar', () => {
    const doc = load();
    expect(chatgpt.isGenerating!(doc)).toBe(false);
    for (const answer of chatgpt.findAnswers(doc)) {
      expect(chatgpt.isFinished(answer)).toBe(true);
      expect(chatgpt.actionBar(answer)?.querySelector('[data-testid="copy-turn-action-button"]')).not.toBeNull();
    }
  });

  it('takes the share id as the conversation id', () => {
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/share/68a1c0de-0b5e-8001-9d1f-2c3b4a5d6e7f'))).toBe('68a1c0de-0b5e-8001-9d1f-2c3b4a5d6e7f');
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/share/e/68a1c0de-0b5e'))).toBe('68a1c0de-0b5e');
    expect(adapterFor('https://chatgpt.com/share/68a1c0de')?.site).toBe('chatgpt');
  });

  itOnCaptures('reads the captured share page too', () => {
    const doc = parsePage(readCapture('chatgpt', 'kepano__extractor--chatgpt-citations.html'));
    const [answer] = chatgpt.findAnswers(doc);
    expect(chatgpt.isFinished(answer!)).toBe(true);
    expect(chatgpt.readAnswer(answer!)).toMatch(/^For a bedroom air purifier, the most important thing/);
    expect(chatgpt.readAnswer(answer!)).not.toMatch(/US EPA|\+1|Sources/);
  });
});

describe('ChatGPT conversation ids and hosts', () => {
  it('reads /c/<id> and /g/<gizmo>/c/<id>, skipping local- ids', () => {
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/c/abc-123'))).toBe('abc-123');
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/g/g-xyz-helper/c/def-456'))).toBe('def-456');
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/c/local-9f'))).toBeUndefined();
    expect(chatgpt.conversationId(new URL('https://chatgpt.com/'))).toBeUndefined();
  });

  it('is chosen for chatgpt.com and chat.openai.com only', () => {
    expect(adapterFor('https://chatgpt.com/c/1')?.site).toBe('chatgpt');
    expect(adapterFor('https://chat.openai.com/')?.site).toBe('chatgpt');
    expect(adapterFor('https://chatgpt.com.evil.example/')).toBeUndefined();
  });

  itOnCaptures('marks an answer with .result-streaming or a live stop button as unfinished', () => {
    const doc = parsePage(readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html'));
    const answers = chatgpt.findAnswers(doc);
    const stop = doc.createElement('button');
    stop.setAttribute('data-testid', 'stop-button');
    doc.body.append(stop);
    expect(chatgpt.isFinished(answers[1]!)).toBe(false);
    expect(chatgpt.isFinished(answers[0]!)).toBe(true);
    stop.remove();
    answers[0]!.querySelector('.markdown')!.classList.add('result-streaming');
    expect(chatgpt.isFinished(answers[0]!)).toBe(false);
  });
});
