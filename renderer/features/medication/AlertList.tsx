import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { describeAlert, type Alert } from '../../../shared/medication/checks';
import { formatDateTime } from '../../i18n/format';
import type { Severity } from '../../../shared/medication/knowledge-schema';

/** The tier's label key; the tiers differ by colour, border, icon and words, never by colour alone. */
export const severityKey: Readonly<Record<Severity, string>> = {
  contraindicated: 'medication.severity.contraindicated',
  serious: 'medication.severity.serious',
  caution: 'medication.severity.caution',
};
// Symbols every system font has (DejaVu, Segoe UI Symbol, Apple Symbols), not emoji.
const icon: Readonly<Record<Severity, string>> = { contraindicated: '✖', serious: '⚠', caution: 'ℹ' };

const kindKey: Readonly<Record<Alert['kind'], string>> = {
  interaction: 'medication.kind.interaction',
  duplication: 'medication.kind.duplication',
  allergy: 'medication.kind.allergy',
  'cross-reactivity': 'medication.kind.crossReactivity',
};

/** One alert: its tier, what it is, the patient's two items it concerns, what happens, why, and what to do. */
export function AlertItem({ alert, language, override = null }: Readonly<{ alert: Alert; language: Language; override?: Readonly<{ date: string | null; reason: string }> | null }>) {
  const { t } = useTranslation();
  const text = describeAlert(alert, language);
  return (
    <li className={`med-alert med-alert--${override === null ? alert.severity : 'gone-past'}`} data-severity={alert.severity} data-kind={alert.kind}>
      <p className="med-alert__head">
        <span className="med-alert__tier">
          <span aria-hidden="true">{icon[alert.severity]}</span> {t(severityKey[alert.severity])}
        </span>{' '}
        <span className="med-alert__kind">{t(kindKey[alert.kind])}</span> <strong className="med-alert__title">{text.title}</strong>
      </p>
      {text.effect !== null && <p className="med-alert__line">{text.effect}</p>}
      {text.mechanism !== null && (
        <p className="med-alert__line">
          <span className="hint">{t('medication.mechanism')}</span> {text.mechanism}
        </p>
      )}
      {override !== null && (
        <p className="med-alert__line med-alert__override">
          {override.date !== null ? t('medication.overriddenOn', { date: formatDateTime(override.date, language) }) : t('medication.overridden')} {override.reason}
        </p>
      )}
      {text.management !== null && (
        <p className="med-alert__line">
          <span className="hint">{t('medication.management')}</span> {text.management}
        </p>
      )}
    </li>
  );
}

export function AlertList(
  props: Readonly<{ alerts: readonly Alert[]; language: Language; label: string; overrides?: ReadonlyArray<Readonly<{ date: string | null; reason: string }> | null> }>,
) {
  return (
    <ul className="med-alerts" aria-label={props.label}>
      {props.alerts.map((alert, index) => (
        <AlertItem key={`${alert.kind}-${index}`} alert={alert} language={props.language} override={props.overrides?.[index] ?? null} />
      ))}
    </ul>
  );
}
