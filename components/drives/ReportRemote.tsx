// An uploaded report's place on its endpoint (DESIGN §8a): where it went, whether the
// receiver holds an updated copy, and Withdraw — a DELETE with the report's owner key that
// goes through the outbox like an upload (retried until the receiver answers).
import { useEffect, useState } from 'preact/hooks';
import type { ReportReceipt } from '@/lib/ui/api';
import type { ReportStatus } from '@/lib/report';
import { t } from '@/lib/ui/i18n';
import { useServices } from '../services';

const POLL_MS = 1_000;

export function ReportRemote(props: { reportId: string; status: ReportStatus; onChanged?: () => void }) {
  const { api } = useServices();
  const [receipt, setReceipt] = useState<ReportReceipt | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [nudge, setNudge] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const next = await api.reportReceipt(props.reportId);
        if (!live) return;
        setReceipt(next);
        if (next?.remote === 'withdrawing') timer = setTimeout(load, POLL_MS);
        else if (next?.remote === 'withdrawn') props.onChanged?.();
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [props.reportId, nudge]);

  if (!receipt) return null;
  const host = new URL(receipt.endpoint).host;

  async function withdraw() {
    setError(null);
    try {
      await api.withdrawReport(props.reportId);
      setNudge((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <section class="report-remote" aria-label={t('remoteTitle')}>
      <p role="status">
        {receipt.remote === 'withdrawn'
          ? t('remoteWithdrawn', host)
          : receipt.remote === 'withdrawing'
            ? t('remoteWithdrawing', host)
            : receipt.remote === 'updated'
              ? t('remoteUpdated', host)
              : t('remoteUploaded', host)}
      </p>
      {(receipt.remote === 'accepted' || receipt.remote === 'updated') && props.status !== 'uploading' ? (
        <>
          <p class="help">{t('remoteEditHelp')}</p>
          <button type="button" onClick={() => void withdraw()}>
            {t('remoteWithdraw', host)}
          </button>
        </>
      ) : null}
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
