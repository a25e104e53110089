// Upload progress as the background reports it (upload-status): a progress bar while a run
// sends, and "Will retry at … — Retry now" while reports wait for a retry. Used by the
// review screen after Upload and above the report list when the popup reopens mid-upload.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { UploadStatus } from '@/lib/ui/api';
import { formatClock } from '@/lib/ui/format';
import { t, tp, uiLanguage } from '@/lib/ui/i18n';
import { useServices } from './services';

export const FAST_POLL_MS = 500;
const SLOW_POLL_MS = 3_000;

/** Polls upload-status: every 500 ms while a run sends, every few seconds while reports wait. */
export function useUploadStatus(options: { enabled?: boolean; onIdle?: () => void } = {}) {
  const { api } = useServices();
  const [status, setStatus] = useState<UploadStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nudge, setNudge] = useState(0);
  const wasBusy = useRef(false);
  const onIdle = useRef(options.onIdle);
  onIdle.current = options.onIdle;
  const enabled = options.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const next = await api.uploadStatus();
        if (!live) return;
        setStatus(next);
        setError(null);
        const busy = next.running || next.pending > 0;
        if (wasBusy.current && !busy) onIdle.current?.();
        wasBusy.current = busy;
        if (busy) timer = setTimeout(tick, next.running ? FAST_POLL_MS : SLOW_POLL_MS);
      } catch (e) {
        if (!live) return;
        setError((e as Error).message);
        timer = setTimeout(tick, SLOW_POLL_MS);
      }
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [enabled, nudge]);

  /** Ask for a retry now and poll fast again. */
  const retryNow = async () => {
    try {
      await api.uploadNow();
      wasBusy.current = true;
      setNudge((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return { status, error, retryNow, refresh: () => setNudge((n) => n + 1) };
}

export function UploadProgressBar(props: { done: number; total: number }) {
  const total = Math.max(props.total, props.done, 0);
  const done = Math.min(props.done, total);
  const percent = total ? Math.round((done / total) * 100) : 0;
  const text = t('uploadProgressText', [done, total]);
  return (
    <div class="upload-progress">
      <div
        class="progress"
        role="progressbar"
        aria-label={t('uploadProgressLabel')}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={text}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p class="progress-text" aria-hidden="true">
        {text}
      </p>
    </div>
  );
}

/** The last error while reports stay queued, when the next attempt is, and Retry now. */
export function RetryNotice(props: { status: UploadStatus; onRetry: () => void }) {
  const { status } = props;
  return (
    <div class="notice notice-error retry-notice" role="alert">
      {status.last_error ? <p class="retry-error">{status.last_error}</p> : null}
      {/* Batches the endpoint refused the token for (401) wait for the user, not for a timer. */}
      {status.held
        .filter((h) => h.reason !== status.last_error)
        .map((h) => (
          <p key={`${h.endpoint} ${h.drive_id ?? ''}`} class="retry-error">
            {h.reason}
          </p>
        ))}
      <div class="actions">
        <span>
          {(status.next_attempt_at ? `${t('uploadWillRetryAt', formatClock(status.next_attempt_at, uiLanguage()))} — ` : '') +
            tp('uploadWaiting', status.pending)}
        </span>
        <button type="button" onClick={props.onRetry}>
          {t('uploadRetryNow')}
        </button>
      </div>
    </div>
  );
}

/** Above the report list: an upload that is still sending, or waiting for a retry. */
export function UploadStatusBanner(props: { onIdle: () => void }) {
  const { status, retryNow } = useUploadStatus({ onIdle: props.onIdle });
  if (!status || (!status.running && status.pending === 0)) return null;
  return (
    <section class={`upload-banner${status.running ? ' running' : ''}`} aria-label={t('uploadStatusTitle')}>
      {status.running ? (
        <>
          <p class="upload-running">{t('uploadRunning')}</p>
          <UploadProgressBar done={status.progress?.done ?? 0} total={status.progress?.total ?? status.pending} />
        </>
      ) : (
        <RetryNotice status={status} onRetry={() => void retryNow()} />
      )}
    </section>
  );
}
