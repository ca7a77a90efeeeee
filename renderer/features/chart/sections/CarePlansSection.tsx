import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { NoneRecorded } from '../ChartBits';
import type { RecordItem } from '../record-items';
import { RecordList } from './RecordListSection';

/** Care plans with their activities, goals with their targets, care teams, and orders, referrals and tasks. */
export function CarePlansSection(props: Readonly<{ carePlans: readonly RecordItem[]; goals: readonly RecordItem[]; careTeams: readonly RecordItem[]; requests: readonly RecordItem[]; language: Language }>) {
  const { t } = useTranslation();
  const empty = props.carePlans.length + props.goals.length + props.careTeams.length + props.requests.length === 0;
  return (
    <>
      {empty && <NoneRecorded kind="careplans">{t('chart.careplans.none')}</NoneRecorded>}
      <RecordList id="careplans-plans" title="chart.careplans.plans" items={props.carePlans} language={props.language} />
      <RecordList id="careplans-goals" title="chart.careplans.goals" items={props.goals} language={props.language} />
      <RecordList id="careplans-requests" title="chart.careplans.requests" items={props.requests} language={props.language} />
      <RecordList id="careplans-teams" title="chart.careplans.teams" items={props.careTeams} language={props.language} />
    </>
  );
}
