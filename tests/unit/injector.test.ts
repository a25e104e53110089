// The injector on written ChatGPT pages (no shared captures needed), with the real ChatGPT
// adapter: where buttons go, when a streaming answer counts as finished (the site's signal,
// or the settle fallback when there is none), remounts, navigation, the length cap, and
// what a capture may carry (DESIGN §11). Timers are fake, so "1.5 s later" is exact.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInjector, type InjectorDeps } from '../../lib/content/injector';
import { BUTTON_TAG } from '../../lib/content/button';
import { chatgpt } from '../../lib/adapters/chatgpt';
import type { SiteAdapter } from '../../lib/adapters/types';
import type { CaptureMessage } from '../../lib/messages';

const SETTLE = 1_500;
const POLL = 1_000;

interface Turn {
  answer: string;
  /** The site's "Response actions" bar (default: present). */
  bar?: boolean;
  streaming?: boolean;
}

/** ChatGPT's older layout: a user turn and an assistant turn per pair. */
function oldLayout(turns: Turn[]): string {
  return turns
    .map(
      (t, i) => `
<section data-testid="conversation-turn-${2 * i + 1}"><div data-message-author-role="user"><div class="whitespace-pre-wrap">Question ${i + 1}?</div></div></section>
<section data-testid="conversation-turn-${2 * i + 2}"><h4 class="sr-only">ChatGPT said:</h4>
  <div data-message-author-role="assistant" data-message-model-slug="gpt-5-5"><div class="markdown prose${t.streaming ? ' result-streaming' : ''}"><p>${t.answer}</p></div></div>
  ${t.bar === false ? '' : '<div role="group" aria-label="Response actions"><button aria-label="Copy response">c</button></div>'}
</section>`,
    )
    .join('');
}

/** ChatGPT's 2026-09 layout, whose only "finished" signal is the action bar after the answer. */
function newLayoutWithoutBar(answer: string): string {
  return `
<div data-turn-key="t-1" class="turn">
  <div data-chatgpt-search-unit-key="t-1:user"><div class="whitespace-pre-wrap">Which word do Brazilians use?</div></div>
  <div data-chatgpt-search-unit-key="t-1:assistant"><div data-markdown-text-style="assistant-message"><p id="stream">${answer}</p></div></div>
</div>`;
}

function mount(body: string) {
  document.body.innerHTML = `<main id="thread">${body}</main><form><button data-testid="send-button">Send</button></form>`;
}

const hosts = () => [...document.getElementsByTagName(BUTTON_TAG)] as HTMLElement[];

/** Shadow roots by host: the in-page button's root is closed, so tests keep a handle. */
const roots = new Map<Element, ShadowRoot>();
/** Every injector a test started; stopped after it, so none watches the next test's page. */
const running: Array<{ stop(): void }> = [];

function start(overrides: Partial<InjectorDeps> = {}) {
  const sent: CaptureMessage[] = [];
  const injector = createInjector({
    adapter: chatgpt,
    doc: document,
    win: window,
    labels: { label: "Doesn't sound local", title: 't' },
    messages: { saved: 'Saved', savedOpenPopup: 'Saved: open the popup', failed: 'Failed', tooLong: (n) => `Too long: ${n}` },
    send: async (payload) => {
      sent.push(payload);
      return { ok: true, report_id: 'r-1', popup_opened: true };
    },
    maxAnswerLength: 200_000,
    ...overrides,
  });
  injector.start();
  running.push(injector);
  return { injector, sent };
}

/** A click the browser would mark trusted (happy-dom has no isTrusted; a real browser test is in tests/e2e). */
function trustedClick(host: Element) {
  const button = roots.get(host)!.querySelector('button')!;
  const event = new MouseEvent('click', { bubbles: true, composed: true });
  Object.defineProperty(event, 'isTrusted', { value: true });
  button.dispatchEvent(event);
}

const hint = (host: Element) => roots.get(host)!.querySelector('.hint')!.textContent;

