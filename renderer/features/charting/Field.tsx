import { useId, type ReactNode } from 'react';

/** A labelled form control with its hint and error, wired by id for screen readers. */
export function Field(
  props: Readonly<{ label: string; hint?: string; error?: string | null; children: (ids: Readonly<{ id: string; describedBy: string | undefined; invalid: boolean }>) => ReactNode }>,
) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy, invalid: Boolean(props.error) })}
      {props.hint && (
        <span className="hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <p className="field__error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}
