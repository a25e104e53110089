// The UI's language: the browser's by default, or one the user picks. Each choice is named
// in its own language (a reader who can't read the current UI still finds theirs). The
// choice reaches the whole extension (lib/ui/languageChoice.ts): this page reloads in it,
// the in-page buttons and the toolbar and context menu follow it at once.
import { useState } from 'preact/hooks';
import { browserLanguage, t, UI_LANGUAGES, type UiLanguage } from '@/lib/ui/i18n';
import { settledUiLanguageChoice, writeUiLanguageChoice } from '@/lib/ui/languageChoice';
import type { SectionProps } from './OptionsPage';

function ownName(language: string): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
    return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
  } catch {
    return language;
  }
}

export function LanguageSection(_props: SectionProps & { reload?: () => void }) {
  const [value, setValue] = useState<UiLanguage | ''>(() => settledUiLanguageChoice() ?? '');
  const reload = _props.reload ?? (() => globalThis.location.reload());

  async function choose(next: string) {
    const language = UI_LANGUAGES.find((l) => l === next);
    setValue(language ?? '');
    try {
      await writeUiLanguageChoice(language);
    } catch (error) {
      console.warn('Sounds Local: could not save the UI language.', error);
    }
    // Every string on the page was rendered in the old language: start again in the new one.
    reload();
  }

  return (
    <div class="section-body">
      <div class="field">
        <label for="ui-language">{t('fieldUiLanguage')}</label>
        <select id="ui-language" value={value} onChange={(e) => void choose((e.currentTarget as HTMLSelectElement).value)} aria-describedby="ui-language-help">
          <option value="">{t('uiLanguageBrowser', ownName(browserLanguage()))}</option>
          {UI_LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {ownName(language)}
            </option>
          ))}
        </select>
        <p id="ui-language-help" class="help">
          {t('fieldUiLanguageHelpAll')}
        </p>
      </div>
    </div>
  );
}
