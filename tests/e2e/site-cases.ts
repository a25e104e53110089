// Every chatbot layout the extension supports, as a table the end-to-end tests walk
// (sites.test.ts in Chromium, firefox-sites.test.ts in Firefox ESR). Each case serves its
// pages at the site's real https URL and says, by hand and from the captures, what a
// reader sees: how many answers, where the user's turns are, how the site shows an answer
// still streaming and how it lets it settle.
//
// Functions marked "in the page" are sent to the browser as source (page.evaluate): they
// use only their arguments, the DOM and the helpers `installPageHelpers` puts on `window.e2e`.
import { HAS_SHARED_CAPTURES, readCapture, readOwnFixture } from '../helpers/fixtures';

export interface SitePage {
  /** A real capture in shared/fixtures/chatbots/<site>/, or a page of ours in tests/fixtures/chatbots/. */
  capture?: string;
  own?: string;
  /** Finished answers a reader sees (the unit tests' hand counts). */
  answers: number;
  /** Answers still streaming when the page loads (the written pages have one). */
  streaming?: number;
}

export interface SiteCase {
  /** Screenshot and test name: the site, plus the layout where a site has two. */
  name: string;
  site: string;
  /** A conversation URL the adapter's conversationId understands. */
  url(id: string): string;
  /** Every page of this layout; the first is the one the behaviour tests use. */
  pages: SitePage[];
  /** An answer, as the test sees it (outermost matches). */
  answer: string;
  /** A user's turn, with the site's own buttons for it: no button of ours may be in or after one. */
  user: string;
  /** What a virtualised list unmounts and remounts (turns or messages). */
  turn: string;
  /** The site's action bar, where an answer counts as finished without it (removed to test placement after the answer). */
  bar?: string;
  /** A rule from the site's own stylesheet the capture lacks, where our test needs it (captures load no CSS). */
  css?: string;
  /** The answer the click test reports (index among finished ones) and what its stored text must be. */
  click: { index: number; equals?: string; contains?: string[]; chrome: RegExp[] };
  streaming: {
    /** In the page: make an answer stream (the site's own signal); returns the element tokens are appended to. */
    start: () => Element;
    /** In the page: the site's signal that the streaming answer has settled. */
    settle: () => void;
  };
  /** In-app navigation: the other conversation's page and its finished answers. */
  navigate: { capture?: string; own?: string; double?: boolean; settle?: boolean; answers: number };
}

export function pageHtml(site: string, page: { capture?: string; own?: string }): string {
  if (page.capture) return readCapture(site, page.capture);
  if (page.own) return readOwnFixture(page.own);
  throw new Error('a page needs a capture or an own fixture');
}

export const pageLabel = (page: { capture?: string; own?: string }) => page.capture ?? page.own!;

/** A case's pages that can run here: pages from ../shared need the real captures. */
export const availablePages = (c: SiteCase) => c.pages.filter((p) => !p.capture || HAS_SHARED_CAPTURES);

/** Whether the case's behaviour tests can run here (its first page and its navigation target). */
export const caseAvailable = (c: SiteCase) => HAS_SHARED_CAPTURES || (!c.pages[0]!.capture && !c.navigate.capture);

// Chrome strings the unit tests list per site (tests/unit/adapters/<site>.test.ts).
const CHROME = {
  chatgpt: [/ChatGPT said/i, /You said/i, /Copy code/i, /Copiar código/i, /\bRun\b$/m, /utm_source/],
  claude: [/Claude responded/i, /Copy to clipboard/, /^bash$/m, /^Retry$/m, /Download/],
  gemini: [/Gemini said/, /You said/, /Show\s+thinking/i, /Copy code/, /^Python$/m, /Good response/],
  copilot: [/Copilot said/, /You said/, /^Copy$/m, /^(bash|python|elixir|Code)$/m, /Suggest another/, /^Like$/m],
  perplexity: [/^elixir$/m, /Copy code/, /Prepared using/, /Show more/, /Helpful/],
  mistral: [/Worked for/, /Thought for/, /The user wants a short response/, /^elixir$/m, /^Copy$/m, /Copy table/, /1:04pm/],
  deepseek: [/Thought for/, /^elixir$/m, /^Copy$/m, /^Download$/m],
  meta: [/^Elixir$/im, /en\.wikipedia\.org/, /^Sources$/m, /Copy response/, /^Today$/m],
  grok: [/Thought for/, /^text$/m, /^Copy$/m, /^\d+(\.\d+)?s$/m, /Demonstrate with current crypto price/],
};

