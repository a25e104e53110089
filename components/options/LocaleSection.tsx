// The default expected locale: what new reports say the answer should have sounded like.
// Pre-filled from the browser's languages; a region is required where it matters.
import { useState } from 'preact/hooks';
import { checkLocale, suggestDefaultLocale } from '@/lib/ui/locale';
import { t, uiLanguage } from '@/lib/ui/i18n';
import { useServices } from '../services';
import { LocaleField } from '../LocaleField';
import type { SectionProps } from './OptionsPage';

export function LocaleSection({ state, refresh }: SectionProps) {
  const { api } = useServices();
  const saved = state.settings.default_locale;
  const [value, setValue] = useState(() => saved ?? suggestDefaultLocale(globalThis.navigator?.languages ?? []) ?? '');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    setTried(true);
    setMessage(null);
    const check = checkLocale(value, uiLanguage());
    if (check.state !== 'ok') return; // the field shows why
    try {
      await api.setSettings({ default_locale: check.tag });
      setValue(check.tag);
      setError(undefined);
      setMessage(t('localeSaved', check.name));
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <form class="section-body" noValidate onSubmit={save}>
      <LocaleField
        id="default-locale"
        label={t('fieldDefaultLocale')}
        help={saved ? t('fieldDefaultLocaleHelp') : t('fieldDefaultLocaleHelpFirstRun')}
        value={value}
        requireRegion
        showProblems={tried}
        error={error}
        onInput={(v) => {
          setValue(v);
          setError(undefined);
          setMessage(null);
        }}
      />
      <div class="actions">
        <button type="submit" class="primary">
          {t('saveLocale')}
        </button>
        <span class="save-state" role="status" aria-live="polite">
          {message ?? ''}
        </span>
      </div>
    </form>
  );
}
