import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { parseWhen, sortTime } from '../../../../shared/fhir/fhir-when';
import { ItemRow, NoneRecorded, WhenText } from '../ChartBits';
import { encounterClassKey } from '../chart-labels';
import type { AppointmentItem, EncounterItem } from '../clinical-items';
import type { RecordItem } from '../record-items';
import { RecordList } from './RecordListSection';

const upcomingStatuses = new Set(['booked', 'pending', 'proposed', 'arrived', 'checked-in', 'waitlist']);

/** Is this appointment still ahead (and not cancelled)? */
export const isUpcoming = (a: AppointmentItem, now: number): boolean => a.when !== null && sortTime(a.when) >= now && upcomingStatuses.has(a.status ?? '');

export function EncountersSection(props: Readonly<{ encounters: readonly EncounterItem[]; appointments: readonly AppointmentItem[]; episodes: readonly RecordItem[]; language: Language }>) {
  const { t } = useTranslation();
  const { language } = props;
  const now = Date.now();
  const upcoming = props.appointments.filter((a) => isUpcoming(a, now));
  const otherAppointments = props.appointments.filter((a) => !isUpcoming(a, now));
  const appointmentRow = (a: AppointmentItem) => (
    <ItemRow key={a.ref} item={a} title={a.description || t('chart.encounters.appointment')} status={a.status} when={a.when} language={language}>
      {a.participants.length > 0 && <p className="chart-item__line hint">{a.participants.join(', ')}</p>}
    </ItemRow>
  );
  return (
    <>
      <h3>{t('chart.encounters.upcoming')}</h3>
      {upcoming.length === 0 ? <NoneRecorded kind="appointments-upcoming">{t('chart.encounters.noUpcoming')}</NoneRecorded> : <ul className="chart-list">{upcoming.map(appointmentRow)}</ul>}
      <h3>{t('chart.encounters.past')}</h3>
      {props.encounters.length === 0 ? (
        <NoneRecorded kind="encounters">{t('chart.encounters.none')}</NoneRecorded>
      ) : (
        <ul className="chart-list" aria-label={t('chart.encounters.caption')}>
          {props.encounters.map((e) => {
            const classKey = e.klass === null ? undefined : encounterClassKey[e.klass];
            return (
              <ItemRow key={e.ref} item={e} title={e.type || (classKey !== undefined ? t(classKey) : (e.klass ?? t('chart.type.Encounter')))} status={e.status} when={e.when} language={language}>
                <p className="chart-item__line">
                  {classKey !== undefined && e.type !== '' && <span className="tag tag--info">{t(classKey)}</span>}{' '}
                  {e.end !== null && (
                    <span className="hint">
                      {t('chart.encounters.until')} <WhenText when={parseWhen(e.end)} language={language} />
                    </span>
                  )}
                  {e.reason !== '' && <span className="hint"> — {e.reason}</span>}
                </p>
              </ItemRow>
            );
          })}
        </ul>
      )}
      {otherAppointments.length > 0 && (
        <>
          <h3>{t('chart.encounters.pastAppointments')}</h3>
          <ul className="chart-list">{otherAppointments.map(appointmentRow)}</ul>
        </>
      )}
      <RecordList id="encounters-episodes" title="chart.encounters.episodes" items={props.episodes} language={language} />
    </>
  );
}