const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'requestAnimationFrame', 'performance'] });
  history.replaceState({}, '', '/c/first');
  roots.clear();
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  });
});

afterEach(() => {
  for (const injector of running.splice(0)) injector.stop();
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('where the button goes', () => {
  it('puts one button in each finished answer’s action bar, none on the user’s turns', async () => {
    mount(oldLayout([{ answer: 'The colour is grey.' }, { answer: 'Take the lorry.' }, { answer: 'Dial 911.' }]));
    const { injector } = start();
    await wait(500);
    injector.reconcileNow();
    expect(hosts()).toHaveLength(3);
    for (const host of hosts()) {
      expect(host.parentElement?.getAttribute('aria-label')).toBe('Response actions');
      expect(host.closest('[data-message-author-role]')).toBeNull();
    }
  });

  it('puts the button right after the answer when the site shows no action bar, never inside its text', async () => {
    mount(oldLayout([{ answer: 'The colour is grey.', bar: false }]));
    start();
    await wait(500);
    const [host] = hosts();
    expect(hosts()).toHaveLength(1);
    expect(host!.previousElementSibling?.matches('[data-testid="conversation-turn-2"]')).toBe(true);
    expect(host!.closest('.markdown')).toBeNull();
  });

  it('moves a button placed after the answer into the action bar the site draws a moment later', async () => {
    mount(oldLayout([{ answer: 'The colour is grey.', bar: false }]));
    start();
    await wait(500);
    const [host] = hosts();
    const bar = document.createElement('div');
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', 'Response actions');
    document.querySelector('[data-testid="conversation-turn-2"]')!.append(bar);
    await wait(2_500);
    expect(hosts()).toEqual([host]);
    expect(host!.parentElement).toBe(bar);
  });

  it('places a button only on answers near the viewport, and looks at the others only once they scroll near', async () => {
    mount(oldLayout([{ answer: 'One.' }, { answer: 'Two.' }, { answer: 'Three.' }]));
    const observed: Element[] = [];
    let report: (entries: IntersectionObserverEntry[]) => void = () => {};
    // The browser's IntersectionObserver, reduced to what the injector uses (happy-dom has
    // only a stub): the test says which answers are near.
    class Viewport {
      constructor(callback: (entries: IntersectionObserverEntry[]) => void) {
        report = callback;
      }
      observe(el: Element) {
        observed.push(el);
      }
      unobserve() {}
      disconnect() {}
    }
    const isFinished = vi.fn(chatgpt.isFinished);
    start({ adapter: { ...chatgpt, isFinished }, IntersectionObserver: Viewport as unknown as typeof IntersectionObserver });
    await wait(500);
    expect(observed).toHaveLength(3);
    const placed = () => hosts().map((h) => h.closest('section'));
    expect(hosts()).toEqual([]);
    expect(isFinished).not.toHaveBeenCalled();
    report([{ target: observed[2]!, isIntersecting: true } as IntersectionObserverEntry]);
    await wait(300);
    expect(placed()).toEqual([observed[2]]);
    expect(isFinished.mock.calls.map(([answer]) => answer)).toEqual([observed[2]]);
    report([{ target: observed[0]!, isIntersecting: true } as IntersectionObserverEntry]);
    await wait(300);
    expect(placed()).toEqual([observed[0], observed[2]]);
    for (const host of hosts()) {
      expect(roots.has(host)).toBe(true); // built: its shadow root and button
      expect(host.parentElement?.getAttribute('aria-label')).toBe('Response actions');
    }
  });
});

describe('when a streaming answer counts as finished', () => {
  async function streamTokens(target: () => Element, count: number, everyMs: number) {
    for (let i = 0; i < count; i++) {
      target().append(i % 25 === 24 ? document.createElement('p') : document.createTextNode(`token${i} `));
      await wait(everyMs);
    }
  }

  it('adds the button as soon as the site’s signal says finished, well before the settle interval', async () => {
    mount(oldLayout([{ answer: 'Earlier answer.' }, { answer: '', streaming: true }]));
    start();
    await wait(300);
    expect(hosts()).toHaveLength(1);
    await streamTokens(() => document.querySelector('.result-streaming')!, 60, 50);
    expect(hosts()).toHaveLength(1);
    document.querySelector('.result-streaming')!.classList.remove('result-streaming');
    await wait(POLL + 50);
    expect(hosts()).toHaveLength(2);
  });

  it('without any finished signal, adds the button once the text has not changed for the settle interval', async () => {
    mount(newLayoutWithoutBar(''));
    start();
    await wait(300);
    // Tokens keep coming for 6 s (gaps shorter than the settle interval): no button.
    await streamTokens(() => document.getElementById('stream')!, 30, 200);
    expect(hosts()).toHaveLength(0);
    await wait(SETTLE - 300);
    expect(hosts()).toHaveLength(0);
    await wait(300 + 2 * POLL);
    expect(hosts()).toHaveLength(1);
    // No action bar here: right after the answer.
    expect(hosts()[0]!.previousElementSibling?.matches('[data-chatgpt-search-unit-key="t-1:assistant"]')).toBe(true);
  });

  it('sees text still changing before a fixed last element (a typing cursor), and settles once it stops', async () => {
    mount(newLayoutWithoutBar(''));
    document.getElementById('stream')!.after(Object.assign(document.createElement('span'), { className: 'cursor' }));
    start();
    await wait(300);
    await streamTokens(() => document.getElementById('stream')!, 30, 200);
    expect(hosts()).toHaveLength(0);
    await wait(SETTLE + 2 * POLL);
    expect(hosts()).toHaveLength(1);
  });

  it('reads no streaming answer’s whole text while tokens keep arriving, even with an empty row after the text', async () => {
    mount(newLayoutWithoutBar(''));
    const answer = document.querySelector('[data-chatgpt-search-unit-key="t-1:assistant"]')!;
    // ChatGPT keeps an empty row for the action bar after the text while it streams.
    answer.append(Object.assign(document.createElement('div'), { className: 'actions-row' }));
    let reads = 0;
    let proto: object | null = answer;
    while (proto && !Object.getOwnPropertyDescriptor(proto, 'textContent')) proto = Object.getPrototypeOf(proto);
    const getter = Object.getOwnPropertyDescriptor(proto!, 'textContent')!.get!;
    Object.defineProperty(answer, 'textContent', {
      configurable: true,
      get() {
        reads++;
        return getter.call(this);
      },
    });
    start();
    await wait(300);
    await streamTokens(() => document.getElementById('stream')!, 40, 150);
    expect(hosts()).toHaveLength(0);
    expect(reads).toBe(0);
    // Once the text stops, the settle fallback measures it, and the button comes.
    await wait(SETTLE + 3 * POLL);
    expect(reads).toBeGreaterThan(0);
    expect(hosts()).toHaveLength(1);
  });

  it('does not count an answer as settled while the adapter sees a stop control, or while it is empty', async () => {
    const withStop: SiteAdapter = { ...chatgpt, isGenerating: (doc) => doc.querySelector('[data-testid="stop-button"]') !== null };
    mount(newLayoutWithoutBar(''));
    const stop = document.createElement('button');
    stop.dataset.testid = 'stop-button';
    document.body.append(stop);
    start({ adapter: withStop });
    await wait(SETTLE * 3);
    expect(hosts()).toHaveLength(0); // empty: the model is still thinking
    document.getElementById('stream')!.append('A pause mid-answer (a tool call) is not the end.');
    await wait(SETTLE * 3);
    expect(hosts()).toHaveLength(0);
    stop.remove();
    await wait(SETTLE + 2 * POLL);
    expect(hosts()).toHaveLength(1);
  });

  it('watches the attributes the adapter names, so a site flag finishing an answer is seen before the next poll', async () => {
    const flagged: SiteAdapter = {
      ...chatgpt,
      isFinished: (answer) => answer.getAttribute('data-done') === 'true',
      streamingAttributes: ['data-done'],
    };
    mount(oldLayout([{ answer: 'Streaming…' }]));
    const answer = document.querySelector('[data-testid="conversation-turn-2"]')!;
    answer.setAttribute('data-done', 'false');
    start({ adapter: flagged });
    await wait(POLL + 10); // just after a poll
    expect(hosts()).toHaveLength(0);
    answer.setAttribute('data-done', 'true');
    await wait(POLL / 4);
    expect(hosts()).toHaveLength(1);
  });

  it('makes no full pass over the page while an answer streams tokens and paragraphs', async () => {
    mount(oldLayout([{ answer: 'Earlier answer.' }, { answer: '', streaming: true }]));
    const findAnswers = vi.fn(chatgpt.findAnswers);
    start({ adapter: { ...chatgpt, findAnswers } });
    await wait(1_000);
    const before = findAnswers.mock.calls.length;
    await streamTokens(() => document.querySelector('.result-streaming')!, 200, 20);
    expect(findAnswers.mock.calls.length - before).toBe(0);
    // A new turn outside the streaming answer is still noticed.
    document.getElementById('thread')!.insertAdjacentHTML('beforeend', oldLayout([{ answer: 'Another.' }]));
    await wait(500);
    expect(findAnswers.mock.calls.length).toBeGreaterThan(before);
  });
});

describe('re-renders, remounts and navigation', () => {
  it('keeps exactly one button per answer when a re-render drops it or the list remounts the turns as copies', async () => {
    mount(oldLayout([{ answer: 'One.' }, { answer: 'Two.' }]));
    start();
    await wait(500);
    expect(hosts()).toHaveLength(2);
    // React re-render: the bars come back as fresh nodes without our hosts.
    for (const bar of document.querySelectorAll('[aria-label="Response actions"]')) {
      const fresh = bar.cloneNode(true) as Element;
      fresh.querySelectorAll(BUTTON_TAG).forEach((h) => h.remove());
      bar.replaceWith(fresh);
    }
    await wait(500);
    expect(hosts()).toHaveLength(2);
    // Virtualised list: turns unmount and come back as copies (stale hosts included).
    const thread = document.getElementById('thread')!;
    const copies = [...thread.children].map((t) => t.cloneNode(true) as Element);
    thread.replaceChildren();
    await wait(300);
    thread.append(...copies);
    await wait(500);
    expect(hosts()).toHaveLength(2);
    for (const host of hosts()) expect(roots.has(host)).toBe(true); // ours, not the stale copies
  });

  it('puts back a button a re-render dropped while another answer streams', async () => {
    mount(oldLayout([{ answer: 'One.' }, { answer: '', streaming: true }]));
    start();
    await wait(500);
    expect(hosts()).toHaveLength(1);
    const bar = document.querySelector('[aria-label="Response actions"]')!;
    const fresh = bar.cloneNode(true) as Element;
    fresh.querySelectorAll(BUTTON_TAG).forEach((h) => h.remove());
    bar.replaceWith(fresh);
    await wait(POLL + 500);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]!.parentElement).toBe(fresh);
  });

  it('resets buttons when the address changes, even if the site reuses the answer nodes', async () => {
    mount(oldLayout([{ answer: 'One.' }, { answer: 'Two.' }]));
    start();
    await wait(500);
    const before = hosts();
    expect(before).toHaveLength(2);
    // The site switches conversation in place: same nodes, the second answer now streaming.
    history.pushState({}, '', '/c/second');
    document.querySelectorAll('.markdown')[1]!.classList.add('result-streaming');
    document.querySelector('[data-testid="conversation-turn-1"] .whitespace-pre-wrap')!.textContent = 'Another question?';
    await wait(500);
    expect(hosts()).toHaveLength(1);
    expect(before.some((h) => h.isConnected)).toBe(false);
  });

  it('ignores page events that claim a navigation when the address did not change', async () => {
    mount(oldLayout([{ answer: 'One.' }]));
    start();
    await wait(500);
    const [host] = hosts();
    for (const type of ['wxt:locationchange', 'popstate', 'hashchange']) window.dispatchEvent(new Event(type));
    document.body.append(document.createElement('div'));
    await wait(500);
    expect(hosts()).toEqual([host]);
  });

  it('stops and removes its buttons once the extension is gone (an orphaned script)', async () => {
    mount(oldLayout([{ answer: 'One.' }]));
    let orphaned = false;
    start({ orphaned: () => orphaned });
    await wait(500);
    expect(hosts()).toHaveLength(1);
    orphaned = true;
    document.body.append(document.createElement('div'));
    await wait(500);
    expect(hosts()).toHaveLength(0);
  });
});

