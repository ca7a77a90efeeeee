import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDate, formatNumber, formatQuantity, unitLabel } from '../../../i18n/format';
import { flagKey } from '../chart-labels';
import { latestByTest, type LabResult } from '../observations';
import { SyncBadge } from '../SyncBadge';

const arrow: Readonly<Record<string, string>> = { H: '↑', HH: '↑↑', L: '↓', LL: '↓↓', A: '!', N: '' };

function rangeText(lab: LabResult, language: Language, unit: string): string {
  if (lab.low !== null && lab.high !== null) return `${formatNumber(lab.low, language)} – ${formatQuantity(lab.high, unit, language)}`;
  if (lab.high !== null) return `≤ ${formatQuantity(lab.high, unit, language)}`;
  if (lab.low !== null) return `≥ ${formatQuantity(lab.low, unit, language)}`;
  return lab.rangeText;
}

function valueText(lab: LabResult, language: Language): string {
  if (lab.value === null) return lab.valueText;
  return formatQuantity(lab.value, unitLabel(lab.unitCode, lab.unit, language), language, 3);
}

function Flag({ lab }: Readonly<{ lab: LabResult }>) {
  const { t } = useTranslation();
  if (lab.flag === null) return null;
  const abnormal = lab.flag !== 'N';
  return (
    <span className={`flag flag--${abnormal ? 'abnormal' : 'normal'}`}>
      {abnormal && <span aria-hidden="true">{arrow[lab.flag]} </span>}
      {t(flagKey[lab.flag])}
    </span>
  );
}

/** Latest result of each test with its reference range and flag; every result below, newest first. */
export function LabTable({ labs, language }: Readonly<{ labs: readonly LabResult[]; language: Language }>) {
  const { t } = useTranslation();
  if (labs.length === 0) return <p>{t('chart.results.noLabs')}</p>;
  const latest = latestByTest(labs);
  return (
    <>
      <table className="data-table lab-table">
        <caption>{t('chart.results.latestCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('chart.results.test')}</th>
            <th scope="col">{t('chart.results.value')}</th>
            <th scope="col">{t('chart.results.range')}</th>
            <th scope="col">{t('chart.results.flag')}</th>
            <th scope="col">{t('chart.results.date')}</th>
            <th scope="col">{t('chart.results.previous')}</th>
          </tr>
        </thead>
        <tbody>
          {latest.map(({ latest: lab, previous }) => (
            <tr key={lab.ref} className={lab.flag !== null && lab.flag !== 'N' ? 'row--abnormal' : undefined}>
              <th scope="row">
                {lab.name} <SyncBadge state={lab.syncState} />
              </th>
              <td className="num">{valueText(lab, language)}</td>
              <td className="num">{rangeText(lab, language, unitLabel(lab.unitCode, lab.unit, language))}</td>
              <td>
                <Flag lab={lab} />
              </td>
              <td>{formatDate(lab.when?.slice(0, 10) ?? null, language)}</td>
              <td className="num">{previous === null ? '—' : `${valueText(previous, language)} (${formatDate(previous.when?.slice(0, 10) ?? null, language)})`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="all-results">
        <summary>{t('chart.results.allResults', { n: labs.length })}</summary>
        <table className="data-table">
          <caption>{t('chart.results.allCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.results.date')}</th>
              <th scope="col">{t('chart.results.test')}</th>
              <th scope="col">{t('chart.results.value')}</th>
              <th scope="col">{t('chart.results.flag')}</th>
            </tr>
          </thead>
          <tbody>
            {labs.map((lab) => (
              <tr key={lab.ref}>
                <td>{formatDate(lab.when?.slice(0, 10) ?? null, language)}</td>
                <th scope="row">{lab.name}</th>
                <td className="num">{valueText(lab, language)}</td>
                <td>
                  <Flag lab={lab} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