/** Our own button's words must never be read into an answer. */
export const OWN_CHROME = [/Doesn't sound local/, /Sounds Local/];

declare global {
  interface Window {
    e2e: PageHelpers;
  }
}

interface PageHelpers {
  /** A copy of the last `turn` (none of our buttons in it) inserted right after it: a new answer arriving. */
  appendCopy(turn: string): Element;
  /** Empty `body` and return a fresh paragraph in it for the tokens. */
  emptied(body: Element): Element;
  /** Take `el` out of the page until `restore` puts it back where it was. */
  hold(el: Element): void;
  restore(): void;
  /** A composer control (stop button, stop icon) appended to the page. */
  addControl(tag: string, attributes: Record<string, string>): void;
  /** A fresh copy of `el` with none of our buttons (what a framework re-render produces). */
  fresh<T extends Element>(el: T): T;
}

/** In the page, before any of its scripts: the helpers the cases' functions use. */
export function installPageHelpers() {
  const held: { el: Element; parent: Element; next: Node | null }[] = [];
  const fresh = <T extends Element>(el: T): T => {
    const copy = el.cloneNode(true) as T;
    copy.querySelectorAll('sounds-local-button').forEach((host) => host.remove());
    return copy;
  };
  window.e2e = {
    appendCopy(turn) {
      const all = document.querySelectorAll(turn);
      const last = all[all.length - 1]!;
      const copy = fresh(last);
      copy.setAttribute('data-e2e-copy', '');
      last.after(copy);
      return copy;
    },
    emptied(body) {
      const paragraph = document.createElement('p');
      body.replaceChildren(paragraph);
      return paragraph;
    },
    hold(el) {
      held.push({ el, parent: el.parentElement!, next: el.nextSibling });
      el.remove();
    },
    restore() {
      for (const { el, parent, next } of held.splice(0)) parent.insertBefore(el, next && next.parentNode === parent ? next : null);
    },
    addControl(tag, attributes) {
      const control = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) control.setAttribute(name, value);
      control.textContent = 'stop';
      document.body.append(control);
    },
    fresh,
  };
}

