import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDate } from '../../../i18n/format';
import { statusKey } from '../chart-labels';
import type { MedicationItem } from '../clinical-items';
import { StatusText, SyncBadge } from '../SyncBadge';

export function MedicationsSection({ medications, language }: Readonly<{ medications: readonly MedicationItem[]; language: Language }>) {
  const { t } = useTranslation();
  if (medications.length === 0) return <p>{t('chart.medications.none')}</p>;
  return (
    <table className="data-table">
      <caption>{t('chart.medications.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('chart.medications.medication')}</th>
          <th scope="col">{t('chart.medications.dosage')}</th>
          <th scope="col">{t('chart.col.status')}</th>
          <th scope="col">{t('chart.medications.date')}</th>
        </tr>
      </thead>
      <tbody>
        {medications.map((m) => (
          <tr key={m.ref}>
            <th scope="row">
              {m.name || t('chart.unnamed')} <SyncBadge state={m.syncState} />
            </th>
            <td>{m.dosage}</td>
            <td>
              <StatusText code={m.status} labelKey={statusKey(m.status)} />
            </td>
            <td>{formatDate(m.authoredOn, language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
