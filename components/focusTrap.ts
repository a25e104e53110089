// Dialogs keep the keyboard inside them while open (Tab from the last control goes to the
// first, Shift+Tab from the first to the last) and give it back to where it was when they close.
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** The controls Tab reaches inside `root`, in order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !(el as HTMLButtonElement).disabled &&
      !(el instanceof HTMLInputElement && el.type === 'hidden') &&
      !el.closest('[hidden], [inert]') &&
      // A radio group is one Tab stop: the checked radio, or the first when none is.
      !(el instanceof HTMLInputElement && el.type === 'radio' && !isGroupStop(el, root)),
  );
}

function isGroupStop(radio: HTMLInputElement, root: HTMLElement): boolean {
  if (!radio.name) return true;
  const group = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')].filter((r) => r.name === radio.name && !r.disabled);
  const checked = group.find((r) => r.checked);
  return checked ? checked === radio : group[0] === radio;
}

/** Call from the dialog's keydown: wraps Tab and Shift+Tab at its edges. */
export function trapTab(event: KeyboardEvent, root: HTMLElement | null | undefined) {
  if (event.key !== 'Tab' || !root) return;
  const stops = tabbables(root);
  if (!stops.length) {
    event.preventDefault();
    return;
  }
  const first = stops[0]!;
  const last = stops[stops.length - 1]!;
  const active = root.ownerDocument.activeElement;
  if (event.shiftKey && (active === first || !root.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !root.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * While the component is mounted, remembers what had the focus when it opened; on close,
 * focus goes back there if it would otherwise be lost (on the page body, or on a removed node).
 * `focusFirst`: move the focus into the dialog when it opens.
 */
export function useReturnFocus(root: RefObject<HTMLElement>, options: { focusFirst?: boolean } = {}) {
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const dialog = root.current;
    const doc = dialog?.ownerDocument ?? document;
    opener.current = doc.activeElement instanceof HTMLElement && doc.activeElement !== doc.body ? doc.activeElement : null;
    if (options.focusFirst && dialog && !dialog.contains(doc.activeElement)) tabbables(dialog)[0]?.focus();
    return () => {
      const back = opener.current;
      const active = doc.activeElement;
      const lost = !active || active === doc.body || !active.isConnected || Boolean(dialog?.contains(active));
      if (back?.isConnected && lost) back.focus();
    };
  }, []);
}
