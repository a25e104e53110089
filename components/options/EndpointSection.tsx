// The community endpoint reports are uploaded to, and its optional access token. The
// background validates the address (https only, except localhost / 127.0.0.1) and its
// message is shown beside the field as it is. The host permission is asked for later,
// from the Upload click (DESIGN §8), not here. The token is filed under the endpoint's
// origin in the background and never comes back to this page: the field only replaces it,
// and changing the endpoint to another site forgets it (DESIGN §9c).
import { useState } from 'preact/hooks';
import { t } from '@/lib/ui/i18n';
import { useServices } from '../services';
import { Field, describedBy } from '../Field';
import type { SectionProps } from './OptionsPage';

export function EndpointSection({ state, refresh }: SectionProps) {
  const { api } = useServices();
  const saved = state.settings.endpoint;
  const [endpoint, setEndpoint] = useState(saved ?? '');
  const [token, setToken] = useState('');
  const [showToken, setShowToken] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    setMessage(null);
    setBusy(true);
    try {
      const settings = await api.setSettings({ endpoint: endpoint.trim(), ...(token.trim() ? { token: token.trim() } : {}) });
      setError(undefined);
      setToken('');
      setEndpoint(settings.endpoint ?? '');
      setMessage(settings.endpoint ? t('endpointSaved', settings.endpoint) : t('endpointRemoved'));
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function forgetToken() {
    setMessage(null);
    try {
      await api.setSettings({ token: '' });
      setMessage(t('tokenForgotten'));
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <form class="section-body" noValidate onSubmit={save}>
      <p class="help">{t('optionsEndpointIntro')}</p>
      <p class="current-endpoint">
        {saved ? (
          <>
            {t('endpointCurrent')} <code class="endpoint">{saved}</code>
          </>
        ) : (
          t('endpointNone')
        )}
      </p>
      <Field id="endpoint-url" label={t('fieldEndpoint')} help={t('fieldEndpointHelp')} error={error} class="endpoint-field">
        <input
          id="endpoint-url"
          type="url"
          inputMode="url"
          dir="ltr"
          autoComplete="url"
          spellcheck={false}
          placeholder="https://"
          value={endpoint}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy('endpoint-url', { help: true, error })}
          onInput={(e) => {
            setEndpoint(e.currentTarget.value);
            setError(undefined);
            setMessage(null);
          }}
        />
      </Field>
      {state.endpoint_has_token ? (
        <p class="token-saved">
          {t('tokenSaved')}{' '}
          <button type="button" class="link" onClick={() => void forgetToken()}>
            {t('forgetToken')}
          </button>
        </p>
      ) : null}
      <Field id="endpoint-token" label={t('fieldToken')} help={t('fieldTokenHelp')} class="endpoint-field">
        <div class="row token-row">
          <input
            id="endpoint-token"
            type={showToken ? 'text' : 'password'}
            autoComplete="off"
            spellcheck={false}
            value={token}
            aria-describedby="endpoint-token-help"
            onInput={(e) => {
              setToken(e.currentTarget.value);
              setMessage(null);
            }}
          />
          <button type="button" aria-controls="endpoint-token" onClick={() => setShowToken((v) => !v)}>
            {showToken ? t('hideToken') : t('showToken')}
          </button>
        </div>
      </Field>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t('saveEndpoint')}
        </button>
        <span class="save-state" role="status" aria-live="polite">
          {message ?? ''}
        </span>
      </div>
    </form>
  );
}
