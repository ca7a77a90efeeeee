import { useTranslation } from 'react-i18next';
import { minimumStrengthScore, strengthKey, type StrengthScore } from './passphrase-policy';
import type { StrengthEstimate } from './passphrase-strength';

/** The passphrase's strength as a meter with words (never colour alone) and zxcvbn's advice. */
export function StrengthMeter(props: Readonly<{ id: string; estimate: StrengthEstimate | null; empty: boolean }>) {
  const { t } = useTranslation();
  const score: StrengthScore = props.estimate?.score ?? 0;
  const label = props.empty ? t('passphrase.strength.empty') : props.estimate === null ? t('passphrase.strength.measuring') : t(strengthKey[score]);
  return (
    <div className="strength" id={props.id}>
      <div className="strength__row">
        <span id={`${props.id}-label`}>{t('passphrase.strength.label')}</span>
        <meter
          className={`strength__meter strength__meter--${props.empty ? 0 : score}`}
          min={0}
          max={4}
          low={2}
          high={minimumStrengthScore}
          optimum={4}
          value={props.empty ? 0 : score}
          aria-labelledby={`${props.id}-label`}
          aria-valuetext={label}
        />
        <strong aria-live="polite">{label}</strong>
      </div>
      {!props.empty && props.estimate !== null && (props.estimate.warning !== null || props.estimate.suggestions.length > 0) && (
        <ul className="strength__advice">
          {props.estimate.warning !== null && props.estimate.warning !== '' && <li>{props.estimate.warning}</li>}
          {props.estimate.suggestions.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
