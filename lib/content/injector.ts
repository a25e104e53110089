// One DOM watcher for the whole page (DESIGN §6), doing nothing per streamed token:
// - While no answer streams, a MutationObserver on the document schedules a batched
//   reconcile: the adapter finds the answers, and each finished one near the viewport gets
//   exactly one `sounds-local-button` (a closed shadow root, its style and contents). An
//   answer far from the viewport costs one IntersectionObserver entry and nothing else
//   (not even a look at whether it finished) until it scrolls near.
// - While an answer streams, the observer watches only the streaming answers' ancestors
//   (a new turn, a remount, a navigation change those), never the answer's own subtree, so
//   tokens cost nothing; a poll once a second asks the adapter whether the answer finished and,
//   as the fallback when a site's signal is missing or renamed, counts it finished once its
//   text length has not changed for a settle interval while the adapter sees no stop control.
//   The poll reads the whole text only when the answer's last text node stayed the same.
// No layout reads anywhere: the viewport test is the IntersectionObserver's (the keyboard
// shortcut's "answer on screen" fallback measures, but only when the shortcut is pressed).
import type { SiteAdapter } from '../adapters/types';
import type { CaptureMessage, PageStatusMessage, ReplyOf } from '../messages';
import { readText } from '../adapters/dom';
import { BUTTON_TAG, createButton, type ButtonLabels, type MountedButton } from './button';
import { describeStructure } from './fingerprint';

export interface InjectorDeps {
  adapter: SiteAdapter;
  doc: Document;
  win: Window;
  /** Read when a button is built and on `relabel()`: the content script changes their text in place. */
  labels: ButtonLabels;
  /** Send the capture to the background; resolves with its reply. */
  send(payload: CaptureMessage): Promise<ReplyOf<'capture'>>;
  /** Tell the background whether this page can be read (drift safety net). */
  reportStatus?(status: Omit<PageStatusMessage, 'type' | 'site'>): void;
  messages: { saved: string; savedOpenPopup: string; failed: string; tooLong: (length: number) => string };
  /** Longest answer the background accepts; longer ones are refused here without sending. */
  maxAnswerLength?: number;
  /** Minimum gap between reconciles while the page keeps changing. */
  intervalMs?: number;
  /** How long an answer's text must stay unchanged to count as finished without a site signal. */
  settleMs?: number;
  /** How often a streaming answer is looked at. */
  pollMs?: number;
  /**
   * Places buttons only on answers near the viewport (the rest when they scroll near).
   * Without it every answer counts as near.
   */
  IntersectionObserver?: typeof IntersectionObserver;
  /** True once this content script's extension was reloaded or removed (an orphaned script). */
  orphaned?(): boolean;
}

/** Longest stretch of button building in one pass: long conversations get theirs in slices. */
const SLICE_MS = 10;
/** The settle fallback: an answer whose text stayed the same this long is finished. */
const SETTLE_MS = 1_500;
/**
 * A streaming answer is looked at this often (1 Hz): its site signal, then its text length.
 * Site signals at the answer itself or around it (an action bar appended, a streaming flag
 * flipped) arrive sooner, through the observer.
 */
const POLL_MS = 1_000;
/**
 * Some sites say "finished" a moment before they draw the action bar: for this long after
 * a fallback placement, a reconcile moves the button into the bar once it appears.
 */
const LATE_BAR_MS = 10_000;
/** While only answers' insides change, a full pass still runs this often. */
const FULL_EVERY_MS = 2_000;
/** "Near the viewport": within this margin of it (two screens above and below). */
const NEAR_MARGIN = '200% 0px';

interface Placement {
  answer: Element;
  host: HTMLElement;
  button: MountedButton;
  /** Placed right after the answer because the action bar wasn't there (yet). */
  fallbackSince?: number;
}

