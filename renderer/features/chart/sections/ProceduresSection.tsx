import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { NoneRecorded, UnreadNotice } from '../ChartBits';
import type { RecordItem } from '../record-items';
import { RecordList } from './RecordListSection';

/** Procedures (performed as a date, a period, words, an age or a range), newest first. */
export function ProceduresSection(props: Readonly<{ procedures: readonly RecordItem[]; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {props.procedures.length === 0 ? (
        <NoneRecorded kind="procedures">{t('chart.procedures.none')}</NoneRecorded>
      ) : (
        <RecordList id="procedures-list" title="chart.procedures.list" items={props.procedures} language={props.language} />
      )}
    </>
  );
}

/** Vaccinations with the vaccine, its codes (CVX, ATC, SNOMED CT), dose number, lot, and those not done. */
export function ImmunizationsSection(props: Readonly<{ immunizations: readonly RecordItem[]; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  const given = props.immunizations.filter((i) => i.status !== 'not-done');
  const notDone = props.immunizations.filter((i) => i.status === 'not-done');
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {props.immunizations.length === 0 && <NoneRecorded kind="immunizations">{t('chart.immunizations.none')}</NoneRecorded>}
      <RecordList id="immunizations-given" title="chart.immunizations.given" items={given} language={props.language} />
      <RecordList id="immunizations-not-done" title="chart.immunizations.notDone" items={notDone} language={props.language} />
    </>
  );
}
