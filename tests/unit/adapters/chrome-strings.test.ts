import { describe, expect, it } from 'vitest';
import { SITE_ADAPTERS } from '../../../lib/adapters';
import type { SiteAdapter } from '../../../lib/adapters/types';
import { HAS_SHARED_CAPTURES, describeCaptures, ownFixtures, parsePage, readCapture, readOwnFixture, sharedCaptures } from '../../helpers/fixtures';

// UI labels the chatbot sites draw around and inside answers, in the UI languages our users
// read them in: screen-reader headings, code-block and answer toolbars, thinking toggles,
// source chips. None may reach a stored answer. Phrases match anywhere; single words only
// as a line of their own, since "copy" or "sources" are ordinary words in an answer.
const CHROME_PHRASES = [
  // Screen-reader headings before each turn.
  'ChatGPT said:',
  'ChatGPT dijo:',
  'ChatGPT a dit :',
  'ChatGPT sagte:',
  'ChatGPT 說：',
  'ChatGPT 说：',
  'You said:',
  'Dijiste:',
  'Vous avez dit :',
  'Du hast gesagt:',
  '你說：',
  'Claude responded:',
  'Claude respondió:',
  'Claude a répondu :',
  'Gemini said',
  'Gemini dijo',
  'Gemini a dit',
  'Gemini hat gesagt',
  'Copilot said',
  'Copilot dijo',
  'Copilot a dit',
  // Code-block toolbars.
  'Copy code',
  'Copiar código',
  'Code kopieren',
  'Copier le code',
  'Copia codice',
  'Kopiuj kod',
  'コードをコピー',
  '复制代码',
  '複製程式碼',
  '코드 복사',
  'Копировать код',
  // Answer toolbars and feedback.
  'Copy to clipboard',
  'Copy response',
  'Copy message',
  'Good response',
  'Bad response',
  'Read aloud',
  'Share message and prompt',
  'Not helpful',
  'Rewrite Thread',
  'Edit in a page',
  'Copy table',
  // Thinking toggles and their timers.
  'Show thinking',
  'Mostrar razonamiento',
  'Gedankengang anzeigen',
  'Afficher le raisonnement',
  '已深度思考',
  '深度思考中',
  'Prepared using',
];
const CHROME_PATTERNS = [
  /\b(?:Thought|Worked|Reasoned) for \d+(?:\.\d+)?\s*(?:s|sec|seconds|m|min)\b/,
  /^(?:Copy|Copied!|Copiar|Kopieren|Copier|复制|複製|コピー|Retry|Regenerate|Edit|Share|Sources|Fuentes|Quellen|Helpful|Show more|Today)$/m,
];

function expectNoChrome(adapter: SiteAdapter, doc: Document) {
  for (const answer of adapter.findAnswers(doc)) {
    const text = adapter.readAnswer(answer);
    for (const phrase of CHROME_PHRASES) expect(text, `"${phrase}" in an answer`).not.toContain(phrase);
    for (const pattern of CHROME_PATTERNS) expect(text).not.toMatch(pattern);
    expect(text, 'a zero-width character at a chip edge').not.toMatch(/(?:^|\s)[\u200b\u2060\ufeff]|[\u200b\u2060\ufeff](?:\s|$)/);
  }
}

describeCaptures('No UI label reaches a stored answer, on every real capture', () => {
  for (const adapter of SITE_ADAPTERS) {
    // Without ../shared nothing is listed, and the count of skipped tests comes from the
    // per-site capture tests instead.
    for (const file of HAS_SHARED_CAPTURES ? sharedCaptures(adapter.site) : []) {
      it(`${adapter.site}: ${file}`, () => expectNoChrome(adapter, parsePage(readCapture(adapter.site, file))));
    }
  }
});

describe('No UI label reaches a stored answer, on every written page', () => {
  for (const adapter of SITE_ADAPTERS) {
    for (const file of ownFixtures().filter((f) => f.startsWith(adapter.site))) {
      it(`${adapter.site}: ${file}`, () => expectNoChrome(adapter, parsePage(readOwnFixture(file))));
    }
  }

  it('would catch a label that leaked (the check itself can fail)', () => {
    const doc = parsePage('<div data-testid="ai-message"><p>Colour.</p><div><button>x</button><span>Copy code</span></div></div>');
    const copilot = SITE_ADAPTERS.find((a) => a.site === 'copilot')!;
    expect(() => expectNoChrome(copilot, doc)).toThrow(/Copy code/);
  });
});
