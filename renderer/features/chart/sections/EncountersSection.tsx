import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDateTime } from '../../../i18n/format';
import { statusKey } from '../chart-labels';
import type { AppointmentItem, EncounterItem } from '../clinical-items';
import { StatusText, SyncBadge } from '../SyncBadge';

export function EncountersSection(props: Readonly<{ encounters: readonly EncounterItem[]; appointments: readonly AppointmentItem[]; language: Language }>) {
  const { t } = useTranslation();
  const upcoming = props.appointments.filter((a) => a.start !== null && Date.parse(a.start) >= Date.now());
  return (
    <>
      <h3>{t('chart.encounters.upcoming')}</h3>
      {upcoming.length === 0 ? (
        <p>{t('chart.encounters.noUpcoming')}</p>
      ) : (
        <ul className="plain-list">
          {upcoming.map((a) => (
            <li key={a.ref}>
              <strong>{formatDateTime(a.start, props.language)}</strong> — {a.description} <SyncBadge state={a.syncState} />
            </li>
          ))}
        </ul>
      )}
      <h3>{t('chart.encounters.past')}</h3>
      {props.encounters.length === 0 ? (
        <p>{t('chart.encounters.none')}</p>
      ) : (
        <table className="data-table">
          <caption>{t('chart.encounters.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.encounters.date')}</th>
              <th scope="col">{t('chart.encounters.type')}</th>
              <th scope="col">{t('chart.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {props.encounters.map((e) => (
              <tr key={e.ref}>
                <td>{formatDateTime(e.start, props.language)}</td>
                <th scope="row">
                  {e.type || t('chart.unnamed')} <SyncBadge state={e.syncState} />
                </th>
                <td>
                  <StatusText code={e.status} labelKey={statusKey(e.status)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
