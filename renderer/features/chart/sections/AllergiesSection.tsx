import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDate } from '../../../i18n/format';
import { AllergyForm } from '../../charting/AllergyForm';
import { criticalityKey, statusKey } from '../chart-labels';
import type { AllergyItem } from '../clinical-items';
import { StatusText, SyncBadge } from '../SyncBadge';

/** Every allergy of the record, with an edit form for each (an update keeps the record's other fields). */
export function AllergiesSection(props: Readonly<{ allergies: readonly AllergyItem[]; patient: string; language: Language }>) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  const current = props.allergies.find((a) => a.ref === editing);
  return (
    <>
      {props.allergies.length === 0 ? (
        <p>{t('chart.allergy.none')}</p>
      ) : (
        <table className="data-table">
          <caption>{t('chart.allergy.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.allergy.substance')}</th>
              <th scope="col">{t('chart.allergy.criticalityLabel')}</th>
              <th scope="col">{t('chart.allergy.reaction')}</th>
              <th scope="col">{t('chart.col.status')}</th>
              <th scope="col">{t('chart.allergy.recorded')}</th>
              <th scope="col">{t('chart.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.allergies.map((a) => (
              <tr key={a.ref}>
                <th scope="row">
                  {a.substance || t('chart.allergy.unnamed')} <SyncBadge state={a.syncState} />
                </th>
                <td>{a.criticality !== null ? t(criticalityKey[a.criticality]) : '—'}</td>
                <td>{a.reactions.join(', ')}</td>
                <td>
                  <StatusText code={a.clinicalStatus} labelKey={statusKey(a.clinicalStatus)} />
                </td>
                <td>{formatDate(a.recorded?.slice(0, 10) ?? null, props.language)}</td>
                <td>
                  <button
                    type="button"
                    className="button"
                    disabled={a.syncState === 'conflict'}
                    aria-expanded={editing === a.ref}
                    onClick={() => setEditing(editing === a.ref ? null : a.ref)}
                  >
                    {t('chart.allergy.edit', { name: a.substance })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current !== undefined && <AllergyForm key={current.ref} patient={props.patient} language={props.language} existing={current} onDone={() => setEditing(null)} />}
    </>
  );
}
