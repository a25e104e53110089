// Feedback drives (DESIGN §9b): join one by pasting its link or code, see who runs it, where
// reports go, under which licence, and agree once; then the drives joined, each with its
// token, a changed manifest to agree to again, and Leave. The endpoint's host permission is
// requested from the Join click itself (permissions.request before any await).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DrivePreview, DriveSummary } from '@/lib/ui/api';
import { LICENSE_URLS, type DriveLicense } from '@/lib/drive';
import { localeDisplayName } from '@/lib/locale';
import { requestEndpointPermission } from '@/lib/ui/permissions';
import { t, uiLanguage } from '@/lib/ui/i18n';
import { useServices } from '../services';
import { trapTab, useReturnFocus } from '../focusTrap';
import { Field, describedBy } from '../Field';
import type { SectionProps } from './OptionsPage';

export function DrivesSection({ state, refresh }: SectionProps) {
  const { api } = useServices();
  const [input, setInput] = useState('');
  const [lookupError, setLookupError] = useState<{ error: string; problems: string[] } | undefined>();
  const [preview, setPreview] = useState<DrivePreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  // Read each joined drive's manifest again when the page opens, so a changed name, endpoint
  // or licence is shown here (and waits for consent) before the next upload asks.
  useEffect(() => {
    let live = true;
    const ids = state.drives.map((d) => d.id);
    if (!ids.length) return;
    void Promise.all(ids.map((id) => api.refreshDrive(id).catch(() => undefined))).then((fresh) => {
      const shown = (d: DriveSummary) => JSON.stringify([d.pending, d.state, d.last_error, d.glossary_error]);
      const before = new Map(state.drives.map((d) => [d.id, shown(d)]));
      if (live && fresh.some((d) => d && before.get(d.id) !== shown(d))) void refresh();
    });
    return () => {
      live = false;
    };
  }, []);

  async function lookUp(event: Event) {
    event.preventDefault();
    setMessage(null);
    setLookupError(undefined);
    setPreview(null);
    setBusy(true);
    try {
      setPreview(await api.previewDrive(input));
    } catch (e) {
      const error = e as Error & { problems?: string[] };
      setLookupError({ error: error.message, problems: error.problems ?? [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="section-body drives">
      <p class="help">{t('drivesIntro')}</p>
      {state.drives.length ? (
        <ul class="drive-list" aria-label={t('drivesJoined')}>
          {state.drives.map((drive) => (
            <DriveCard key={drive.id} drive={drive} refresh={refresh} onMessage={setMessage} />
          ))}
        </ul>
      ) : (
        <p class="empty">{t('drivesNone')}</p>
      )}
      <form class="join-form" noValidate onSubmit={lookUp}>
        <Field id="drive-join-input" label={t('driveJoinInput')} help={t('driveJoinInputHelp')} error={lookupError?.error}>
          <div class="row">
            <input
              id="drive-join-input"
              type="text"
              inputMode="url"
              dir="ltr"
              spellcheck={false}
              autoComplete="off"
              placeholder="data.example.org/K7QM-4XPA"
              value={input}
              aria-invalid={lookupError ? 'true' : undefined}
              aria-describedby={describedBy('drive-join-input', { help: true, error: lookupError?.error })}
              onInput={(e) => {
                setInput(e.currentTarget.value);
                setLookupError(undefined);
              }}
            />
            <button type="submit" disabled={busy}>
              {t('driveLookUp')}
            </button>
          </div>
        </Field>
        {lookupError?.problems.length ? (
          <ul class="problems" aria-label={t('driveProblems')}>
            {lookupError.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
      </form>
      {preview ? (
        <JoinDialog
          preview={preview}
          onCancel={() => setPreview(null)}
          onJoined={async (drive) => {
            setPreview(null);
            setInput('');
            setMessage(t('driveJoined', drive.name));
            await refresh();
          }}
        />
      ) : null}
      <p class="save-state" role="status" aria-live="polite">
        {message ?? ''}
      </p>
    </div>
  );
}

function LicenseLink(props: { license: string }) {
  const url = LICENSE_URLS[props.license as DriveLicense];
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {props.license}
    </a>
  ) : (
    props.license
  );
}

/** The drive's locales by name in the UI language, each with its code, listed the UI language's way (Intl.ListFormat). */
function localeList(locales: readonly string[]): string {
  const language = uiLanguage();
  const named = locales.map((tag) => t('localeWithCode', [localeDisplayName(tag, language), `\u2068${tag}\u2069`]));
  try {
    return new Intl.ListFormat(language, { type: 'conjunction' }).format(named);
  } catch {
    return named.join(', ');
  }
}

function dateOnly(iso?: string): string {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

/** What the user agrees to: shown before anything is stored or any permission asked. */
function JoinDialog(props: { preview: DrivePreview; onCancel: () => void; onJoined: (drive: DriveSummary) => Promise<void> }) {
  const { api } = useServices();
  const { preview } = props;
  const m = preview.manifest;
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = 'join-dialog-title';
  const root = useRef<HTMLElement>(null);
  useReturnFocus(root, { focusFirst: true });
  const host = new URL(preview.endpoint).host;
  const closed = preview.state === 'ended' || preview.state === 'closed';

  function onJoin() {
    setError(null);
    // No await before this line: the prompt only opens inside the click's user gesture.
    const asked = requestEndpointPermission([preview.permission_pattern]);
    setBusy(true);
    asked.then(
      async (granted) => {
        if (!granted) {
          setBusy(false);
          setError(t('drivePermissionRefused', host));
          return;
        }
        try {
          await props.onJoined(await api.joinDrive(preview, token.trim() || undefined));
        } catch (e) {
          setError((e as Error).message);
          setBusy(false);
        }
      },
      (e: unknown) => {
        setBusy(false);
        setError(t('uploadPermissionFailed', [host, (e as Error)?.message ?? String(e)]));
      },
    );
  }

  return (
    <section
      ref={root}
      class="join-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        trapTab(event, root.current);
        if (event.key === 'Escape' && !busy) {
          event.preventDefault();
          props.onCancel();
        }
      }}
    >
      <h3 id={titleId}>{t('driveJoinTitle', m.name)}</h3>
      {m.description ? (
        <p class="drive-description" dir="auto">
          {m.description}
        </p>
      ) : null}
      <dl class="drive-facts">
        <dt>{t('driveOrganizer')}</dt>
        <dd>
          <bdi>{m.organizer}</bdi>
        </dd>
        <dt>{t('driveEndpoint')}</dt>
        <dd>
          <code class="endpoint">{preview.endpoint}</code>
          {preview.cross_origin ? (
            <p class="notice notice-warn">{t('driveCrossOrigin', [preview.cross_origin.manifest_origin, preview.cross_origin.endpoint_origin])}</p>
          ) : null}
        </dd>
        <dt>{t('driveLicense')}</dt>
        <dd>
          <LicenseLink license={m.license} />
        </dd>
        <dt>{t('drivePrivacy')}</dt>
        <dd>
          <a href={m.privacy_url} target="_blank" rel="noopener noreferrer">
            {m.privacy_url}
          </a>
        </dd>
        <dt>{t('driveLocales')}</dt>
        <dd>{localeList(m.locales)}</dd>
        {m.starts_at || m.ends_at ? (
          <>
            <dt>{t('driveDates')}</dt>
            <dd>{t('driveDateRange', [dateOnly(m.starts_at) || '…', dateOnly(m.ends_at) || '…'])}</dd>
          </>
        ) : null}
      </dl>
      <h4>{t('driveGuidelines')}</h4>
      <div class="guidelines" dir="auto">
        {preview.guidelines}
      </div>
      {closed ? (
        <p class="notice notice-warn" role="alert">
          {t(preview.state === 'ended' ? 'driveEnded' : 'driveClosed', m.name)}
        </p>
      ) : null}
      {m.requires_token && !closed ? (
        <Field id="join-token" label={t('driveToken')} help={t('driveTokenHelp')}>
          <input
            id="join-token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={token}
            aria-describedby="join-token-help"
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </Field>
      ) : null}
      {preview.already_joined ? <p class="help">{t('driveAlreadyJoined')}</p> : null}
      <p class="help">{t('driveConsentText', [m.name, preview.endpoint, m.license])}</p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy || closed} onClick={onJoin}>
          {t('driveAgreeJoin')}
        </button>
        <button type="button" disabled={busy} onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function DriveCard(props: { drive: DriveSummary; refresh: () => Promise<void>; onMessage: (m: string) => void }) {
  const { api } = useServices();
  const { drive } = props;
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const titleId = `drive-${drive.id}-title`;

  async function act(action: () => Promise<unknown>, done: string) {
    setError(null);
    try {
      await action();
      props.onMessage(done);
      await props.refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function onReconsent() {
    const pattern = drive.pending?.permission_pattern;
    const asked = pattern ? requestEndpointPermission([pattern]) : Promise.resolve(true);
    asked.then(
      (granted) =>
        granted
          ? act(() => api.reconsentDrive(drive.id), t('driveReconsented', drive.pending?.name ?? drive.name))
          : setError(t('drivePermissionRefused', drive.pending ? new URL(drive.pending.endpoint).host : '')),
      (e: unknown) => setError((e as Error)?.message ?? String(e)),
    );
  }

  return (
    <li class="drive-card" aria-labelledby={titleId}>
      <div class="row-top">
        <h3 id={titleId} dir="auto">
          {drive.name}
        </h3>
        <span class={`drive-state state-${drive.state}`}>{t(`driveState_${drive.state}`)}</span>
      </div>
      <dl class="drive-facts">
        <dt>{t('driveOrganizer')}</dt>
        <dd>
          <bdi>{drive.organizer}</bdi>
        </dd>
        <dt>{t('driveLocales')}</dt>
        <dd>{localeList(drive.locales)}</dd>
        <dt>{t('driveEndpoint')}</dt>
        <dd>
          <code class="endpoint">{drive.endpoint}</code>
        </dd>
        <dt>{t('driveLicense')}</dt>
        <dd>
          <LicenseLink license={drive.license} />
        </dd>
        <dt>{t('driveContributor')}</dt>
        <dd>
          <code class="contributor" aria-describedby={`drive-${drive.id}-contributor-help`}>
            {drive.contributor}
          </code>
          <p id={`drive-${drive.id}-contributor-help`} class="help">
            {t('driveContributorHelp')}
          </p>
        </dd>
      </dl>
      {drive.pending ? (
        <div class="notice notice-warn" role="alert">
          <p>{t('driveChanged', drive.name)}</p>
          <ul class="problems">
            {drive.pending.changes.includes('name') ? <li>{t('driveChangedName', drive.pending.name)}</li> : null}
            {drive.pending.changes.includes('endpoint') ? <li>{t('driveChangedEndpoint', drive.pending.endpoint)}</li> : null}
            {drive.pending.changes.includes('license') ? <li>{t('driveChangedLicense', drive.pending.license)}</li> : null}
          </ul>
          <button type="button" onClick={onReconsent}>
            {t('driveReconsent')}
          </button>
        </div>
      ) : null}
      {drive.glossary_error ? (
        <div class="notice notice-warn drive-glossary-error" role="status">
          <p>{t('driveGlossaryError')}</p>
          <p class="help">{t('driveGlossaryErrorDetail', `\u2068${drive.glossary_error}\u2069`)}</p>
        </div>
      ) : null}
      {drive.requires_token ? (
        <form
          class="drive-token"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.setDriveToken(drive.id, token.trim()), t('driveTokenSaved', drive.name)).then(() => setToken(''));
          }}
        >
          <p class="help">{drive.has_token ? t('driveTokenIsSet') : t('driveTokenMissing')}</p>
          <Field id={`drive-${drive.id}-token`} label={t('driveTokenFor', drive.name)} help={t('driveTokenHelp')}>
            <div class="row">
              <input
                id={`drive-${drive.id}-token`}
                type="password"
                autoComplete="off"
                spellcheck={false}
                value={token}
                aria-describedby={`drive-${drive.id}-token-help`}
                onInput={(e) => setToken(e.currentTarget.value)}
              />
              <button type="submit" disabled={!token.trim()}>
                {t('driveSaveToken')}
              </button>
            </div>
          </Field>
        </form>
      ) : null}
      <div class="actions">
        <button type="button" onClick={() => void act(() => api.leaveDrive(drive.id), t('driveLeft', drive.name))}>
          {t('driveLeave', drive.name)}
        </button>
      </div>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}
