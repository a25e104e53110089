// A labelled form field with optional help and error text, wired with aria-describedby so
// a screen reader reads the help and the error with the control.
import type { ComponentChildren } from 'preact';

export function describedBy(id: string, parts: { help?: unknown; error?: unknown; extra?: string }): string | undefined {
  const ids = [parts.error ? `${id}-error` : '', parts.help ? `${id}-help` : '', parts.extra ?? ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function Field(props: {
  id: string;
  label: ComponentChildren;
  help?: ComponentChildren;
  error?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
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
