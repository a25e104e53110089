import '@/lib/zod';
import '@/components/ui.css';
import { render } from 'preact';
import { applyDocumentLanguage, loadUiLanguage, t } from '@/lib/ui/i18n';
import { settleUiLanguageChoice } from '@/lib/ui/languageChoice';
import { readLaunchParams } from '@/lib/ui/navigation';
import { ServicesProvider } from '@/components/services';
import { browserServices } from '@/components/browserServices';
import { PopupApp } from '@/components/PopupApp';

// A UI language the user chose over the browser's (storage.local) is loaded before anything
// is rendered, so the page never shows the browser's language first.
await loadUiLanguage(await settleUiLanguageChoice());
applyDocumentLanguage();
document.title = t('extName');
const launch = readLaunchParams(location.search);
if (launch.inTab) document.documentElement.classList.add('in-tab');

render(
  <ServicesProvider services={browserServices(launch.inTab)}>
    <PopupApp initialReportId={launch.reportId} />
  </ServicesProvider>,
  document.getElementById('app')!,
);
