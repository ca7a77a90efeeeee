import { useTranslation } from 'react-i18next';
import type { ageAt, Sex } from '../../../shared/clinical/patient-identity';

const sexKey: Readonly<Record<Sex, string>> = {
  female: 'patients.sex.female',
  male: 'patients.sex.male',
  other: 'patients.sex.other',
  unknown: 'patients.sex.unknown',
};

export function SexText({ sex }: Readonly<{ sex: Sex }>) {
  const { t } = useTranslation();
  return <span>{t(sexKey[sex])}</span>;
}

/** "72 ans" / "72 y", months under two years, "âge inconnu" without a birth date. */
export function AgeText({ age }: Readonly<{ age: ReturnType<typeof ageAt> }>) {
  const { t } = useTranslation();
  if (age === null) return <span>{t('patients.ageUnknown')}</span>;
  return <span>{age.years < 2 ? t('patients.ageMonths', { months: age.months }) : t('patients.ageYears', { years: age.years })}</span>;
}
