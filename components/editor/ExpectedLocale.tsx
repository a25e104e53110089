// The expected locale at the top of every report: its name and tag, and Change to edit it
// in place. The glossary suggestions follow the locale shown here.
import { useEffect, useRef, useState } from 'preact/hooks';
import { canonicalizeLocale, localeDisplayName } from '@/lib/locale';
import { t, uiLanguage } from '@/lib/ui/i18n';
import { LocaleField } from '../LocaleField';

export function ExpectedLocale(props: {
  id: string;
  value: string;
  storedTag: string;
  readOnly: boolean;
  error?: string;
  onInput: (value: string) => void;
  /** Enter in the field: save now. */
  onCommit: () => void;
}) {
  // Open when the typed value isn't the stored one (being edited, or refused).
  const [open, setOpen] = useState(false);
  const wasOpen = useRef(false);
  const check = canonicalizeLocale(props.value);
  const editing = open || Boolean(props.error) || !check.ok;
  useEffect(() => {
    if (open && !wasOpen.current) document.getElementById(props.id)?.focus();
    wasOpen.current = open;
  }, [open]);

  if (editing && !props.readOnly) {
    return (
      <form
        class="expected-locale editing"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (check.ok) setOpen(false);
          props.onCommit();
        }}
      >
        <LocaleField
          id={props.id}
          label={t('fieldExpectedLocale')}
          value={props.value}
          error={props.error}
          showProblems={Boolean(props.error)}
          onInput={props.onInput}
        />
        {check.ok ? (
          <button type="submit" class="subtle">
            {t('done')}
          </button>
        ) : null}
      </form>
    );
  }
  const shown = check.ok ? check.tag : props.storedTag;
  return (
    <p class="expected-locale">
      <span class="muted">{t('expectedLocaleShort')}</span> <strong>{localeDisplayName(shown, uiLanguage())}</strong> <code dir="ltr">{shown}</code>
      {!props.readOnly ? (
        <button type="button" class="subtle" aria-label={t('changeExpectedLocale')} onClick={() => setOpen(true)}>
          {t('change')}
        </button>
      ) : null}
    </p>
  );
}
