// Which chatbot sites the in-page button works on: straight from the adapter registry.
import { SITE_ADAPTERS } from '@/lib/adapters';
import { hostOfPattern, siteName } from '@/lib/ui/format';
import { t } from '@/lib/ui/i18n';
import type { SectionProps } from './OptionsPage';

export function SitesSection(_props: SectionProps) {
  return (
    <div class="section-body">
      <p class="help">{t('optionsSitesIntro')}</p>
      <ul class="sites">
        {SITE_ADAPTERS.map((adapter) => (
          <li key={adapter.site}>
            <span class="site">{siteName(adapter.site)}</span>{' '}
            <span class="muted hosts" dir="ltr">
              {[...new Set(adapter.hosts.map(hostOfPattern))].join(', ')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