export const SITE_CASES: SiteCase[] = [
  {
    name: 'chatgpt',
    site: 'chatgpt',
    url: (id) => `https://chatgpt.com/c/${id}`,
    pages: [
      { capture: 'revivalstack__chatgpt-dom-5question-ans-pairs.html', answers: 5 },
      { capture: 'kepano__codeblocks--chatgpt-codemirror.html', answers: 0 },
      { capture: 'kepano__extractor--chatgpt-citations.html', answers: 1 },
      { capture: 'kepano__extractor--chatgpt-post-thought-content.html', answers: 1 },
      { capture: 'nuncaeslupus__citations.html', answers: 1 },
      { capture: 'nuncaeslupus__comprehensive.html', answers: 1 },
      { capture: 'nuncaeslupus__deep-research-2026-07.html', answers: 1 },
      { capture: 'nuncaeslupus__formatting-showcase-2026-07.html', answers: 1 },
      { capture: 'nuncaeslupus__longcode-160-lines-2026-07.html', answers: 1 },
      { capture: 'nuncaeslupus__real-capture.html', answers: 13 },
      { capture: 'revivalstack__chatgpt-dom-1question-ans-pair--with-python-code-response.html', answers: 1 },
      { capture: 'revivalstack__chatgpt-dom-1question-ans-pair.html', answers: 1 },
      { capture: 'revivalstack__chatgpt-dom-2question-ans-pairs.html', answers: 2 },
      { capture: 'revivalstack__chatgpt-dom.html', answers: 1 },
    ],
    answer: '[data-testid^="conversation-turn-"]:has([data-message-author-role="assistant"])',
    user: '[data-testid^="conversation-turn-"]:has([data-message-author-role="user"]), [data-message-author-role="user"]',
    turn: '[data-testid^="conversation-turn-"]',
    bar: '[role="group"][aria-label="Response actions"]',
    click: { index: 1, contains: ['Yes — I can search the web in real time when needed 👍\nHere’s how it works:'], chrome: CHROME.chatgpt },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-testid^="conversation-turn-"]');
        const body = copy.querySelector('.markdown')!;
        body.classList.add('result-streaming');
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(body);
      },
      settle() {
        document.querySelector('.result-streaming')!.classList.remove('result-streaming');
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { capture: 'revivalstack__chatgpt-dom-2question-ans-pairs.html', answers: 2 },
  },
  {
    name: 'chatgpt-2026-09',
    site: 'chatgpt',
    url: (id) => `https://chat.openai.com/c/${id}`,
    pages: [{ own: 'chatgpt-2026-09.html', answers: 2 }],
    answer: '[data-chatgpt-search-unit-key$=":assistant"]',
    user: '[data-chatgpt-search-unit-key$=":user"], .turn-action-controls:not(:has([aria-haspopup="menu"]))',
    turn: '[data-turn-key]',
    click: { index: 0, equals: 'In Taiwan people say 影片, not 視頻.\nSources:\n影片 yǐngpiàn', chrome: CHROME.chatgpt },
    streaming: {
      // The action bar only follows an answer once it has finished.
      start() {
        const copy = window.e2e.appendCopy('[data-turn-key]');
        copy.setAttribute('data-turn-key', 't-3');
        window.e2e.hold(copy.querySelector('.turn-action-controls')!);
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(copy.querySelector('[data-markdown-text-style="assistant-message"]')!);
      },
      settle() {
        window.e2e.restore();
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { double: true, answers: 4 },
  },
  {
    // Issue 7: a share page (read-only copy: no composer, no stop button; copy bar per turn).
    name: 'chatgpt-share',
    site: 'chatgpt',
    url: (id) => `https://chatgpt.com/share/${id}`,
    pages: [
      { own: 'chatgpt-share.html', answers: 2 },
      { capture: 'kepano__extractor--chatgpt-citations.html', answers: 1 },
    ],
    answer: '[data-testid^="conversation-turn-"]:has([data-message-author-role="assistant"])',
    user: '[data-testid^="conversation-turn-"]:has([data-message-author-role="user"]), [data-message-author-role="user"]',
    turn: '[data-testid^="conversation-turn-"]',
    bar: '[data-turn="assistant"] div:has(> [data-testid="copy-turn-action-button"])',
    click: {
      index: 0,
      equals: 'Yes: weather forecasts in Canada are in degrees Celsius.\nOven temperatures are often still in Fahrenheit.\nBody temperature: both are heard.',
      chrome: [...CHROME.chatgpt, /Canada\.ca/, /Sources/, /This is a copy/],
    },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-testid^="conversation-turn-"]');
        const body = copy.querySelector('.markdown')!;
        body.classList.add('result-streaming');
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(body);
      },
      settle() {
        document.querySelector('.result-streaming')!.classList.remove('result-streaming');
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { double: true, answers: 4 },
  },
  {
    name: 'claude',
    site: 'claude',
    url: (id) => `https://claude.ai/chat/${id}`,
    pages: [
      // No action bar for this answer: the button goes right after it.
      { capture: 'nuncaeslupus__real-capture.html', answers: 1 },
      { capture: 'nuncaeslupus__artifact-panel.html', answers: 1 },
      { capture: 'revivalstack__claude-codeblock-dom.html', answers: 0 },
      { capture: 'revivalstack__claude-codeblock-larger-dom.html', answers: 1 },
      { capture: 'revivalstack__claude-single-user-response-with-artifact-dom.html', answers: 1 },
    ],
    answer: '[data-is-streaming]',
    user: '[data-test-render-count]:has([data-testid="user-message"]), [data-testid="user-message"]',
    turn: '[data-test-render-count]',
    click: {
      index: 0,
      contains: [
        'Sure — this is invented placeholder text for the first assistant paragraph of the fixture.',
        'Running a placeholder web search now:\nA third invented paragraph following the search widget.',
      ],
      chrome: [...CHROME.claude, /placeholder fixture search query/, /Placeholder SVG Artifact/],
    },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-test-render-count]');
        copy.querySelector('[data-is-streaming]')!.setAttribute('data-is-streaming', 'true');
        window.e2e.addControl('button', { 'aria-label': 'Stop response' });
        return window.e2e.emptied(copy.querySelector('.font-claude-response')!);
      },
      settle() {
        document.querySelector('[data-e2e-copy] [data-is-streaming]')!.setAttribute('data-is-streaming', 'false');
        document.querySelector('button[aria-label="Stop response"]')!.remove();
      },
    },
    navigate: { capture: 'revivalstack__claude-codeblock-larger-dom.html', answers: 1 },
  },
  {
    name: 'claude-2026-10',
    site: 'claude',
    url: (id) => `https://claude.ai/chat/${id}`,
    pages: [{ own: 'claude-2026-10.html', answers: 1, streaming: 1 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-testid="transcript-row"][data-row-role="user"]',
    turn: '[data-testid="transcript-row"]',
    bar: '[data-message-action-bar]',
    click: {
      index: 0,
      equals:
        'In Portugal the word is autocarro; in Brazil people say ônibus.\nautocarro (pt-PT)\nônibus (pt-BR)\napanhar o autocarro\nThe table above lists both.',
      chrome: CHROME.claude,
    },
    streaming: {
      start: () => [...document.querySelectorAll('[data-is-streaming="true"] p')].pop()!,
      settle() {
        document.querySelector('[data-is-streaming="true"]')!.setAttribute('data-is-streaming', 'false');
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    // Issue 7: a share page (read-only, no streaming flag, no composer, no toolbar).
    name: 'claude-share',
    site: 'claude',
    url: (id) => `https://claude.ai/share/${id}`,
    pages: [{ own: 'claude-share.html', answers: 2 }],
    answer: '.font-claude-response',
    user: '[data-test-render-count]:has([data-testid="user-message"]), [data-testid="user-message"]',
    turn: '[data-test-render-count]',
    click: { index: 0, equals: 'In Ireland it is tyre, as in British English.\ntyre (IE, UK)\ntire (US)', chrome: [...CHROME.claude, /Shared by/] },
    streaming: {
      // Share pages don't stream; a copied turn flagged as streaming checks the flag still rules.
      start() {
        const copy = window.e2e.appendCopy('[data-test-render-count]');
        copy.querySelector('.group.relative')!.setAttribute('data-is-streaming', 'true');
        window.e2e.addControl('button', { 'aria-label': 'Stop response' });
        return window.e2e.emptied(copy.querySelector('.standard-markdown')!);
      },
      settle() {
        document.querySelector('[data-is-streaming="true"]')!.setAttribute('data-is-streaming', 'false');
        document.querySelector('button[aria-label="Stop response"]')!.remove();
      },
    },
    navigate: { double: true, answers: 4 },
  },
  {
    name: 'gemini',
    site: 'gemini',
    url: (id) => `https://gemini.google.com/app/${id}`,
    pages: [
      // No action bars in this capture: each button goes right after its model-response.
      { capture: 'nuncaeslupus__real-capture.html', answers: 3 },
      { capture: 'nuncaeslupus__deep-research-2026-07.html', answers: 2 },
      { capture: 'nuncaeslupus__table-2026-07.html', answers: 1 },
      { capture: 'revivalstack__gemini-dom.html', answers: 3 },
      { capture: 'revivalstack__gemini-scrollback-loading-dom.html', answers: 0 },
      { capture: 'revivalstack__gemini-sidebar.html', answers: 0 },
    ],
    answer: 'model-response',
    user: 'user-query',
    turn: '.conversation-container',
    click: { index: 1, contains: ['Kinetic Energy (KE): The energy an object possesses due to its motion', 'mv^2'], chrome: [...CHROME.gemini, /mv2/] },
    streaming: {
      // Gemini marks the answer busy, leaves its footer incomplete and turns send into stop.
      start() {
        const copy = window.e2e.appendCopy('.conversation-container');
        const markdown = copy.querySelector('message-content .markdown')!;
        markdown.setAttribute('aria-busy', 'true');
        copy.querySelector('.response-footer')?.classList.remove('complete');
        window.e2e.addControl('mat-icon', { fonticon: 'stop' });
        return window.e2e.emptied(markdown);
      },
      settle() {
        const copy = document.querySelector('[data-e2e-copy]')!;
        copy.querySelector('message-content .markdown')!.setAttribute('aria-busy', 'false');
        copy.querySelector('.response-footer')?.classList.add('complete');
        document.querySelector('mat-icon[fonticon="stop"]')!.remove();
      },
    },
    navigate: { capture: 'nuncaeslupus__table-2026-07.html', answers: 1 },
  },
  {
    // Issue 7: a share page (read-only, no model-response, no composer, no action bar).
    name: 'gemini-share',
    site: 'gemini',
    url: (id) => `https://gemini.google.com/share/${id}`,
    pages: [{ own: 'gemini-share.html', answers: 2 }],
    answer: 'share-turn-viewer response-container',
    user: 'user-query',
    turn: 'share-turn-viewer',
    click: {
      index: 0,
      equals: 'New Zealand follows British spelling: colour, favour and centre.\ncolour (NZ, UK)\ncolor (US)',
      chrome: CHROME.gemini,
    },
    streaming: {
      // Share pages don't stream; this checks the adapter still honours Gemini's busy signals there.
      start() {
        const copy = window.e2e.appendCopy('share-turn-viewer');
        const markdown = copy.querySelector('message-content .markdown')!;
        markdown.setAttribute('aria-busy', 'true');
        window.e2e.addControl('mat-icon', { fonticon: 'stop' });
        return window.e2e.emptied(markdown);
      },
      settle() {
        document.querySelector('[data-e2e-copy] message-content .markdown')!.setAttribute('aria-busy', 'false');
        document.querySelector('mat-icon[fonticon="stop"]')!.remove();
      },
    },
    navigate: { double: true, answers: 4 },
  },
  {
    name: 'copilot',
    site: 'copilot',
    url: (id) => `https://copilot.microsoft.com/chats/${id}`,
    pages: [
      { capture: 'revivalstack__copilot-dom-2question-ans-pairs.html', answers: 2 },
      { capture: 'Covai-Labs__copilot-m365.html', answers: 1 },
      { capture: 'Covai-Labs__copilot.html', answers: 1 },
      { capture: 'revivalstack__copilot-chat-dom.html', answers: 2 },
      { capture: 'revivalstack__copilot-codeblock-dom.html', answers: 0 },
    ],
    answer: '[data-content="ai-message"], [data-testid="ai-message"], .fai-CopilotMessage',
    user: '[data-content="user-message"], [id$="-user-message"], .fai-UserMessage',
    turn: '[data-content="ai-message"], [data-content="user-message"]',
    bar: '[data-testid="message-item-reactions"]',
    click: {
      index: 1,
      contains: ['Here’s the simplest Python “Hello, World!” program:\n# This is a basic Python program\nprint("Hello, World!")\nWhen you run this script'],
      chrome: CHROME.copilot,
    },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-content="ai-message"]');
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(copy.querySelector('[id*="-content-"]')!);
      },
      settle() {
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { capture: 'Covai-Labs__copilot.html', answers: 1 },
  },
  {
    // Our own page, so Copilot runs in Chromium without ../shared.
    name: 'copilot-2026',
    site: 'copilot',
    url: (id) => `https://www.copilot.com/chats/${id}`,
    pages: [{ own: 'copilot-2026.html', answers: 1, streaming: 1 }],
    answer: '[data-testid="ai-message"]',
    user: '[role="article"]:has([data-content="user-message"])',
    turn: '.chat-container > [role="article"]',
    bar: '[data-testid="message-item-reactions"]',
    click: {
      index: 0,
      equals: 'In India it is written ₹1,00,000: one lakh, grouped in twos after the thousands.\n₹10,00,000 is ten lakh\n₹1,00,00,000 is one crore',
      chrome: CHROME.copilot,
    },
    streaming: {
      start: () => [...document.querySelectorAll('[data-testid="ai-message"] p span')].pop()!,
      settle() {
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'copilot-www',
    site: 'copilot',
    url: (id) => `https://www.copilot.com/chats/${id}`,
    pages: [{ capture: 'Covai-Labs__copilot.html', answers: 1 }],
    answer: '[data-content="ai-message"], [data-testid="ai-message"]',
    user: '[role="article"]:has([data-content="user-message"])',
    turn: '.chat-container > [role="article"]',
    bar: '[data-testid="message-item-reactions"]',
    click: { index: 0, contains: ['Country\tMedian Wages\tAvg. Work Hours/Week\nDenmark\t~$3,500\t37', 'IO.puts "Hello, world!"'], chrome: CHROME.copilot },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-content="ai-message"]');
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(copy.querySelector('.group\\/ai-message-item')!);
      },
      settle() {
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { capture: 'revivalstack__copilot-dom-2question-ans-pairs.html', answers: 2 },
  },
  {
    name: 'perplexity',
    site: 'perplexity',
    url: (id) => `https://www.perplexity.ai/search/${id}`,
    pages: [{ capture: 'Covai-Labs__perplexity-chat.html', answers: 1 }],
    answer: 'div[id^="markdown-content-"]',
    user: '[class*="group/query"]',
    turn: 'div.gap-y-sm',
    click: {
      index: 0,
      contains: ['defmodule Hello do\n  def world do\n    IO.puts("Hello, World!")', 'Country\tMedian Wage (USD/mo)\tAvg Work Hrs/Week'],
      chrome: [...CHROME.perplexity, /eiπ/],
    },
    streaming: {
      // Perplexity has no streaming flag: the action row appears once the answer is done.
      start() {
        const copy = window.e2e.appendCopy('div.gap-y-sm');
        window.e2e.hold(copy.querySelector('button[aria-label="Helpful"]')!.closest('.justify-between')!);
        const answer = copy.querySelector('div[id^="markdown-content-"]')!;
        answer.id = 'markdown-content-1';
        window.e2e.addControl('button', { 'data-testid': 'stop-generating-response-button' });
        return window.e2e.emptied(answer);
      },
      settle() {
        window.e2e.restore();
        document.querySelector('[data-testid="stop-generating-response-button"]')!.remove();
      },
    },
    navigate: { double: true, answers: 2 },
  },
  {
    name: 'perplexity-2026-08',
    site: 'perplexity',
    url: (id) => `https://www.perplexity.ai/search/${id}`,
    pages: [{ own: 'perplexity-2026-08.html', answers: 1, streaming: 1 }],
    answer: 'main .prose',
    user: '[class*="group/query"]',
    turn: 'main div.gap-y-md',
    click: {
      index: 0,
      equals:
        'Australians write colour, following British spelling.\nThe same goes for neighbour and favour.\ncolour, neighbour, favour\nUS\tAustralia\ncolor\tcolour',
      chrome: CHROME.perplexity,
    },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-turn"] .prose p')!,
      settle() {
        const template = document.getElementById('finish-streaming') as HTMLTemplateElement;
        document.querySelector('[data-fixture="streaming-turn"]')!.append(template.content.cloneNode(true));
        document.querySelector('[data-testid="stop-generating-response-button"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    // Issue 7: the Deep Research report after #markdown-content-N is an answer of its own.
    name: 'perplexity-deep-research',
    site: 'perplexity',
    url: (id) => `https://www.perplexity.ai/search/${id}`,
    pages: [{ own: 'perplexity-deep-research.html', answers: 2, streaming: 1 }],
    answer: 'div[id^="markdown-content-"], [data-testid="research-report"] .prose',
    user: '[class*="group/query"]',
    turn: 'main div.gap-y-md',
    click: {
      index: 1,
      equals:
        'Date and number formats in the Spanish-speaking world\nAll Spanish-speaking countries put the day before the month: 5/3/2026 is 5 March.\nDecimal separators\n' +
        'Spain, Argentina, Colombia: 3,5 (decimal comma)\nMexico, Guatemala, Puerto Rico: 3.5 (decimal point)\nCountry\tDecimal\nSpain\t3,5\nMexico\t3.5',
      chrome: [...CHROME.perplexity, /fundeu/, /^Report$/m, /Export/],
    },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-turn"] .prose p')!,
      settle() {
        const template = document.getElementById('finish-streaming') as HTMLTemplateElement;
        document.querySelector('[data-fixture="streaming-turn"] .gap-y-sm')!.append(template.content.cloneNode(true));
        document.querySelector('[data-testid="stop-generating-response-button"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 3 },
  },
  {
    name: 'mistral',
    site: 'mistral',
    url: (id) => `https://chat.mistral.ai/chat/${id}`,
    pages: [{ capture: 'Covai-Labs__mistral-chat.html', answers: 1 }],
    answer: '[data-message-author-role="assistant"]',
    user: '[data-message-author-role="user"]',
    turn: '[data-message-author-role]',
    click: {
      index: 0,
      contains: ['Here you go:\nThis is a bold statement with italic emphasis and a link to deadrat.in.', 'Denmark\t60,000\t37\t25\t67%'],
      chrome: CHROME.mistral,
    },
    streaming: {
      // Le Chat draws the answer's footer (Like, Copy…) once it has settled.
      start() {
        const copy = window.e2e.appendCopy('[data-message-author-role]');
        const copyButton = [...copy.querySelectorAll('button[aria-label="Copy to clipboard"]')].find((b) => !b.closest('[data-message-part-type], pre'))!;
        window.e2e.hold(copyButton.parentElement!.parentElement!);
        window.e2e.addControl('button', { 'data-testid': 'stop-button' });
        return window.e2e.emptied(copy.querySelector('[data-message-part-type="answer"]')!);
      },
      settle() {
        window.e2e.restore();
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { double: true, answers: 2 },
  },
  {
    // Our own page, so Le Chat runs in Chromium without ../shared.
    name: 'mistral-written',
    site: 'mistral',
    url: (id) => `https://chat.mistral.ai/chat/${id}`,
    pages: [{ own: 'mistral.html', answers: 1, streaming: 1 }],
    answer: '[data-message-author-role="assistant"]',
    user: '[data-message-author-role="user"]',
    turn: '[data-message-author-role]',
    click: {
      index: 0,
      equals: "En Suisse, on écrit 1'234.5 : apostrophe pour les milliers, point décimal.\nFrance : 1 234,5\nSuisse : 1'234.5",
      chrome: CHROME.mistral,
    },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-answer"] .prose p')!,
      settle() {
        const template = document.getElementById('finish-streaming') as HTMLTemplateElement;
        document.querySelector('[data-fixture="streaming-answer"] > div')!.append(template.content.cloneNode(true));
        document.querySelector('[data-testid="stop-button"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'huggingchat',
    site: 'huggingchat',
    url: (id) => `https://huggingface.co/chat/conversation/${id}`,
    pages: [{ own: 'huggingchat.html', answers: 1, streaming: 1 }],
    answer: '[data-message-role="assistant"]',
    user: '[data-message-role="user"]',
    turn: '[data-message-role="user"], [data-message-role="assistant"]',
    bar: '[data-message-role="assistant"] div:has(> button[title="Retry"])',
    click: {
      index: 0,
      equals: 'New Zealand uses aluminium, as in British English.\naluminium (NZ, UK, AU)\naluminum (US)\naluminium foil',
      chrome: [/Reasoning/, /retry/i],
    },
    streaming: {
      start: () => [...document.querySelectorAll('[data-message-role="assistant"] .prose p')].pop()!,
      settle() {
        document.querySelector('.stop-generating-btn')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'deepseek',
    site: 'deepseek',
    url: (id) => `https://chat.deepseek.com/a/chat/s/${id}`,
    pages: [{ capture: 'Covai-Labs__deepseek-chat.html', answers: 1 }],
    answer: '.ds-message:has(.ds-markdown)',
    user: '[data-virtual-list-item-key]:not(:has(.ds-markdown))',
    turn: '[data-virtual-list-item-key]',
    // The capture keeps the scroll area's inline `position: absolute; inset: 0` gutters but not
    // the stylesheet that lets clicks through them.
    css: '.ds-scroll-area__gutters { pointer-events: none; }',
    click: {
      index: 0,
      contains: ['I recently realized that curiosity can spark remarkable discoveries', 'Denmark\t58,000\t33.5\t25\t66'],
      chrome: CHROME.deepseek,
    },
    streaming: {
      // The icon-button row is drawn next to the message once it has finished.
      start() {
        const copy = window.e2e.appendCopy('[data-virtual-list-item-key]');
        copy.setAttribute('data-virtual-list-item-key', '3');
        window.e2e.hold(copy.querySelector(':scope > .ds-flex:has(.ds-icon-button)')!);
        // The send slot becomes the stop control: enabled on an empty message box.
        const send = document.querySelector('.ds-icon-button--disabled')!; // the capture's only one
        send.classList.remove('ds-icon-button--disabled');
        send.setAttribute('aria-disabled', 'false');
        send.setAttribute('data-e2e-stop', '');
        return window.e2e.emptied(copy.querySelector('.ds-assistant-message-main-content')!);
      },
      settle() {
        window.e2e.restore();
        const send = document.querySelector('[data-e2e-stop]')!;
        send.classList.add('ds-icon-button--disabled');
        send.setAttribute('aria-disabled', 'true');
      },
    },
    navigate: { double: true, answers: 2 },
  },
  {
    // Issue 7: the 2026-07 button row (.ds-flex > .ds-flex > .ds-button--icon) is the finished signal.
    name: 'deepseek-2026-07',
    site: 'deepseek',
    url: (id) => `https://chat.deepseek.com/a/chat/s/${id}`,
    pages: [{ own: 'deepseek-2026-07.html', answers: 1, streaming: 1 }],
    answer: '.ds-message:has(.ds-markdown)',
    user: '[data-virtual-list-item-key]:not(:has(.ds-markdown))',
    turn: '[data-virtual-list-item-key]',
    click: { index: 0, equals: 'In Ireland the day comes first: 5/3/2026.\nLong form: 5 March 2026\nNever 3/5/2026', chrome: CHROME.deepseek },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-item"] .ds-markdown p')!,
      settle() {
        const template = document.getElementById('finish-streaming') as HTMLTemplateElement;
        document.querySelector('[data-fixture="streaming-item"]')!.append(template.content.cloneNode(true));
        document.querySelector('[data-fixture="send"]')!.setAttribute('aria-disabled', 'true');
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'meta',
    site: 'meta',
    url: (id) => `https://www.meta.ai/prompt/${id}`,
    pages: [{ capture: 'Covai-Labs__meta-chat.html', answers: 1 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-message-id$="_user"]',
    turn: '[data-message-item]',
    bar: '[class*="assistant-message-actions"]',
    click: {
      index: 0,
      contains: ['Bold ideas travel fast, italic doubts linger longer, and a good rabbit hole is worth a click: link to deadrat.in.', 'e^{i\\pi}+1=0'],
      chrome: CHROME.meta,
    },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-message-item]');
        const answer = copy.querySelector('[data-testid="assistant-message"]')!;
        answer.setAttribute('data-streaming-state', 'STREAMING');
        answer.setAttribute('data-streaming-complete', 'false');
        return window.e2e.emptied(copy.querySelector('.markdown-content')!);
      },
      settle() {
        const answer = document.querySelector('[data-e2e-copy] [data-testid="assistant-message"]')!;
        answer.setAttribute('data-streaming-state', 'DONE');
        answer.setAttribute('data-streaming-complete', 'true');
      },
    },
    navigate: { double: true, answers: 2 },
  },
  {
    // Our own page, so Meta AI runs in Chromium without ../shared.
    name: 'meta-written',
    site: 'meta',
    url: (id) => `https://www.meta.ai/prompt/${id}`,
    pages: [{ own: 'meta.html', answers: 1, streaming: 1 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-message-id$="_user"]',
    turn: '[data-message-item]',
    bar: '[class*="assistant-message-actions"]',
    click: {
      index: 0,
      equals: 'In Germany, dial 112 for fire and ambulance, and 110 for the police.\n112: Feuerwehr, Rettungsdienst\n110: Polizei',
      chrome: CHROME.meta,
    },
    streaming: {
      start: () => document.querySelector('[data-streaming-complete="false"] p')!,
      settle() {
        const answer = document.querySelector('[data-streaming-complete="false"]')!;
        answer.setAttribute('data-streaming-state', 'DONE');
        answer.setAttribute('data-streaming-complete', 'true');
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'grok',
    site: 'grok',
    url: (id) => `https://grok.com/c/${id}`,
    pages: [
      { capture: 'revivalstack__grok-dom-5question-ans-pairs.html', answers: 5 },
      { capture: 'revivalstack__grok-dom-2question-ans-pairs.html', answers: 2 },
    ],
    answer: 'div[id^="response-"].items-start',
    user: 'div[id^="response-"].items-end',
    turn: 'div[id^="response-"]',
    bar: 'div[id^="response-"].items-start .action-buttons',
    click: { index: 1, contains: ['Yes, I can do real-time searches.\nI have several tools'], chrome: [...CHROME.grok, /Latest AI news updates/] },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('div[id^="response-"]');
        window.e2e.addControl('button', { 'aria-label': 'Stop model response' });
        return window.e2e.emptied(copy.querySelector('.message-bubble .response-content-markdown:not(.thinking-container *)')!);
      },
      settle() {
        document.querySelector('button[aria-label="Stop model response"]')!.remove();
      },
    },
    navigate: { capture: 'revivalstack__grok-dom-2question-ans-pairs.html', answers: 2 },
  },
  {
    name: 'grok-2026-09',
    site: 'grok',
    url: (id) => `https://grok.com/c/${id}`,
    pages: [{ own: 'grok-2026-09.html', answers: 1, streaming: 1 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-testid="user-message"]',
    turn: '[data-testid="user-message"], [data-testid="assistant-message"]',
    bar: '[data-testid="assistant-message"] .action-buttons',
    click: {
      index: 0,
      equals: 'Canadians write centre and metre, like the British, but tire like Americans.\ncentre, metre, tire',
      chrome: CHROME.grok,
    },
    streaming: {
      start: () => [...document.querySelectorAll('[data-testid="assistant-message"] .response-content-markdown p')].pop()!,
      settle() {
        document.querySelector('button[aria-label="Stop model response"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    // Issue 7: a share page (read-only copy in the current layout, no composer).
    name: 'grok-share',
    site: 'grok',
    url: (id) => `https://grok.com/share/${id}`,
    pages: [{ own: 'grok-share.html', answers: 2 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-testid="user-message"]',
    turn: '[data-testid="user-message"], [data-testid="assistant-message"]',
    bar: '[data-testid="assistant-message"] .action-buttons',
    click: {
      index: 0,
      equals: 'Many still use stones and pounds for body weight, though kilograms are official.',
      chrome: [...CHROME.grok, /Continue this conversation/],
    },
    streaming: {
      start() {
        const copy = window.e2e.appendCopy('[data-testid="assistant-message"]');
        window.e2e.addControl('button', { 'aria-label': 'Stop model response' });
        return window.e2e.emptied(copy.querySelector('.response-content-markdown')!);
      },
      settle() {
        document.querySelector('button[aria-label="Stop model response"]')!.remove();
      },
    },
    navigate: { double: true, answers: 4 },
  },
  {
    // Issue 7: citation chips (a.citation with U+2060 at the edges) stay out of the stored text.
    name: 'grok-citations',
    site: 'grok',
    url: (id) => `https://grok.com/c/${id}`,
    pages: [{ own: 'grok-citations.html', answers: 1, streaming: 1 }],
    answer: '[data-testid="assistant-message"]',
    user: '[data-testid="user-message"]',
    turn: '[data-testid="user-message"], [data-testid="assistant-message"]',
    bar: '[data-testid="assistant-message"] .action-buttons',
    click: {
      index: 0,
      equals: 'Australians put the day first: 5/3/2026. In running text, write 5 March 2026 without a comma.\nNever 3/5/2026, the US order.',
      chrome: [...CHROME.grok, /ABS/, /Style Manual/, /Macquarie/, /\u2060/],
    },
    streaming: {
      start: () => [...document.querySelectorAll('[data-testid="assistant-message"] .response-content-markdown p')].pop()!,
      settle() {
        document.querySelector('button[aria-label="Stop model response"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    name: 'poe',
    site: 'poe',
    url: (id) => `https://poe.com/chat/${id}`,
    pages: [{ own: 'poe.html', answers: 1, streaming: 1 }],
    answer: '[class*="Message_botMessageBubble"]',
    user: '[class*="Message_rightSideMessageRow"]',
    turn: '[class*="ChatMessagesView_messagePair"]',
    click: {
      index: 0,
      equals: 'In Ireland it is 5/3/2026: day first, then month.\n5 March 2026 (long form)\n05/03/2026 (forms)\n05/03/2026',
      chrome: [/^text$/m, /^Copy$/m],
    },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-message"] [class*="Markdown_markdownContainer"] p')!,
      settle() {
        const template = document.getElementById('finish-streaming') as HTMLTemplateElement;
        document.querySelector('[data-fixture="streaming-message"]')!.append(template.content.cloneNode(true));
        document.querySelector('[class*="ChatStopMessageButton"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
  {
    // Issue 7: current Poe markup (left/right-side bubbles, data-complete on the message).
    name: 'poe-2026',
    site: 'poe',
    url: (id) => `https://poe.com/chat/${id}`,
    pages: [{ own: 'poe-2026.html', answers: 1, streaming: 1 }],
    answer: '[class*="Message_leftSideMessageBubble"]',
    user: '[class*="Message_rightSideMessageRow"]',
    turn: '[class*="ChatMessagesView_messageTuple"]',
    click: { index: 0, equals: 'In Scotland, as in the rest of the UK, it is the pavement.\npavement (UK)\nsidewalk (US)', chrome: [/^Stop$/m] },
    streaming: {
      start: () => document.querySelector('[data-fixture="streaming-message"] [class*="Markdown_markdownContainer"] p')!,
      settle() {
        document.querySelector('[data-fixture="streaming-message"]')!.setAttribute('data-complete', 'true');
        document.querySelector('[class*="ChatStopMessageButton"]')!.remove();
      },
    },
    navigate: { settle: true, answers: 2 },
  },
];

export interface ButtonPlacement {
  answers: number;
  hosts: number;
  /** Buttons per answer (an answer owns the buttons inside it or after it, up to the next answer). */
  perAnswer: number[];
  /** For each button: inside its answer, right after it, or further on (in a following action bar). */
  placements: ('inside' | 'after' | 'later')[];
  problems: string[];
}

/**
 * In the page: where our buttons are. Each belongs to the last answer that holds or precedes
 * it; a button inside a user's turn, before every answer, or with a user's turn between it
 * and its answer is a problem.
 */
export function inspectButtons({ answer, user }: { answer: string; user: string }): ButtonPlacement {
  const all = [...document.querySelectorAll(answer)];
  const answers = all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  const users = [...document.querySelectorAll(user)];
  const hosts = [...document.querySelectorAll('sounds-local-button')];
  const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const perAnswer = answers.map(() => 0);
  const placements: ButtonPlacement['placements'] = [];
  const problems: string[] = [];
  hosts.forEach((host, i) => {
    if (host.closest(user)) problems.push(`button ${i} is inside a user's turn`);
    let owner = -1;
    answers.forEach((a, k) => {
      if (a.contains(host) || follows(a, host)) owner = k;
    });
    if (owner < 0) {
      problems.push(`button ${i} comes before every answer`);
      placements.push('later');
      return;
    }
    const a = answers[owner]!;
    const between = users.find((u) => !u.contains(a) && !a.contains(u) && follows(a, u) && follows(u, host));
    if (between) problems.push(`button ${i} follows a user's turn after answer ${owner}`);
    perAnswer[owner]!++;
    placements.push(a.contains(host) ? 'inside' : host.previousElementSibling === a ? 'after' : 'later');
  });
  return { answers: answers.length, hosts: hosts.length, perAnswer, placements, problems };
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * In the page, before any of its scripts: at DOMContentLoaded (before the content script,
 * which runs at document_idle) optionally remove the site's action bars, then record where
 * the answers and their containers are, to compare once our buttons are in.
 */
export function recordLayout({ answer, removeBars }: { answer: string; removeBars?: string }) {
  document.addEventListener('DOMContentLoaded', () => {
    if (removeBars) document.querySelectorAll(removeBars).forEach((bar) => bar.remove());
    const all = [...document.querySelectorAll(answer)];
    const answers = all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top + scrollY, width: r.width, height: r.height };
    };
    (window as any).e2eLayout = {
      answers: answers.map(box),
      containers: answers.map((a) => box(a.parentElement!)),
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

/** In the page: the same measurements now, for the answers whose button sits right after them. */
export function layoutNow({ answer }: { answer: string }) {
  const all = [...document.querySelectorAll(answer)];
  const answers = all.filter((el) => !all.some((other) => other !== el && other.contains(el)));
  const box = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top + scrollY, width: r.width, height: r.height };
  };
  return {
    before: (window as any).e2eLayout as { answers: Box[]; containers: Box[]; scrollWidth: number } | undefined,
    answers: answers.map(box),
    containers: answers.map((a) => box(a.parentElement!)),
    hostsAfter: answers.map((a) => {
      const next = a.nextElementSibling;
      return next?.tagName === 'SOUNDS-LOCAL-BUTTON' ? box(next) : null;
    }),
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  };
}
