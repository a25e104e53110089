// The editor's drive choice (DESIGN §9): which drive a report is for (or none), with that
// drive's guidelines, collapsible. A new report arrives with its default drive already set
// by the background (lib/background/drives.ts defaultDriveFor); here the user can move it.
import { useEffect, useState } from 'preact/hooks';
import type { DriveSummary } from '@/lib/ui/api';
import { localesMatch } from '@/lib/locale';
import { categoryLabel } from '../MarkForm';
import type { Category } from '@/lib/report';
import { t } from '@/lib/ui/i18n';
import { useServices } from '../services';

export function DrivePicker(props: {
  id: string;
  value: string | undefined;
  locale: string;
  disabled?: boolean;
  onChange: (driveId: string | undefined) => void;
  /** The chosen drive's details once known (its category subset narrows the mark form). */
  onDrive?: (drive: DriveSummary | undefined) => void;
}) {
  const { api } = useServices();
  const [drives, setDrives] = useState<DriveSummary[] | null>(null);

  useEffect(() => {
    let live = true;
    // Never blocks the editor: until the list arrives the picker shows only the current value.
    api.listDrives().then(
      (list) => live && setDrives(list),
      () => live && setDrives([]),
    );
    return () => {
      live = false;
    };
  }, []);

  const known = drives ?? [];
  const chosen = known.find((d) => d.id === props.value);
  useEffect(() => {
    props.onDrive?.(chosen);
  }, [chosen?.id, drives]);
  // Nobody to choose and nothing chosen: no drive field at all.
  if (drives && known.length === 0 && !props.value) return null;
  const localeFits =
    !chosen ||
    chosen.locales.some((tag) => {
      try {
        return localesMatch(tag, props.locale);
      } catch {
        return false;
      }
    });

  return (
    <div class="field drive-field">
      <label for={props.id}>{t('fieldDrive')}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        disabled={props.disabled}
        aria-describedby={`${props.id}-help`}
        onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
      >
        <option value="">{t('driveNone')}</option>
        {known.map((d) => (
          <option key={d.id} value={d.id} disabled={d.state === 'ended' || d.state === 'closed'}>
            {d.state === 'active' ? d.name : t('driveOptionState', [d.name, t(`driveState_${d.state}`)])}
          </option>
        ))}
        {props.value && !chosen ? <option value={props.value}>{t('driveOptionLeft', props.value)}</option> : null}
      </select>
      <p id={`${props.id}-help`} class="help">
        {chosen
          ? t('fieldDriveHelpChosen', [chosen.name, new URL(chosen.endpoint).host, chosen.license])
          : props.value
            ? t('fieldDriveHelpLeft')
            : t('fieldDriveHelp')}
      </p>
      {chosen && !localeFits ? <p class="notice notice-warn">{t('driveLocaleMismatch', [chosen.name, chosen.locales.join(', '), props.locale])}</p> : null}
      {chosen ? (
        <details class="drive-guidelines">
          <summary>{t('driveGuidelinesFor', chosen.name)}</summary>
          <div class="guidelines" dir="auto">
            {chosen.guidelines}
          </div>
          {chosen.categories ? (
            <p class="help">
              {t('driveCategories')} {chosen.categories.map((c) => categoryLabel(c as Category)).join(', ')}
            </p>
          ) : null}
        </details>
      ) : null}
    </div>
  );
}
