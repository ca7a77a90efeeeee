import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { formatDate } from '../../i18n/format';
import { AgeText, SexText } from '../record/IdentityText';
import { ageAt, type PatientIdentity } from '../record/patient-identity';

/** Who this chart is: name, age, sex, birth date and identifiers. */
export function ChartHeader(props: Readonly<{ identity: PatientIdentity; language: Language; pending: number; emergency: boolean; onBack(): void }>) {
  const { t } = useTranslation();
  const { identity, language } = props;
  return (
    <header className="chart-header">
      <button type="button" className="button button--quiet" onClick={props.onBack}>
        {t('chart.back')}
      </button>
      <h1 className="chart-header__name">{identity.fullName || t('patients.unnamed')}</h1>
      {props.emergency && <p className="tag tag--danger">{t('chart.emergencyAccess')}</p>}
      <p className="chart-header__facts">
        <AgeText age={ageAt(identity.birthDate, new Date())} />
        <span aria-hidden="true"> · </span>
        <SexText sex={identity.sex} />
        {identity.birthDate !== null && (
          <>
            <span aria-hidden="true"> · </span>
            <span>{t('patients.born', { date: formatDate(identity.birthDate, language) })}</span>
          </>
        )}
      </p>
      {identity.identifiers.length > 0 && (
        <dl className="chart-header__ids">
          {identity.identifiers.map((id) => (
            <div key={`${id.label}-${id.value}`}>
              <dt>{id.label}</dt>
              <dd>{id.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {props.pending > 0 && <p className="tag tag--pending">{t('chart.pendingCount', { n: props.pending })}</p>}
    </header>
  );
}
