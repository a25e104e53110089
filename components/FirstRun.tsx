// First run (DESIGN §5): before the first report, ask which locale answers should sound
// like. The browser's languages suggest one (lib/locale.ts defaultLocaleFrom, the same rule
// the background uses); one click confirms it, or the user types another.
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { defaultLocaleFrom, localeDisplayName } from '@/lib/locale';
import { checkLocale } from '@/lib/ui/locale';
import { t, uiLanguage } from '@/lib/ui/i18n';
import { LocaleField } from './LocaleField';

export function FirstRun(props: { languages: readonly string[]; onChoose: (tag: string) => Promise<void> }) {
  const uid = useId();
  const suggested = defaultLocaleFrom(props.languages);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const language = uiLanguage();

  useEffect(() => {
    (confirmRef.current ?? document.getElementById(`${uid}-other`))?.focus();
  }, []);

  async function choose(tag: string) {
    setBusy(true);
    try {
      await props.onChoose(tag);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  const check = checkLocale(other, language);
  return (
    <section class="view first-run" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} class="view-title">
        {t('firstRunTitle')}
      </h2>
      <p class="help">{t('firstRunBody')}</p>
      {suggested ? (
        <button ref={confirmRef} type="button" class="primary first-run-confirm" disabled={busy} onClick={() => void choose(suggested)}>
          {t('firstRunUse', [localeDisplayName(suggested, language), suggested])}
        </button>
      ) : null}
      <form
        class="first-run-other"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (check.state === 'ok') void choose(check.tag);
          else setError(check.state === 'invalid' ? check.error : t('localeWhichRegion', [check.language, check.examples.slice(0, 3).join(', ')]));
        }}
      >
        <LocaleField
          id={`${uid}-other`}
          label={suggested ? t('firstRunOther') : t('fieldExpectedLocale')}
          value={other}
          requireRegion
          error={error}
          onInput={(value) => {
            setOther(value);
            setError(undefined);
          }}
        />
        <button type="submit" disabled={busy || !other.trim()}>
          {t('firstRunUseTyped')}
        </button>
      </form>
      <p class="help">{t('firstRunLater')}</p>
    </section>
  );
}
