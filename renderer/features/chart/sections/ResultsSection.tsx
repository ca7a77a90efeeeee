import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { displayText } from '../../../../shared/fhir/fhir-text';
import { ItemRow, NoneRecorded, UnreadNotice } from '../ChartBits';
import { resultGroupKey } from '../chart-labels';
import type { ReportItem } from '../documents';
import { NarrativeFrame } from '../NarrativeFrame';
import { resultGroupOrder, type LabResult, type VitalSeries } from '../observations';
import type { RecordItem } from '../record-items';
import { VitalTrend } from '../VitalTrend';
import { AttachmentFiles } from './AttachmentFiles';
import { LabTable } from './LabTable';
import { RecordList } from './RecordListSection';
import { ViewerLink } from './ViewerLink';
import { ResultValue } from './ResultValue';

/**
 * Vital-sign trends, then every result in its group (laboratory, results without a category
 * grouped by test, scores and questionnaires, social history, imaging, …, every vital-sign
 * measurement), then reports with their conclusion, results and attached forms, and imaging studies.
 */
export function ResultsSection(props: Readonly<{ patient: string; results: readonly LabResult[]; vitals: readonly VitalSeries[]; reports: readonly ReportItem[]; imaging: readonly RecordItem[]; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  const { language } = props;
  const empty = props.results.length + props.reports.length + props.imaging.length === 0;
  const byRef = new Map(props.results.map((r) => [r.ref, r]));
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {empty && <NoneRecorded kind="results">{t('chart.results.none')}</NoneRecorded>}
      {props.vitals.length > 0 && (
        <section aria-labelledby="results-vitals">
          <h3 id="results-vitals">{t('chart.results.vitals')}</h3>
          <div className="vital-grid">
            {props.vitals.map((series) => (
              <VitalTrend key={series.kind} series={series} language={language} />
            ))}
          </div>
        </section>
      )}
      {resultGroupOrder.map((group) => {
        const labs = props.results.filter((r) => r.group === group);
        if (labs.length === 0) return null;
        const named = group === 'other-category' ? [...new Set(labs.map((l) => l.categoryText))].join(', ') : '';
        return (
          <section key={group} aria-labelledby={`results-${group}`}>
            <h3 id={`results-${group}`}>
              {t(resultGroupKey[group])} {named !== '' && <span className="hint">({named})</span>}
            </h3>
            <LabTable labs={labs} language={language} caption={t('chart.results.groupCaption', { group: t(resultGroupKey[group]) })} />
          </section>
        );
      })}
      {props.reports.length > 0 && (
        <section aria-labelledby="results-reports">
          <h3 id="results-reports">{t('chart.results.reports')}</h3>
          <ul className="chart-list">
            {props.reports.map((report) => (
              <ItemRow key={report.ref} item={report} title={report.title || t('chart.type.DiagnosticReport')} status={report.status} when={report.when} language={language}>
                {report.category !== '' && <p className="chart-item__line hint">{report.category}</p>}
                {report.conclusion !== '' && (
                  <p className="chart-item__line">
                    <strong>{t('chart.results.conclusion')}</strong> {report.conclusion}
                  </p>
                )}
                {report.results.length > 0 && (
                  <ul className="plain-list components">
                    {report.results.map((ref) => {
                      const lab = byRef.get(ref);
                      return <li key={ref}>{lab === undefined ? t('chart.results.notHere', { ref }) : <>{lab.name}: <ResultValue lab={lab} language={language} /></>}</li>;
                    })}
                  </ul>
                )}
                {report.content.plainTexts.map((text, i) => (
                  <p key={i} className="note-text">
                    {displayText(text, 20_000)}
                  </p>
                ))}
                {report.content.sections.map((section, i) => section.xhtml !== null && <NarrativeFrame key={i} xhtml={section.xhtml} title={t('chart.documents.frameTitle', { title: section.title || report.title })} />)}
                <AttachmentFiles files={report.content.files} />
              </ItemRow>
            ))}
          </ul>
        </section>
      )}
      <RecordList id="results-imaging" title="chart.results.imaging" items={props.imaging} language={language} extra={(item) => <ViewerLink study={item} patient={props.patient} />} />
    </>
  );
}
