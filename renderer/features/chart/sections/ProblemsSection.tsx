import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDate } from '../../../i18n/format';
import { statusKey } from '../chart-labels';
import type { ProblemItem } from '../clinical-items';
import { StatusText, SyncBadge } from '../SyncBadge';

export function ProblemsSection({ problems, language }: Readonly<{ problems: readonly ProblemItem[]; language: Language }>) {
  const { t } = useTranslation();
  if (problems.length === 0) return <p>{t('chart.problems.none')}</p>;
  return (
    <table className="data-table">
      <caption>{t('chart.problems.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('chart.problems.problem')}</th>
          <th scope="col">{t('chart.col.status')}</th>
          <th scope="col">{t('chart.problems.onset')}</th>
          <th scope="col">{t('chart.problems.resolved')}</th>
        </tr>
      </thead>
      <tbody>
        {problems.map((p) => (
          <tr key={p.ref}>
            <th scope="row">
              {p.text || t('chart.unnamed')} <SyncBadge state={p.syncState} />
            </th>
            <td>
              <StatusText code={p.clinicalStatus} labelKey={statusKey(p.clinicalStatus)} />
            </td>
            <td>{formatDate(p.onset, language)}</td>
            <td>{formatDate(p.abatement, language)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
