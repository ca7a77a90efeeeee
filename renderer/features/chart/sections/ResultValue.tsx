import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatNumber, formatQuantity, unitLabel } from '../../../i18n/format';
import { flagKey } from '../chart-labels';
import type { AbnormalFlag, LabResult, ObservationValue } from '../observations';

const arrow: Readonly<Record<string, string>> = { H: '↑', HH: '↑↑', L: '↓', LL: '↓↓', A: '!', N: '' };

export function valueText(value: ObservationValue, language: Language, absent: (reason: string) => string): string {
  switch (value.kind) {
    case 'quantity': {
      const text = formatQuantity(value.value, unitLabel(value.unitCode, value.unit, language), language, 3);
      return value.comparator === null ? text : `${value.comparator} ${text}`;
    }
    case 'text':
      return value.text;
    case 'absent':
      return absent(value.reason);
    case 'none':
      return '';
    default:
      return '';
  }
}

/** A result's value as people read it: number with comparator and unit, coded or written answer, components, or why it is absent. */
export function ResultValue({ lab, language }: Readonly<{ lab: LabResult; language: Language }>) {
  const { t } = useTranslation();
  const absent = (reason: string): string => t('chart.results.absent', { reason: reason || '—' });
  const main = valueText(lab.value, language, absent);
  return (
    <>
      {main !== '' && <span className={lab.value.kind === 'absent' ? 'hint' : undefined}>{main}</span>}
      {lab.components.length > 0 && (
        <ul className="plain-list components">
          {lab.components.map((c, i) => (
            <li key={i}>
              {c.name}: {valueText(c.value, language, absent)} <FlagTag flag={c.flag} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function FlagTag({ flag }: Readonly<{ flag: AbnormalFlag | null }>) {
  const { t } = useTranslation();
  if (flag === null) return null;
  const abnormal = flag !== 'N';
  return (
    <span className={`flag flag--${abnormal ? 'abnormal' : 'normal'}`}>
      {abnormal && <span aria-hidden="true">{arrow[flag]} </span>}
      {t(flagKey[flag])}
    </span>
  );
}

export function rangeText(lab: LabResult, language: Language): string {
  const unit = lab.value.kind === 'quantity' ? unitLabel(lab.value.unitCode, lab.value.unit, language) : '';
  if (lab.low !== null && lab.high !== null) return `${formatNumber(lab.low, language)} – ${formatQuantity(lab.high, unit, language)}`;
  if (lab.high !== null) return `≤ ${formatQuantity(lab.high, unit, language)}`;
  if (lab.low !== null) return `≥ ${formatQuantity(lab.low, unit, language)}`;
  return lab.rangeText;
}
