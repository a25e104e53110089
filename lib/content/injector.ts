// One DOM watcher for the whole page (DESIGN §6): mutations only schedule a batched
// reconcile; the reconcile finds answers with the site adapter and makes sure each
// finished one has exactly one button. No layout reads, no per-token work: text streaming
// into an answer is filtered out in the observer callback, and anything else that changes
// while an answer streams costs at most one cheap reconcile per interval.
import type { SiteAdapter } from '../adapters/types';
import { readText } from '../adapters/dom';
import { BUTTON_TAG, createButton, type ButtonLabels, type MountedButton } from './button';

export interface CapturePayload {
  type: 'capture';
  site: SiteAdapter['site'];
  answer: string;
  prompt?: string;
  model_label?: string;
  conversation_id?: string;
  page_url?: string;
  selection?: { text: string; before: string };
}

export interface InjectorDeps {
  adapter: SiteAdapter;
  doc: Document;
  win: Window;
  labels: ButtonLabels;
  /** Send the capture to the background; resolves with its reply. */
  send(payload: CapturePayload): Promise<{ ok: boolean; error?: string; popup_opened?: boolean }>;
  /** Tell the background whether this page can be read (drift safety net). */
  reportStatus?(status: { answers: number; unreadable: boolean }): void;
  messages: { saved: string; savedOpenPopup: string; failed: string; tooLong: (length: number) => string };
  /** Longest answer the background accepts; longer ones are refused here without sending. */
  maxAnswerLength?: number;
  /** Minimum gap between reconciles while the page keeps changing. */
  intervalMs?: number;
}

/**
 * Longest stretch of button building in one pass: a long conversation (300 answers) gets
 * its buttons over a few idle slices instead of in one long task (DESIGN §12).
 */
const SLICE_MS = 10;

interface Placement {
  answer: Element;
  button: MountedButton;
  /** Placed right after the answer because the action bar wasn't there (yet). */
  fallbackSince?: number;
}

/**
 * Some sites say "finished" a moment before they draw the action bar: for this long after
 * a fallback placement, a reconcile moves the button into the bar once it appears.
 */
const LATE_BAR_MS = 10_000;

/** While only answers' insides change, a full pass still runs this often. */
const FULL_EVERY_MS = 2_000;

