import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { formatDate, formatDateTime } from '../../i18n/format';
import { AgeText, SexText } from '../record/IdentityText';
import type { PatientRow } from '../../../shared/clinical/patient-directory';

/** One row: name, age (or that the patient has died), sex, birth date, main identifier, the next appointment and unsynced edits. */
export function PatientRowView(props: Readonly<{ row: PatientRow; language: Language; onOpen(): void; index: number }>) {
  const { t } = useTranslation();
  const { row, language } = props;
  const identifier = row.identifiers[0];
  return (
    <button type="button" className="patient-row" data-row={props.index} onClick={props.onOpen}>
      <span className="patient-row__name">
        {row.deceased !== null && <span aria-hidden="true">† </span>}
        {row.fullName || t('patients.unnamed')}
      </span>
      <span className="patient-row__facts">
        {row.deceased !== null ? (
          <span className="tag tag--danger patient-row__deceased">{t('patients.deceased')}</span>
        ) : (
          <AgeText age={row.age} />
        )}
        <span aria-hidden="true"> · </span>
        <SexText sex={row.sex} />
        {row.birthDate !== null && (
          <>
            <span aria-hidden="true"> · </span>
            <span>{t('patients.born', { date: formatDate(row.birthDate, language) })}</span>
          </>
        )}
      </span>
      <span className="patient-row__id">{identifier !== undefined ? `${identifier.label} ${identifier.value}` : ''}</span>
      <span className="patient-row__marks">
        {row.nextAppointment !== null && <span className="tag tag--info">{t('patients.appointment', { when: formatDateTime(row.nextAppointment, language) })}</span>}
        {row.conflict && <span className="tag tag--danger">{t('patients.conflict')}</span>}
        {row.pending && !row.conflict && <span className="tag tag--pending">{t('patients.pending')}</span>}
      </span>
    </button>
  );
}