/** A near answer that is not finished yet, as the poll last saw it. */
interface Pending {
  /** Its last text node and that node's length: streamed text changes them (cheap to read). */
  leaf: Node;
  leafLength: number;
  /** Its whole text length, read only once the leaf stays the same (undefined until then). */
  length?: number;
  changedAt: number;
  /** When the poll next measures its length (the site signal is asked every poll). */
  checkAt: number;
}

export function createInjector(deps: InjectorDeps) {
  const { adapter, doc, win } = deps;
  const interval = deps.intervalMs ?? 200;
  const settleMs = deps.settleMs ?? SETTLE_MS;
  const pollMs = deps.pollMs ?? POLL_MS;
  const attributeFilter = adapter.streamingAttributes?.length ? [...adapter.streamingAttributes] : undefined;
  const watchAttributes = attributeFilter ? { attributes: true, attributeFilter } : {};
  const placements = new Map<Element, Placement>();
  const pending = new Map<Element, Pending>();
  /** Answers the IntersectionObserver watches, and those it has seen near the viewport. */
  const watched = new Set<Element>();
  const near = new Set<Element>();
  /** Every answer the last full pass found. */
  let known = new Set<Element>();
  /** Answers whose insides changed (or that came near) since the last pass. */
  const touched = new Set<Element>();
  /** Something changed outside every known answer: only a full pass can tell what. */
  let needFull = true;
  let lastFull = 0;
  let scheduled = false;
  let lastRun = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  let observer: MutationObserver | undefined;
  let io: IntersectionObserver | undefined;
  /** 'document' while nothing streams; 'around' while watching streaming answers' ancestors. */
  let mode: 'off' | 'document' | 'around' = 'off';
  let lastStatus: string | undefined;
  let pageKey = currentPageKey();
  let stopped = false;
  /** Answers whose capture is on its way: a second click or shortcut waits for the first. */
  const capturing = new Set<Element>();
  /**
   * The element the pointer last came over, for the keyboard shortcut. `pointerover` fires
   * only when the pointer crosses into another element (never per pixel moved), and keeping
   * its target reads no layout: nothing is measured until the shortcut is pressed.
   */
  let pointerTarget: Node | null = null;
  const onPointerOver = (event: Event) => {
    pointerTarget = event.target as Node | null;
  };
  const onPointerOut = (event: Event) => {
    // Left the page (to the browser's toolbar, another window): no answer is "under" it.
    if (!(event as PointerEvent).relatedTarget) pointerTarget = null;
  };

  const now = () => win.performance?.now() ?? Date.now();

  /**
   * The page's address without its fragment. Navigation is read from `location` itself, never
   * from events: a page can dispatch any event it likes (WXT's `wxt:locationchange` included).
   */
  function currentPageKey(): string {
    const href = win.location.href;
    const hash = href.indexOf('#');
    return hash < 0 ? href : href.slice(0, hash);
  }

  /** True when the script must stop, or the conversation changed (then everything was reset). */
  function checkPage(): boolean {
    if (deps.orphaned?.()) {
      stop();
      return true;
    }
    const key = currentPageKey();
    if (key === pageKey) return false;
    pageKey = key;
    reset();
    return false;
  }

  /** Returns true when the button went into the site's action bar. */
  function place(answer: Element, host: HTMLElement): boolean {
    const bar = adapter.actionBar(answer);
    if (bar) bar.append(host);
    else answer.after(host); // never inside the answer's text, never breaking its layout
    return Boolean(bar);
  }

  /** A finished answer near the viewport: its button. */
  function addButton(answer: Element) {
    pending.delete(answer);
    const button = createButton(doc, deps.labels, () => void capture(answer, button));
    const placement: Placement = { answer, host: button.host, button };
    placements.set(answer, placement);
    placement.fallbackSince = place(answer, placement.host) ? undefined : Date.now();
  }

  /** A re-render removed our host (React drops foreign nodes): put it back. */
  function replace(placement: Placement) {
    placement.fallbackSince = place(placement.answer, placement.host) ? undefined : Date.now();
  }

  function keepPlaced(placement: Placement) {
    if (!placement.host.isConnected) return replace(placement);
    if (placement.fallbackSince === undefined) return;
    if (Date.now() - placement.fallbackSince > LATE_BAR_MS) placement.fallbackSince = undefined;
    else {
      const bar = adapter.actionBar(placement.answer);
      if (bar && placement.host.parentElement !== bar) {
        bar.append(placement.host);
        placement.fallbackSince = undefined;
      }
    }
  }

  /** Whether the answer is near the viewport; starts watching it if nobody does yet. */
  function isNear(answer: Element): boolean {
    if (!io) return true;
    if (!watched.has(answer)) {
      watched.add(answer);
      io.observe(answer);
    }
    return near.has(answer);
  }

  const textLength = (answer: Element) => answer.textContent?.length ?? 0;

  /**
   * The answer's last text node with something in it, looked for backwards from its end:
   * what streaming changes. Trailing chrome without text (an empty action row, a typing
   * cursor) is stepped over; after a few dozen steps without text, the last node is used
   * (then the poll measures the whole text, as it does whenever this node stays the same).
   */
  function lastText(answer: Element): Node {
    let node: Node = answer;
    while (node.lastChild) node = node.lastChild;
    const last = node;
    for (let steps = 0; steps < 64 && node !== answer; steps++) {
      if (node.nodeType === 3 /* TEXT_NODE */ && /\S/.test(node.nodeValue!)) return node;
      if (node.previousSibling) {
        node = node.previousSibling;
        while (node.lastChild) node = node.lastChild;
      } else node = node.parentNode!;
    }
    return last;
  }

  /** A near answer without a button: finished (button now) or streaming (the poll watches it). */
  function consider(answer: Element) {
    if (adapter.isFinished(answer)) return addButton(answer);
    if (pending.has(answer)) return;
    const t = Date.now();
    const leaf = lastText(answer);
    pending.set(answer, { leaf, leafLength: leaf.nodeValue?.length ?? 0, changedAt: t, checkAt: t + pollMs });
  }

  /** One full pass; with `sliceMs`, building buttons stops after that long and resumes soon. */
  function reconcile(sliceMs = Infinity) {
    scheduled = false;
    if (checkPage()) return;
    lastRun = lastFull = Date.now();
    needFull = false;
    touched.clear();
    const deadline = now() + sliceMs;
    let unfinished = false;
    const answers = adapter.findAnswers(doc);
    const current = new Set(answers);
    // An answer element not seen before (a new turn, a remount's copies): only then can our
    // hosts have been copied or left behind somewhere (counting them walks the whole page).
    let fresh = false;
    for (const answer of answers) {
      if (!known.has(answer)) {
        fresh = true;
        break;
      }
    }
    known = current;
    for (const [answer, placement] of placements) {
      if (!current.has(answer) || !answer.isConnected) {
        placement.host.remove();
        placements.delete(answer);
      }
    }
    for (const answer of watched) {
      if (current.has(answer)) continue;
      io?.unobserve(answer);
      watched.delete(answer);
      near.delete(answer);
    }
    for (const answer of pending.keys()) if (!current.has(answer)) pending.delete(answer);
    for (const answer of answers) {
      const existing = placements.get(answer);
      if (existing) {
        keepPlaced(existing);
        continue;
      }
      // Far from the viewport: watched, nothing more until it comes near.
      if (!isNear(answer)) continue;
      if (now() > deadline) {
        unfinished = true;
        break;
      }
      consider(answer);
    }
    if (fresh) removeStrays();
    reportStatus(answers.length);
    rearm();
    if (unfinished) {
      needFull = true;
      schedule(0);
    }
  }

  /**
   * The light pass: only answers whose insides changed (a re-render dropping our host) or
   * that came near the viewport. Changes inside an answer can't add, remove or reorder
   * answers; those change something outside, which asks for a full pass.
   */
  function reconcileTouched() {
    scheduled = false;
    if (checkPage()) return;
    lastRun = Date.now();
    for (const answer of touched) {
      if (!answer.isConnected) return reconcile(SLICE_MS);
      const existing = placements.get(answer);
      if (existing) keepPlaced(existing);
      else consider(answer);
    }
    touched.clear();
    rearm();
  }

  /** Watch the whole document, or only around the streaming answers, and poll those. */
  function rearm() {
    if (stopped || !observer) return;
    if (!pending.size) {
      if (pollTimer) clearTimeout(pollTimer);
      pollTimer = undefined;
      if (mode === 'document') return;
      observer.disconnect();
      observer.observe(doc.documentElement, { childList: true, subtree: true, ...watchAttributes });
      mode = 'document';
      return;
    }
    observer.disconnect();
    const watchedNodes = new Set<Node>();
    for (const answer of pending.keys()) {
      // The answer's own children and attributes (an action bar appended, a site's
      // "streaming" flag), never its subtree, where the tokens arrive.
      observer.observe(answer, { childList: true, ...watchAttributes });
      for (let el = answer.parentNode; el && !watchedNodes.has(el); el = el.parentNode) {
        watchedNodes.add(el);
        if (el.nodeType === 1) observer.observe(el, { childList: true, ...watchAttributes });
        else observer.observe(el, { childList: true });
      }
    }
    mode = 'around';
    pollTimer ??= setTimeout(poll, pollMs);
  }

  /** Looks at each streaming answer: the site's signal, else the settle fallback. */
  function poll() {
    pollTimer = undefined;
    if (checkPage() || stopped) return;
    const t = Date.now();
    let finished = false;
    // Elsewhere on the page a re-render may drop a button while this answer streams.
    for (const placement of placements.values()) if (!placement.host.isConnected) needFull = true;
    for (const [answer, state] of pending) {
      if (!answer.isConnected) {
        needFull = true;
        continue;
      }
      if (adapter.isFinished(answer)) {
        addButton(answer);
        finished = true;
        continue;
      }
      if (t < state.checkAt) continue;
      // Streaming appends at the end: a new or longer last text node says "changed" without
      // reading the whole text; only one that stayed the same needs the full length.
      const leaf = lastText(answer);
      const leafLength = leaf.nodeValue?.length ?? 0;
      if (leaf !== state.leaf || leafLength !== state.leafLength) {
        state.leaf = leaf;
        state.leafLength = leafLength;
        state.length = undefined;
        state.changedAt = t;
        state.checkAt = t + pollMs;
        continue;
      }
      const length = textLength(answer);
      if (state.length === undefined) {
        // The first quiet look: the length to compare the next one with.
        state.length = length;
        state.checkAt = t + pollMs;
      } else if (length !== state.length) {
        state.length = length;
        state.changedAt = t;
        state.checkAt = t + pollMs;
      } else if (length > 0 && t - state.changedAt >= settleMs && !adapter.isGenerating?.(doc)) {
        addButton(answer);
        finished = true;
      } else {
        // Unchanged: nothing to learn before it could have settled (or stopped generating).
        state.checkAt = Math.max(t + pollMs, state.changedAt + settleMs);
      }
    }
    // The stream ended: whatever changed around it was seen (its ancestors were watched),
    // and a dropped button elsewhere would have asked for a pass above.
    if (finished && !pending.size && !needFull) return rearm();
    if (needFull) return schedule(0);
    pollTimer = setTimeout(poll, pollMs);
  }

  /** Hosts left behind by a remount (a cloned or moved subtree) that belong to no answer. */
  function removeStrays() {
    const hosts = doc.getElementsByTagName(BUTTON_TAG);
    if (hosts.length === placements.size) return;
    const ours = new Set<Element>();
    for (const placement of placements.values()) ours.add(placement.host);
    for (const host of [...hosts]) if (!ours.has(host)) host.remove();
  }

  function reportStatus(answers: number) {
    if (!deps.reportStatus) return;
    // "Plainly has conversation text": a main region with a fair amount of text, yet no answer found.
    const main = doc.querySelector('main, [role="main"]');
    const unreadable = answers === 0 && (main?.textContent?.trim().length ?? 0) > 400;
    const key = `${answers > 0}:${unreadable}`;
    if (key === lastStatus) return;
    lastStatus = key;
    deps.reportStatus(unreadable ? { answers, unreadable, fingerprint: describeStructure(doc) } : { answers, unreadable });
  }

  function onMutations(records: MutationRecord[]) {
    if (mode === 'around') {
      for (const record of records) {
        // At a streaming answer itself: a look at that answer. Around it: a new turn, a
        // remount or a navigation, which only a full pass can sort out.
        if (pending.has(record.target as Element)) touched.add(record.target as Element);
        else needFull = true;
      }
      return schedule();
    }
    if (scheduled && needFull) return;
    for (const record of records) {
      const owner = needFull ? undefined : answerContaining(record.target);
      if (owner) touched.add(owner);
      else {
        needFull = true;
        break;
      }
    }
    schedule();
  }

  function onIntersections(entries: IntersectionObserverEntry[]) {
    let any = false;
    for (const entry of entries) {
      if (!entry.isIntersecting || !watched.has(entry.target)) continue;
      near.add(entry.target);
      io?.unobserve(entry.target);
      touched.add(entry.target);
      any = true;
    }
    if (any) schedule(0);
  }

  /** The known answer `node` lies in, if any (a walk up its ancestors). */
  function answerContaining(node: Node): Element | undefined {
    for (let el: Node | null = node; el && el !== doc; el = el.parentNode) {
      if (known.has(el as Element)) return el as Element;
    }
    return undefined;
  }

  function schedule(gap = interval) {
    if (scheduled || stopped) return;
    scheduled = true;
    const wait = Math.max(0, gap - (Date.now() - lastRun));
    timer = setTimeout(() => {
      timer = undefined;
      const due = mode === 'document' && Date.now() - lastFull > FULL_EVERY_MS;
      const run = () => (needFull || due ? reconcile(SLICE_MS) : reconcileTouched());
      // Run when the browser is idle if it can tell us, but never later than a frame or two.
      if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(run, { timeout: 100 });
      else win.requestAnimationFrame(run);
    }, wait);
  }

  function selectionInside(answer: Element): { text: string; before: string } | undefined {
    const selection = win.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return undefined;
    const range = selection.getRangeAt(0);
    if (!answer.contains(range.commonAncestorContainer)) return undefined;
    const text = selection.toString();
    if (!text.trim()) return undefined;
    const beforeRange = doc.createRange();
    beforeRange.setStart(answer, 0);
    beforeRange.setEnd(range.startContainer, range.startOffset);
    const holder = doc.createElement('div');
    holder.append(beforeRange.cloneContents());
    return { text: text.slice(0, 2000), before: readText(holder) };
  }

  async function capture(answer: Element, button: MountedButton) {
    if (capturing.has(answer)) return;
    capturing.add(answer);
    button.setBusy(true);
    try {
      const url = new URL(win.location.href);
      const text = adapter.readAnswer(answer);
      if (deps.maxAnswerLength && text.length > deps.maxAnswerLength) {
        button.showHint(deps.messages.tooLong(text.length), 'error');
        return;
      }
      const reply = await deps.send({
        type: 'capture',
        site: adapter.site,
        answer: text,
        prompt: adapter.readPrompt(answer),
        model_label: adapter.modelLabel(doc, answer),
        // The background salts and hashes it (conversation_ref); the id itself is never stored.
        conversation_id: adapter.conversationId(url),
        // Kept locally only, and never with query or fragment (they can carry tokens).
        page_url: url.origin + url.pathname,
        selection: selectionInside(answer),
      });
      if (!reply.ok) button.showHint(reply.error ?? deps.messages.failed, 'error');
      // Read again on relabel: the note follows a new UI language too.
      else button.showHint(reply.popup_opened ? () => deps.messages.saved : () => deps.messages.savedOpenPopup);
    } catch {
      button.showHint(deps.messages.failed, 'error');
    } finally {
      capturing.delete(answer);
      button.setBusy(false);
    }
  }

  /**
   * The finished answer (one with a button) `node` belongs to: inside the answer, or in its
   * action bar, or our own button's host (focus and pointer events stop at a shadow host).
   */
  function finishedAnswerAt(node: Node | null | undefined): Element | undefined {
    if (!node?.isConnected) return undefined;
    for (let el: Node | null = node; el && el !== doc; el = el.parentNode) {
      if (placements.has(el as Element)) return el as Element;
    }
    for (const placement of placements.values()) {
      if (placement.host === node || placement.host.contains(node)) return placement.answer;
      if (adapter.actionBar(placement.answer)?.contains(node)) return placement.answer;
    }
    return undefined;
  }

  /** The bottom-most finished answer that is at least partly on screen (a layout read, on demand only). */
  function lastAnswerInViewport(): Element | undefined {
    const answers = [...known].filter((answer) => placements.has(answer));
    const height = win.innerHeight;
    for (let i = answers.length - 1; i >= 0; i--) {
      const rect = answers[i]!.getBoundingClientRect();
      if (rect.bottom > 0 && rect.top < height && rect.height > 0) return answers[i];
    }
    return undefined;
  }

  /**
   * The keyboard shortcut: the answer holding the focus, else the one holding a selection,
   * else the one under the pointer, else the last finished answer on screen. Captured exactly
   * as its button's click would (same message, same length cap, hint beside its button).
   * Returns the answer chosen, or undefined when there is none.
   */
  function captureCurrent(): Element | undefined {
    if (stopped || checkPage()) return undefined;
    const active = doc.activeElement;
    const selection = win.getSelection();
    const answer =
      (active && active !== doc.body && active !== doc.documentElement ? finishedAnswerAt(active) : undefined) ??
      (selection && !selection.isCollapsed ? finishedAnswerAt(selection.anchorNode) : undefined) ??
      finishedAnswerAt(pointerTarget) ??
      lastAnswerInViewport();
    const placement = answer && placements.get(answer);
    if (!placement) return undefined;
    void capture(placement.answer, placement.button!);
    return placement.answer;
  }

  /** A new conversation (the address changed): forget the old answers' buttons and state. */
  function reset() {
    for (const { host } of placements.values()) host.remove();
    placements.clear();
    pending.clear();
    io?.disconnect();
    watched.clear();
    near.clear();
    known = new Set();
    touched.clear();
    needFull = true;
    lastStatus = undefined;
  }

  function stop() {
    stopped = true;
    doc.removeEventListener('pointerover', onPointerOver, true);
    doc.removeEventListener('pointerout', onPointerOut, true);
    observer?.disconnect();
    io?.disconnect();
    if (timer) clearTimeout(timer);
    if (pollTimer) clearTimeout(pollTimer);
    for (const { host } of placements.values()) host.remove();
    placements.clear();
    pending.clear();
  }

  return {
    start() {
      observer = new MutationObserver(onMutations);
      if (deps.IntersectionObserver) io = new deps.IntersectionObserver(onIntersections, { rootMargin: NEAR_MARGIN });
      doc.addEventListener('pointerover', onPointerOver, { capture: true, passive: true });
      doc.addEventListener('pointerout', onPointerOut, { capture: true, passive: true });
      // The first pass when the page is idle: the script's start stays short on a long conversation.
      schedule(0);
    },
    stop,
    captureCurrent,
    /** The labels changed (another UI language): built buttons take them; the others will when built. */
    relabel() {
      for (const placement of placements.values()) placement.button?.relabel();
    },
    /** A whole pass at once (tests). */
    reconcileNow: () => reconcile(),
  };
}
