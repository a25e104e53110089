import { describe, expect, it, vi } from 'vitest';
import { createButton, BUTTON_TAG, backgroundBehind, contrastRatio, parseCssColor, themeFor, type Rgb } from '../../lib/content/button';
import { createInjector } from '../../lib/content/injector';
import { chatgpt } from '../../lib/adapters/chatgpt';
import { describeCaptures, readCapture, readOwnFixture } from '../helpers/fixtures';

function captureShadowRoots() {
  const roots: ShadowRoot[] = [];
  const original = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = original.call(this, init);
    roots.push(root);
    return root;
  });
  return roots;
}

describe('the in-page button', () => {
  it('uses a closed shadow root and ignores synthetic clicks', () => {
    const roots = captureShadowRoots();
    const onActivate = vi.fn();
    const { host } = createButton(document, { label: "Doesn't sound local", title: 't' }, onActivate);
    document.body.append(host);
    expect(host.tagName.toLowerCase()).toBe(BUTTON_TAG);
    expect(host.shadowRoot).toBeNull(); // closed: the page cannot reach inside
    const inner = roots[0]!.querySelector('button')!;
    // An icon button like the site's own: the label is its accessible name and tooltip.
    expect(inner.getAttribute('aria-label')).toBe("Doesn't sound local");
    expect(inner.querySelector('svg')).not.toBeNull();
    inner.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    inner.click();
    expect(onActivate).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('shows hints as text, never as markup', () => {
    const roots = captureShadowRoots();
    const button = createButton(document, { label: 'x', title: 't' }, () => {});
    button.showHint('<img src=x onerror="globalThis.pwned=1">', 'error');
    expect(roots[0]!.querySelector('img')).toBeNull();
    expect(roots[0]!.querySelector('.hint')!.textContent).toContain('<img');
    vi.restoreAllMocks();
  });
});

describe('the in-page button follows the page theme', () => {
  it('reads colours the way browsers report them', () => {
    expect(parseCssColor('rgb(33, 33, 33)')).toEqual({ rgb: [33, 33, 33], alpha: 1 });
    expect(parseCssColor('rgba(0, 0, 0, 0)')).toEqual({ rgb: [0, 0, 0], alpha: 0 });
    expect(parseCssColor('rgb(255 255 255 / 50%)')).toEqual({ rgb: [255, 255, 255], alpha: 0.5 });
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
  });

  it('picks light or dark colours from the background, at least 4.5:1 on any background', () => {
    expect(themeFor([255, 255, 255]).theme).toBe('light');
    expect(themeFor([33, 33, 33]).theme).toBe('dark'); // ChatGPT dark
    expect(themeFor([19, 19, 20]).theme).toBe('dark'); // Gemini dark
    for (let v = 0; v <= 255; v += 5) {
      for (const bg of [
        [v, v, v],
        [v, 0, 0],
        [0, v, 0],
        [0, 0, v],
        [255, v, v],
      ] as Rgb[]) {
        const fg = themeFor(bg).foreground;
        const rgb = [1, 3, 5].map((i) => parseInt(fg.slice(i, i + 2), 16)) as Rgb;
        expect(contrastRatio(rgb, bg), `${fg} on rgb(${bg})`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('takes the background of the first painted ancestor, not the OS setting', () => {
    document.body.innerHTML = '<div id="page" style="background-color: rgb(33, 33, 33)"><div id="bar"><span id="slot"></span></div></div>';
    expect(backgroundBehind(document.getElementById('slot'))).toEqual([33, 33, 33]);
    document.body.innerHTML = '<div id="slot"></div>';
    expect(backgroundBehind(document.getElementById('slot'))).toEqual([255, 255, 255]);
  });

  it('themes buttons placed together after the next frame, reading each shared ancestor’s style once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'requestAnimationFrame'] });
    const roots = captureShadowRoots();
    document.body.innerHTML = `<main style="background-color: rgb(33, 33, 33)">${'<section><div class="bar"></div></section>'.repeat(5)}</main>`;
    const read = vi.spyOn(window, 'getComputedStyle');
    for (const bar of document.querySelectorAll('.bar')) bar.append(createButton(document, { label: 'x', title: 't' }, () => {}).host);
    const themes = () => roots.map((root) => root.querySelector('button')!.dataset.theme);
    await Promise.resolve();
    expect(read).not.toHaveBeenCalled(); // nothing read while the page is still changing
    await vi.advanceTimersByTimeAsync(50);
    expect(themes()).toEqual(['dark', 'dark', 'dark', 'dark', 'dark']);
    // Each button's bar and section, then <main> once: 11 reads, not 5 × 3.
    expect(read).toHaveBeenCalledTimes(11);
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('shows a saved state after a successful click', () => {
    const roots = captureShadowRoots();
    const button = createButton(document, { label: "Doesn't sound local", title: 't' }, () => {});
    document.body.append(button.host);
    button.showHint('Saved as a draft.');
    const inner = roots[0]!.querySelector('button')!;
    expect(inner.hasAttribute('data-saved')).toBe(true);
    expect(inner.getAttribute('aria-label')).toBe("Doesn't sound local — Saved as a draft.");
    vi.restoreAllMocks();
  });
});

describe('the in-page button in another UI language', () => {
  it('takes its labels’ new text when relabelled, built buttons and later ones alike, the saved note too', () => {
    const roots = captureShadowRoots();
    document.body.innerHTML = readOwnFixture('chatgpt-2026-09.html').replace(/^[\s\S]*<body[^>]*>|<\/body>[\s\S]*$/g, '');
    const labels = { label: "Doesn't sound local", title: 'Report where this answer doesn’t sound local' };
    const injector = createInjector({
      adapter: chatgpt,
      doc: document,
      win: window,
      labels,
      messages: { saved: 's', savedOpenPopup: 'o', failed: 'f', tooLong: (n) => `too long: ${n}` },
      send: async () => ({ ok: true, report_id: 'r', popup_opened: false }),
    });
    injector.reconcileNow();
    const inner = () => roots.map((root) => root.querySelector('button')!);
    expect(inner().length).toBeGreaterThan(1);
    const messages = { saved: 'Saved as a draft.' };
    const saved = createButton(document, labels, () => {});
    saved.showHint(() => messages.saved);
    expect(inner().at(-1)!.getAttribute('aria-label')).toBe("Doesn't sound local — Saved as a draft.");
    messages.saved = 'Als Entwurf gespeichert.';
    labels.label = 'Klingt nicht nach hier';
    labels.title = 'Melden, wo diese Antwort nicht nach hier klingt';
    injector.relabel();
    saved.relabel();
    const [savedInner, ...placed] = [inner().at(-1)!, ...inner().slice(0, -1)];
    for (const button of placed) {
      expect(button.getAttribute('aria-label')).toBe('Klingt nicht nach hier');
      expect(button.title).toBe('Melden, wo diese Antwort nicht nach hier klingt');
    }
    expect(savedInner.getAttribute('aria-label')).toBe('Klingt nicht nach hier — Als Entwurf gespeichert.');
    expect(savedInner.title).toBe('Als Entwurf gespeichert.');
    injector.stop();
    vi.restoreAllMocks();
  });
});

// On shared captures (skipped, and counted, without ../shared); tests/unit/injector.test.ts
// covers the same on written pages.
describeCaptures('the injector', () => {
  it('places one button per finished answer and none twice, however often it reconciles', () => {
    document.documentElement.innerHTML = new DOMParser().parseFromString(
      readCapture('chatgpt', 'revivalstack__chatgpt-dom-5question-ans-pairs.html'),
      'text/html',
    ).documentElement.innerHTML;
    const injector = createInjector({
      adapter: chatgpt,
      doc: document,
      win: window,
      labels: { label: 'x', title: 't' },
      messages: { saved: 's', savedOpenPopup: 'o', failed: 'f', tooLong: (n) => `too long: ${n}` },
      send: async () => ({ ok: true, report_id: 'r', popup_opened: false }),
    });
    injector.reconcileNow();
    injector.reconcileNow();
    expect(document.getElementsByTagName(BUTTON_TAG)).toHaveLength(5);
    // Each sits in its answer's action bar, none inside the answer text.
    for (const host of document.getElementsByTagName(BUTTON_TAG)) {
      expect(host.parentElement?.getAttribute('aria-label')).toBe('Response actions');
    }
    // No action bar: the button goes right after the answer.
    for (const bar of document.querySelectorAll('[aria-label="Response actions"]')) bar.remove();
    injector.reconcileNow();
    const hosts = [...document.getElementsByTagName(BUTTON_TAG)];
    expect(hosts).toHaveLength(5);
    for (const host of hosts) expect(host.previousElementSibling?.matches('[data-testid^="conversation-turn-"]')).toBe(true);
    injector.stop();
    expect(document.getElementsByTagName(BUTTON_TAG)).toHaveLength(0);
  });
});

describeCaptures('a late action bar', () => {
  it('moves a button placed after the answer into the bar when the site draws it a moment later', () => {
    document.documentElement.innerHTML = new DOMParser().parseFromString(
      readCapture('chatgpt', 'revivalstack__chatgpt-dom-2question-ans-pairs.html'),
      'text/html',
    ).documentElement.innerHTML;
    const bars = [...document.querySelectorAll('[aria-label="Response actions"]')];
    const parents = bars.map((bar) => [bar.parentElement!, bar] as const);
    bars.forEach((bar) => bar.remove());
    const injector = createInjector({
      adapter: chatgpt,
      doc: document,
      win: window,
      labels: { label: 'x', title: 't' },
      messages: { saved: 's', savedOpenPopup: 'o', failed: 'f', tooLong: (n) => `too long: ${n}` },
      send: async () => ({ ok: true, report_id: 'r', popup_opened: false }),
    });
    injector.reconcileNow();
    const hosts = [...document.getElementsByTagName(BUTTON_TAG)];
    expect(hosts).toHaveLength(2);
    expect(hosts.every((h) => h.parentElement?.getAttribute('aria-label') !== 'Response actions')).toBe(true);
    for (const [parent, bar] of parents) parent.append(bar);
    injector.reconcileNow();
    const moved = [...document.getElementsByTagName(BUTTON_TAG)];
    expect(moved).toEqual(hosts);
    expect(moved.every((h) => h.parentElement?.getAttribute('aria-label') === 'Response actions')).toBe(true);
    injector.stop();
  });
});