describe('the drift safety net', () => {
  it('tells the background a page with plain conversation text has no answer it can read, with its outline and no text', async () => {
    document.body.innerHTML = `<main><div class="Thread_list__x1"><div class="Msg_bot__a2" data-author="bot"><p>${'Em Portugal diz-se autocarro. '.repeat(20)}</p></div></div></main>`;
    const statuses: unknown[] = [];
    start({ reportStatus: (status) => statuses.push(status) });
    await wait(500);
    expect(statuses).toEqual([{ answers: 0, unreadable: true, fingerprint: expect.stringContaining('div.Msg_bot [data-author]') }]);
    expect(JSON.stringify(statuses)).not.toContain('autocarro');
  });

  it('says nothing of structure while the page reads', async () => {
    mount(oldLayout([{ answer: 'One.' }]));
    const statuses: unknown[] = [];
    start({ reportStatus: (status) => statuses.push(status) });
    await wait(500);
    expect(statuses).toEqual([{ answers: 1, unreadable: false }]);
  });
});

describe('what a click sends', () => {
  it('sends page_url without query or fragment, and the conversation id only for the background to salt', async () => {
    history.replaceState({}, '', '/c/6a1f0c2e-abc?utm_source=mail&token=s3cret#reply-4');
    mount(oldLayout([{ answer: 'The colour is grey.' }]));
    const { sent } = start();
    await wait(500);
    trustedClick(hosts()[0]!);
    await wait(10);
    expect(sent).toHaveLength(1);
    const [capture] = sent;
    expect(capture!.page_url).toBe(`${location.origin}/c/6a1f0c2e-abc`);
    expect(capture!.conversation_id).toBe('6a1f0c2e-abc');
    expect(Object.keys(capture!).sort()).toEqual(['answer', 'conversation_id', 'model_label', 'page_url', 'prompt', 'selection', 'site', 'type']);
    expect(JSON.stringify(capture)).not.toMatch(/s3cret|utm_source|reply-4/);
    expect(capture).toMatchObject({ type: 'capture', site: 'chatgpt', answer: 'The colour is grey.', prompt: 'Question 1?', model_label: 'gpt-5-5' });
    expect(hint(hosts()[0]!)).toBe('Saved');
  });

  it('refuses an answer over the length cap in the page, without sending it', async () => {
    mount(oldLayout([{ answer: 'x'.repeat(1_001) }, { answer: 'Short.' }]));
    const { sent } = start({ maxAnswerLength: 1_000 });
    await wait(500);
    trustedClick(hosts()[0]!);
    await wait(10);
    expect(sent).toHaveLength(0);
    expect(hint(hosts()[0]!)).toBe('Too long: 1001');
    trustedClick(hosts()[1]!);
    await wait(10);
    expect(sent).toHaveLength(1);
  });

  it('ignores clicks the page dispatches (untrusted)', async () => {
    mount(oldLayout([{ answer: 'One.' }]));
    const { sent } = start();
    await wait(500);
    roots.get(hosts()[0]!)!.querySelector('button')!.click();
    await wait(10);
    expect(sent).toHaveLength(0);
  });
});

