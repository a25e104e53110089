import { describe, expect, it } from 'vitest';
import { gemini } from '../../../lib/adapters/gemini';
import { adapterFor } from '../../../lib/adapters';
import { describeCaptures, parsePage, readCapture, readOwnFixture } from '../../helpers/fixtures';
import { describeEveryCapture } from '../../helpers/adapter-captures';

describeEveryCapture(gemini, {
  // Counted by hand: one model-response per .conversation-container. The scroll-back capture
  // shows two container shells while older turns are still loading (no response in them
  // yet); the sidebar capture is the conversation list alone.
  answers: {
    'nuncaeslupus__deep-research-2026-07.html': 2,
    'nuncaeslupus__real-capture.html': 3,
    'nuncaeslupus__table-2026-07.html': 1,
    'revivalstack__gemini-dom.html': 3,
    'revivalstack__gemini-scrollback-loading-dom.html': 0,
    'revivalstack__gemini-sidebar.html': 0,
  },
  userTurn: 'user-query',
  chrome: [/Gemini said/, /You said/, /Show\s+thinking/i, /Copy code/, /^Python$/m, /Good response/],
});

describeCaptures('Gemini adapter', () => {
  it('reads math from data-math once, without the KaTeX glyphs', () => {
    const doc = parsePage(readCapture('gemini', 'nuncaeslupus__real-capture.html'));
    const text = gemini.readAnswer(gemini.findAnswers(doc)[1]!);
    expect(text).toContain('Kinetic Energy (KE): The energy an object possesses due to its motion');
    expect(text).toContain('mv^2');
    expect(text).not.toContain('mv2'); // the KaTeX HTML rendering of the same formula
    expect(gemini.readPrompt(gemini.findAnswers(doc)[1]!)).toBe('Why does 100 GSM paper fly further than printer paper?');
  });

  it('reads tables as tab-separated rows and drops the code header and the file chip', () => {
    const doc = parsePage(readCapture('gemini', 'nuncaeslupus__table-2026-07.html'));
    const [answer] = gemini.findAnswers(doc);
    const text = gemini.readAnswer(answer!);
    expect(text).toContain('Fund\tJurisdiction\tBase Rate\t5-Year Return\nAetherius Capital Alpha\tCayman Islands\t3.50%\t42.8%');
    expect(text).toContain('Your Markdown file is ready');
    expect(text).not.toMatch(/^MD$/m);
    expect(text).not.toMatch(/^Open$/m);
    expect(gemini.readPrompt(answer!)).toMatch(/^Make a markdown table comparing three fictional investment funds\./);
    expect(gemini.actionBar(answer!)?.classList.contains('buttons-container-v2')).toBe(true);
    expect(gemini.modelLabel(doc, answer)).toBe('Flash');
  });

  it('leaves out the Deep Research plan widget and the report chip', () => {
    const doc = parsePage(readCapture('gemini', 'nuncaeslupus__deep-research-2026-07.html'));
    const [plan, report] = gemini.findAnswers(doc);
    expect(gemini.readAnswer(plan!)).toBe("Here's a research plan for that topic. If you need to update it, let me know!");
    expect(gemini.readAnswer(report!)).toBe("I've completed your research. Feel free to ask me follow-up questions.");
  });

  it('finds the action bar of each answer', () => {
    const doc = parsePage(readCapture('gemini', 'revivalstack__gemini-dom.html'));
    const answers = gemini.findAnswers(doc);
    expect(answers.map((a) => Boolean(gemini.actionBar(a)?.querySelector('[data-test-id="copy-button"]')))).toEqual([true, true, true]);
    expect(gemini.readPrompt(answers[0]!)).toMatch(/^i'm inspecting the gemini chat page/);
  });

  it('treats an answer as streaming while busy, before its footer completes, or while the stop icon shows', () => {
    const doc = parsePage(readCapture('gemini', 'nuncaeslupus__real-capture.html'));
    const answers = gemini.findAnswers(doc);
    const last = answers[2]!;
    last.querySelector('.markdown')!.setAttribute('aria-busy', 'true');
    expect(gemini.isFinished(last)).toBe(false);
    last.querySelector('.markdown')!.setAttribute('aria-busy', 'false');
    last.querySelector('.response-footer')!.classList.remove('complete');
    expect(gemini.isFinished(last)).toBe(false);
    last.querySelector('.response-footer')!.classList.add('complete');
    expect(gemini.isFinished(last)).toBe(true);
    const stop = doc.createElement('mat-icon');
    stop.setAttribute('fonticon', 'stop');
    doc.body.append(stop);
    expect(gemini.isFinished(last)).toBe(false);
    expect(gemini.isFinished(answers[0]!)).toBe(true);
  });
});

describe('Gemini share pages (issue 7)', () => {
  const load = () => parsePage(readOwnFixture('gemini-share.html'));

  it('finds each shared answer in share-turn-viewer, not the prompts', () => {
    const doc = load();
    const answers = gemini.findAnswers(doc);
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.tagName).toBe('RESPONSE-CONTAINER');
    expect(gemini.readAnswer(answers[0]!)).toBe('New Zealand follows British spelling: colour, favour and centre.\ncolour (NZ, UK)\ncolor (US)');
    expect(gemini.readAnswer(answers[1]!)).toBe('Both appear: programme for a TV or events programme, program for software.\nprogramme, program');
    expect(gemini.readPrompt(answers[0]!)).toBe('Is it "colour" or "color" in New Zealand?');
    expect(gemini.readPrompt(answers[1]!)).toBe('And "program"?');
  });

  it('finds the prompt in user-query-content too', () => {
    const doc = load();
    for (const query of doc.querySelectorAll('user-query')) {
      const content = doc.createElement('user-query-content');
      content.append(...query.childNodes);
      query.replaceWith(content);
    }
    const answers = gemini.findAnswers(doc);
    expect(gemini.readPrompt(answers[1]!)).toBe('And "program"?');
  });

  it('counts a shared answer finished without a composer, and has no action bar for it', () => {
    const doc = load();
    expect(gemini.isGenerating!(doc)).toBe(false);
    for (const answer of gemini.findAnswers(doc)) {
      expect(gemini.isFinished(answer)).toBe(true);
      expect(gemini.actionBar(answer)).toBeUndefined();
    }
  });

  it('takes the share id as the conversation id', () => {
    expect(gemini.conversationId(new URL('https://gemini.google.com/share/6a2f0e91c3d4'))).toBe('6a2f0e91c3d4');
    expect(adapterFor('https://gemini.google.com/share/6a2f0e91c3d4')?.site).toBe('gemini');
  });
});

describe('Gemini conversation ids and hosts', () => {
  it('reads /app/<id> and /gem/<gem>/<id>, also behind /u/<n>', () => {
    expect(gemini.conversationId(new URL('https://gemini.google.com/app/f1x7u0e0000000b2'))).toBe('f1x7u0e0000000b2');
    expect(gemini.conversationId(new URL('https://gemini.google.com/gem/coding-partner/a1b2c3'))).toBe('a1b2c3');
    expect(gemini.conversationId(new URL('https://gemini.google.com/u/1/app/a1b2c3'))).toBe('a1b2c3');
    expect(gemini.conversationId(new URL('https://gemini.google.com/app'))).toBeUndefined();
  });

  it('is chosen for gemini.google.com only', () => {
    expect(adapterFor('https://gemini.google.com/app/1')?.site).toBe('gemini');
    expect(adapterFor('https://google.com/gemini')).toBeUndefined();
  });
});
