// The drift safety net in the popup: a supported site the content script can't read, and
// a button that copies the page's structure (lib/content/fingerprint.ts: tags, attribute
// names, class prefixes; no text) for a bug report, so a maintainer can fix the adapter.
import { useState } from 'preact/hooks';
import type { Report } from '@/lib/report';
import type { AppState } from '@/lib/ui/api';
import { siteName } from '@/lib/ui/format';
import { t } from '@/lib/ui/i18n';

/** What the button copies: each unreadable page's outline, headed by its site. */
export function driftReportText(drift: AppState['drift']): string {
  return drift.map((d) => `Site: ${d.site}\n${d.fingerprint}`).join('\n\n');
}

export function DriftNotice(props: { state: Pick<AppState, 'unreadable' | 'drift'> }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const { unreadable, drift } = props.state;
  if (!unreadable.length) return null;

  async function copy() {
    try {
      await navigator.clipboard.writeText(driftReportText(drift));
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div class="notice notice-warn drift-notice">
      <p>{t('unreadableNotice', [...new Set(unreadable)].map((s) => siteName(s as Report['site'])).join(', '))}</p>
      {drift.length ? (
        <p>
          <button type="button" onClick={() => void copy()}>
            {t('driftCopy')}
          </button>{' '}
          <span role="status">{copied === 'yes' ? t('driftCopied') : copied === 'failed' ? t('driftCopyFailed') : ''}</span>
        </p>
      ) : null}
    </div>
  );
}
