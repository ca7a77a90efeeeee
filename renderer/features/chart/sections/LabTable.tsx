import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { WhenText } from '../ChartBits';
import { latestByTest, type LabResult } from '../observations';
import { ResourceDetails } from '../ResourceDetails';
import { StatusTag } from '../ChartBits';
import { SyncBadge } from '../SyncBadge';
import { FlagTag, rangeText, ResultValue } from './ResultValue';

/**
 * One group of results (a category, or results without one): the latest of each test with its
 * range, flag and the one before; each test's whole history below it, newest first.
 */
export function LabTable({ labs, language, caption }: Readonly<{ labs: readonly LabResult[]; language: Language; caption: string }>) {
  const { t } = useTranslation();
  const tests = latestByTest(labs);
  return (
    <table className="data-table lab-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('chart.results.test')}</th>
          <th scope="col">{t('chart.results.value')}</th>
          <th scope="col">{t('chart.results.range')}</th>
          <th scope="col">{t('chart.results.flag')}</th>
          <th scope="col">{t('chart.results.date')}</th>
          <th scope="col">{t('chart.results.history')}</th>
        </tr>
      </thead>
      <tbody>
        {tests.map(({ latest: lab, all }) => (
          <tr key={lab.ref} data-ref={lab.ref} className={lab.flag !== null && lab.flag !== 'N' ? 'row--abnormal' : undefined}>
            <th scope="row">
              {lab.name} <SyncBadge state={lab.syncState} itemRef={lab.ref} /> {lab.status !== 'final' && <StatusTag code={lab.status} />}
              {lab.interpretationText !== '' && <span className="hint"> {lab.interpretationText}</span>}
            </th>
            <td className="num">
              <ResultValue lab={lab} language={language} />
            </td>
            <td className="num">{rangeText(lab, language)}</td>
            <td>
              <FlagTag flag={lab.flag} />
            </td>
            <td>
              <WhenText when={lab.when} language={language} />
            </td>
            <td>
              {all.length === 1 ? (
                <ResourceDetails resource={lab.resource} />
              ) : (
                <details className="history">
                  <summary>{t('chart.results.allOfTest', { count: all.length })}</summary>
                  <ol className="plain-list history__list">
                    {all.map((r) => (
                      <li key={r.ref} data-ref={r.ref}>
                        <WhenText when={r.when} language={language} /> — <ResultValue lab={r} language={language} /> <FlagTag flag={r.flag} /> <SyncBadge state={r.syncState} itemRef={r.ref} />
                      </li>
                    ))}
                  </ol>
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
