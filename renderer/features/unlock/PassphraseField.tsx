import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A passphrase input with its label, a show/hide toggle and an optional description. */
export function PassphraseField(
  props: Readonly<{ label: string; value: string; onChange(value: string): void; autoComplete: string; describedBy?: string; autoFocus?: boolean; invalid?: boolean }>,
) {
  const { t } = useTranslation();
  const id = useId();
  const [shown, setShown] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <div className="field__row">
        <input
          id={id}
          type={shown ? 'text' : 'password'}
          value={props.value}
          autoComplete={props.autoComplete}
          spellCheck={false}
          autoCapitalize="none"
          autoFocus={props.autoFocus}
          aria-describedby={props.describedBy}
          aria-invalid={props.invalid === true ? true : undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
        <button type="button" className="button button--quiet" aria-pressed={shown} onClick={() => setShown(!shown)}>
          {shown ? t('passphrase.hide') : t('passphrase.show')}
        </button>
      </div>
    </div>
  );
}