describe('the "report the answer" shortcut (captureCurrent)', () => {
  const THREE = [{ answer: 'The colour is grey.' }, { answer: 'Take the lorry.' }, { answer: 'Dial 911.' }];
  /** The answer elements as the adapter finds them (the injector's unit). */
  const answerEl = (i: number) => chatgpt.findAnswers(document)[i]!;
  /** The pointer coming over an element, as the browser reports it. */
  const pointerOver = (el: Element) => el.dispatchEvent(new Event('pointerover', { bubbles: true, composed: true }));
  /** Where each answer sits on screen (happy-dom lays nothing out): [top, bottom] per answer. */
  function layout(boxes: Array<[number, number]>) {
    boxes.forEach(([top, bottom], i) => {
      vi.spyOn(answerEl(i), 'getBoundingClientRect').mockReturnValue({
        top,
        bottom,
        height: bottom - top,
        left: 0,
        right: 500,
        width: 500,
        x: 0,
        y: top,
        toJSON() {},
      } as DOMRect);
    });
  }

  it('captures the answer holding the focus, with exactly the message its button’s click sends', async () => {
    mount(oldLayout(THREE));
    const { injector, sent } = start();
    await wait(500);
    (answerEl(1).closest('section')!.querySelector('button[aria-label="Copy response"]') as HTMLElement).focus();
    pointerOver(answerEl(2).querySelector('p')!);
    expect(injector.captureCurrent()).toBe(answerEl(1));
    await wait(10);
    trustedClick(hosts()[1]!);
    await wait(10);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({ type: 'capture', answer: 'Take the lorry.', prompt: 'Question 2?' });
    expect(sent[0]).toEqual(sent[1]);
    expect(hint(hosts()[1]!)).toBe('Saved');
  });

  it('captures the answer under the pointer when no answer has the focus', async () => {
    mount(oldLayout(THREE));
    const { injector, sent } = start();
    await wait(500);
    layout([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
    pointerOver(answerEl(0).querySelector('p')!);
    injector.captureCurrent();
    await wait(10);
    expect(sent.map((m) => m.answer)).toEqual(['The colour is grey.']);
  });

  it('takes the answer whose text is selected over the one under the pointer', async () => {
    mount(oldLayout(THREE));
    const { injector, sent } = start();
    await wait(500);
    pointerOver(answerEl(2));
    const range = document.createRange();
    range.selectNodeContents(answerEl(1).querySelector('p')!);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    injector.captureCurrent();
    await wait(10);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ answer: 'Take the lorry.', selection: { text: 'Take the lorry.', before: '' } });
    window.getSelection()!.removeAllRanges();
  });

  it('falls back to the last finished answer on screen when the pointer is over no answer or left the page', async () => {
    mount(oldLayout(THREE));
    const { injector, sent } = start();
    await wait(500);
    // The first two on screen, the third below the fold.
    layout([
      [0, 300],
      [300, 700],
      [900, 1200],
    ]);
    pointerOver(document.querySelector('form')!);
    expect(injector.captureCurrent()).toBe(answerEl(1));
    pointerOver(answerEl(2));
    document.dispatchEvent(new Event('pointerout', { bubbles: true }));
    expect(injector.captureCurrent()).toBe(answerEl(1));
    await wait(10);
    expect(sent.map((m) => m.answer)).toEqual(['Take the lorry.']); // the second press waited for the first
  });

  it('captures nothing while the only answer is still streaming, or when none is on screen', async () => {
    mount(oldLayout([{ answer: 'Stream', streaming: true, bar: false }]));
    const { injector, sent } = start();
    await wait(500);
    pointerOver(answerEl(0));
    expect(injector.captureCurrent()).toBeUndefined();
    await wait(10);
    expect(sent).toEqual([]);
  });

  it('refuses an answer over the length cap as its button would, without sending it', async () => {
    mount(oldLayout([{ answer: 'x'.repeat(1_001) }]));
    const { injector, sent } = start({ maxAnswerLength: 1_000 });
    await wait(500);
    pointerOver(answerEl(0));
    injector.captureCurrent();
    await wait(10);
    expect(sent).toEqual([]);
    expect(hint(hosts()[0]!)).toBe('Too long: 1001');
  });
});
