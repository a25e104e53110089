// The expected-locale input: free text with the common tags offered, the readable name
// beside it (Intl.DisplayNames in the UI language), and the reason a tag is refused.
import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import { COMMON_LOCALES, localeDisplayName } from '@/lib/locale';
import { checkLocale } from '@/lib/ui/locale';
import { t, uiLanguage } from '@/lib/ui/i18n';
import { describedBy } from './Field';

export function LocaleField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** In settings a region is required where it matters; in a report it is only a hint. */
  requireRegion?: boolean;
  /** An error from a save attempt (shown until the value changes). */
  error?: string;
  /** Show problems before the field is left (after a save attempt). */
  showProblems?: boolean;
  help?: string;
}) {
  const listId = `${useId()}-locales`;
  const [touched, setTouched] = useState(false);
  // Say what is wrong once the user pauses typing (or leaves the field), not on every key.
  const initial = useRef(props.value);
  useEffect(() => {
    if (touched || props.value === initial.current) return;
    const timer = setTimeout(() => setTouched(true), 700);
    return () => clearTimeout(timer);
  }, [props.value, touched]);
  const language = uiLanguage();
  const check = checkLocale(props.value, language);
  const options = useMemo(() => COMMON_LOCALES.map((tag) => ({ tag, name: localeDisplayName(tag, language) })), [language]);
  const visible = touched || props.showProblems;

  let error: string | undefined = props.error;
  let hint: string | undefined;
  if (!error && check.state === 'invalid' && visible) error = check.error;
  if (check.state === 'needs-region') {
    const message = t('localeWhichRegion', [check.language, check.examples.slice(0, 3).join(', ') || `${check.tag}-XX`]);
    if (props.requireRegion && visible) error = message;
    else hint = message;
  }
  if (check.state === 'ok' && check.tag !== props.value.trim()) hint = t('localeWillBeSavedAs', check.tag);

  const name = check.state === 'ok' ? check.name : check.state === 'needs-region' ? localeDisplayName(check.tag, language) : '';
  const helpId = `${props.id}-hint`;
  return (
    <div class={`field locale-field${error ? ' field-invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      <div class="locale-row">
        <input
          id={props.id}
          type="text"
          dir="ltr"
          list={listId}
          value={props.value}
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(props.id, { error, help: props.help, extra: [hint ? helpId : '', `${props.id}-name`].filter(Boolean).join(' ') })}
          onInput={(e) => props.onInput(e.currentTarget.value)}
          onBlur={() => setTouched(true)}
        />
        <output id={`${props.id}-name`} class="locale-name" aria-live="polite">
          {name}
        </output>
      </div>
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.tag} value={o.tag} label={o.name} />
        ))}
      </datalist>
      {error ? (
        <p id={`${props.id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={helpId} class="hint">
          {hint}
        </p>
      ) : null}
      {props.help ? (
        <p id={`${props.id}-help`} class="help">
          {props.help}
        </p>
      ) : null}
    </div>
  );
}
