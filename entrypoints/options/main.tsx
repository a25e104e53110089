import '@/lib/zod';
import '@/components/ui.css';
import { render } from 'preact';
import { applyDocumentLanguage, loadUiLanguage, t } from '@/lib/ui/i18n';
import { settleUiLanguageChoice } from '@/lib/ui/languageChoice';
import { ServicesProvider } from '@/components/services';
import { browserServices } from '@/components/browserServices';
import { OptionsPage } from '@/components/options/OptionsPage';

// A UI language the user chose over the browser's (storage.local) is loaded before anything
// is rendered, so the page never shows the browser's language first.
await loadUiLanguage(await settleUiLanguageChoice());
applyDocumentLanguage();
document.title = t('optionsTitle');
document.documentElement.classList.add('options-page');

render(
  <ServicesProvider services={browserServices(true)}>
    <OptionsPage />
  </ServicesProvider>,
  document.getElementById('app')!,
);