export function createInjector(deps: InjectorDeps) {
  const { adapter, doc } = deps;
  const placements = new Map<Element, Placement>();
  const interval = deps.intervalMs ?? 200;
  let scheduled = false;
  let lastRun = 0;
  let observer: MutationObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastStatus: string | undefined;
  /** Answers the last reconcile found still streaming (no button yet). */
  let streaming = new Set<Element>();
  /** Every answer the last full pass found. */
  let known = new Set<Element>();
  /** Answers whose insides changed since the last pass. */
  const touched = new Set<Element>();
  /** Something changed outside every known answer: only a full pass can tell what. */
  let needFull = true;
  let lastFull = 0;

  /** Returns true when the button went into the site's action bar. */
  function place(answer: Element, host: HTMLElement): boolean {
    const bar = adapter.actionBar(answer);
    if (bar) bar.append(host);
    else answer.after(host); // never inside the answer's text, never breaking its layout
    return Boolean(bar);
  }

  function addButton(answer: Element) {
    const button = createButton(doc, deps.labels, () => void capture(answer, button));
    const inBar = place(answer, button.host);
    placements.set(answer, { answer, button, fallbackSince: inBar ? undefined : Date.now() });
  }

  /** A re-render removed our host (React drops foreign nodes): put it back. */
  function replace(placement: Placement) {
    placement.fallbackSince = place(placement.answer, placement.button.host) ? undefined : Date.now();
  }

  const now = () => deps.win.performance?.now() ?? Date.now();

  /**
   * The light pass: only answers whose insides changed (a streaming answer re-rendering, a
   * re-render dropping our host). Changes inside an answer can't add, remove or reorder
   * answers; those change something outside, which asks for a full pass. A full pass still
   * runs at least every FULL_EVERY_MS, so an adapter signal we didn't foresee lags at most that.
   */
  function reconcileTouched() {
    scheduled = false;
    lastRun = Date.now();
    for (const answer of touched) {
      if (!answer.isConnected) return reconcile(SLICE_MS);
      const existing = placements.get(answer);
      if (existing) {
        if (!existing.button.host.isConnected) replace(existing);
      } else if (adapter.isFinished(answer)) {
        streaming.delete(answer);
        addButton(answer);
      } else streaming.add(answer);
    }
    touched.clear();
  }

  /** One pass; with `sliceMs`, building buttons stops after that long and resumes soon. */
  function reconcile(sliceMs = Infinity) {
    scheduled = false;
    lastRun = Date.now();
    lastFull = lastRun;
    needFull = false;
    touched.clear();
    const deadline = now() + sliceMs;
    let unfinished = false;
    const answers = adapter.findAnswers(doc);
    const current = new Set(answers);
    known = current;
    streaming = new Set();
    for (const [answer, placement] of placements) {
      if (!current.has(answer) || !answer.isConnected) {
        placement.button.host.remove();
        placements.delete(answer);
      }
    }
    for (const answer of answers) {
      const existing = placements.get(answer);
      if (existing) {
        if (!existing.button.host.isConnected) replace(existing);
        else if (existing.fallbackSince !== undefined) {
          if (Date.now() - existing.fallbackSince > LATE_BAR_MS) existing.fallbackSince = undefined;
          else {
            const bar = adapter.actionBar(answer);
            if (bar && existing.button.host.parentElement !== bar) {
              bar.append(existing.button.host);
              existing.fallbackSince = undefined;
            }
          }
        }
        continue;
      }
      if (!adapter.isFinished(answer)) {
        streaming.add(answer);
        continue;
      }
      if (now() > deadline) {
        unfinished = true;
        break;
      }
      addButton(answer);
    }
    removeStrays();
    reportStatus(answers.length);
    if (unfinished) {
      needFull = true;
      schedule(0);
    }
  }

  /** Hosts left behind by a remount (a cloned or moved subtree) that belong to no answer. */
  function removeStrays() {
    const ours = new Set([...placements.values()].map((p) => p.button.host));
    if (doc.getElementsByTagName(BUTTON_TAG).length === ours.size) return;
    for (const host of [...doc.getElementsByTagName(BUTTON_TAG)]) if (!ours.has(host as HTMLElement)) host.remove();
  }

  function reportStatus(answers: number) {
    if (!deps.reportStatus) return;
    // "Plainly has conversation text": a main region with a fair amount of text, yet no answer found.
    const main = doc.querySelector('main, [role="main"]');
    const unreadable = answers === 0 && (main?.textContent?.trim().length ?? 0) > 400;
    const key = `${answers > 0}:${unreadable}`;
    if (key === lastStatus) return;
    lastStatus = key;
    deps.reportStatus({ answers, unreadable });
  }

  /**
   * Filters early (DESIGN §6: no work per streamed token). A token is text added inside an
   * answer that is still streaming: it can't add or finish an answer or move a button (those
   * take elements, a removal or an attribute change, which still schedule), so it is skipped.
   */
  function onMutations(records: MutationRecord[]) {
    if (scheduled && needFull) return;
    let changed = false;
    for (const record of records) {
      if (isStreamedText(record)) continue;
      changed = true;
      const owner = needFull ? undefined : answerContaining(record.target);
      if (owner) touched.add(owner);
      else {
        needFull = true;
        break;
      }
    }
    if (changed) schedule();
  }

  /** The known answer `node` lies in, if any (a walk up its ancestors). */
  function answerContaining(node: Node): Element | undefined {
    for (let el: Node | null = node; el && el !== doc; el = el.parentNode) {
      if (known.has(el as Element)) return el as Element;
    }
    return undefined;
  }

  function isStreamedText(record: MutationRecord): boolean {
    if (record.type !== 'childList' || record.removedNodes.length || !streaming.size) return false;
    for (const node of record.addedNodes) if (node.nodeType !== 3 /* TEXT_NODE */) return false;
    for (let el = record.target as Element | null; el && el.nodeType === 1; el = el.parentElement) {
      if (streaming.has(el)) return true;
    }
    return false;
  }

  function schedule(gap = interval) {
    if (scheduled) return;
    scheduled = true;
    const wait = Math.max(0, gap - (Date.now() - lastRun));
    timer = setTimeout(() => {
      timer = undefined;
      const run = () => (needFull || Date.now() - lastFull > FULL_EVERY_MS ? reconcile(SLICE_MS) : reconcileTouched());
      // Run when the browser is idle if it can tell us, but never later than a frame or two.
      if (typeof deps.win.requestIdleCallback === 'function') deps.win.requestIdleCallback(run, { timeout: 100 });
      else deps.win.requestAnimationFrame(run);
    }, wait);
  }

  function selectionInside(answer: Element): { text: string; before: string } | undefined {
    const selection = deps.win.getSelection();
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
    button.setBusy(true);
    try {
      const url = new URL(deps.win.location.href);
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
        conversation_id: adapter.conversationId(url),
        page_url: url.origin + url.pathname,
        selection: selectionInside(answer),
      });
      if (!reply.ok) button.showHint(reply.error ?? deps.messages.failed, 'error');
      else button.showHint(reply.popup_opened ? deps.messages.saved : deps.messages.savedOpenPopup);
    } catch (error) {
      button.showHint(deps.messages.failed, 'error');
    } finally {
      button.setBusy(false);
    }
  }

  return {
    start() {
      observer = new MutationObserver(onMutations);
      observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-is-streaming', 'class', 'aria-busy', 'data-streaming-complete'] });
      reconcile(SLICE_MS);
    },
    /** SPA navigation to another conversation: forget the old answers. */
    reset() {
      for (const { button } of placements.values()) button.host.remove();
      placements.clear();
      streaming.clear();
      known = new Set();
      needFull = true;
      lastStatus = undefined;
      schedule();
    },
    stop() {
      observer?.disconnect();
      if (timer) clearTimeout(timer);
      for (const { button } of placements.values()) button.host.remove();
      placements.clear();
    },
    /** A whole pass at once (tests). */
    reconcileNow: () => reconcile(),
  };
}
