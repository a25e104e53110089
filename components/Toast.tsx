// A short message at the bottom with one optional action (Undo). It stays while the
// keyboard focus is inside it, so a keyboard user can reach the action in time.
import { useEffect, useRef } from 'preact/hooks';
import { t } from '@/lib/ui/i18n';

export interface ToastMessage {
  id: number;
  text: string;
  action?: { label: string; run: () => void };
}

export function Toast(props: {
  toast: ToastMessage | null;
  onDismiss: () => void;
  timeoutMs?: number;
  /** Move focus to the action when the toast appears (the control that was used is gone). */
  focusAction?: boolean;
  /** Where focus goes when the toast closes while it had focus. */
  returnFocus?: () => void;
}) {
  const root = useRef<HTMLDivElement>(null);
  const { toast } = props;

  const hasFocus = () => Boolean(root.current?.contains(root.current.ownerDocument.activeElement));
  const dismiss = () => {
    const focused = hasFocus();
    props.onDismiss();
    if (focused) queueMicrotask(() => props.returnFocus?.());
  };

  useEffect(() => {
    if (!toast) return;
    if (props.focusAction) root.current?.querySelector<HTMLButtonElement>('button.toast-action')?.focus();
    const timer = setInterval(() => {
      if (hasFocus()) return;
      props.onDismiss();
    }, props.timeoutMs ?? 10_000);
    return () => clearInterval(timer);
  }, [toast?.id]);

  return (
    <div ref={root} class="toast-region" role="status" aria-live="polite">
      {toast ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the toast (its Undo button included) dismisses it
        <div
          class="toast"
          key={toast.id}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              dismiss();
            }
          }}
        >
          <span class="toast-text">{toast.text}</span>
          {toast.action ? (
            <button
              type="button"
              class="toast-action"
              onClick={() => {
                toast.action!.run();
                dismiss();
              }}
            >
              {toast.action.label}
            </button>
          ) : null}
          <button type="button" class="icon-button" aria-label={t('dismiss')} onClick={dismiss}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
