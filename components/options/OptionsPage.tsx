// The options page: one list of sections, each its own component. To add a section
// (uploads, drives…), write it beside these and add it to OPTIONS_SECTIONS.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppState } from '@/lib/ui/api';
import { t, type MessageKey } from '@/lib/ui/i18n';
import { useServices } from '../services';
import { LocaleSection } from './LocaleSection';
import { SitesSection } from './SitesSection';
import { DataSection } from './DataSection';
import { EndpointSection } from './EndpointSection';
import { LanguageSection } from './LanguageSection';
import { DrivesSection } from './DrivesSection';

export interface SectionProps {
  state: AppState;
  /** Re-read settings and counts after a change. */
  refresh: () => Promise<void>;
}

export interface OptionsSection {
  id: string;
  /** Message key of the section's heading. */
  titleKey: MessageKey;
  Component: FunctionComponent<SectionProps>;
}

export const OPTIONS_SECTIONS: readonly OptionsSection[] = [
  { id: 'locale', titleKey: 'optionsLocaleTitle', Component: LocaleSection },
  { id: 'sites', titleKey: 'optionsSitesTitle', Component: SitesSection },
  { id: 'drives', titleKey: 'optionsDrivesTitle', Component: DrivesSection },
  { id: 'endpoint', titleKey: 'optionsEndpointTitle', Component: EndpointSection },
  { id: 'data', titleKey: 'optionsDataTitle', Component: DataSection },
  { id: 'language', titleKey: 'optionsLanguageTitle', Component: LanguageSection },
];

export function OptionsPage(props: { sections?: readonly OptionsSection[] }) {
  const { api } = useServices();
  const [state, setState] = useState<AppState | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = async () => {
    try {
      setState(await api.getState());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void refresh();
  }, []);

  return (
    <main class="options">
      <header class="options-header">
        <h1>{t('optionsTitle')}</h1>
        <p class="help">{t('optionsIntro')}</p>
      </header>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {!state && !error ? (
        <p class="loading" role="status">
          {t('loading')}
        </p>
      ) : null}
      {state
        ? (props.sections ?? OPTIONS_SECTIONS).map(({ id, titleKey, Component }) => (
            <section key={id} id={`section-${id}`} class="options-section" aria-labelledby={`section-${id}-title`}>
              <h2 id={`section-${id}-title`}>{t(titleKey)}</h2>
              <Component state={state} refresh={refresh} />
            </section>
          ))
        : null}
    </main>
  );
}
