import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { formatDate, formatWhen } from '../../i18n/format';
import { AgeText, SexText } from '../record/IdentityText';
import { ageAt, type PatientIdentity } from '../../../shared/clinical/patient-identity';

/**
 * Who this chart is, before anything else: name, identifiers clinicians use, whether the patient
 * has died (then the age at death, never an age "now"), sex and birth date. On every section.
 */
export function ChartHeader(props: Readonly<{ identity: PatientIdentity; language: Language; pending: number; emergency: boolean; onBack(): void }>) {
  const { t } = useTranslation();
  const { identity, language } = props;
  const deceased = identity.deceased;
  return (
    <header className={`chart-header${deceased !== null ? ' chart-header--deceased' : ''}`}>
      <button type="button" className="button button--quiet" onClick={props.onBack}>
        {t('chart.back')}
      </button>
      <h1 className="chart-header__name">
        {deceased !== null && <span aria-hidden="true">† </span>}
        {identity.fullName || t('patients.unnamed')}
      </h1>
      {deceased !== null && (
        <p className="deceased-banner" role="note">
          {deceased.when !== null ? t('chart.deceased.on', { date: formatWhen(deceased.when, language, true) }) : t('chart.deceased.undated')}
          {deceased.at !== null && ageAt(identity.birthDate, deceased.at) !== null && (
            <>
              {' — '}
              {t('chart.deceased.age')} <AgeText age={ageAt(identity.birthDate, deceased.at)} />
            </>
          )}
        </p>
      )}
      {props.emergency && <p className="tag tag--danger">{t('chart.emergencyAccess')}</p>}
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
      <p className="chart-header__facts">
        {deceased === null && (
          <>
            <AgeText age={ageAt(identity.birthDate, new Date())} />
            <span aria-hidden="true"> · </span>
          </>
        )}
        <SexText sex={identity.sex} />
        {identity.birthDate !== null && (
          <>
            <span aria-hidden="true"> · </span>
            <span>{t('patients.born', { date: formatDate(identity.birthDate, language) })}</span>
          </>
        )}
      </p>
      {props.pending > 0 && <p className="tag tag--pending">{t('chart.pendingCount', { n: props.pending })}</p>}
    </header>
  );
}
