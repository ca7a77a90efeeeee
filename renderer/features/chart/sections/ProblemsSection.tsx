import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { parseWhen } from '../../../../shared/fhir/fhir-when';
import { ItemRow, NoneRecorded, UnreadNotice, WhenText } from '../ChartBits';
import type { ProblemItem, ProblemKind } from '../clinical-items';

/**
 * Conditions in three lists: clinical problems (active first), social findings and situations
 * (employment, living alone, carers…), and what was refuted or entered in error (struck through).
 */
const groups: readonly Readonly<{ kind: ProblemKind; title: string }>[] = [
  { kind: 'problem', title: 'chart.problems.clinical' },
  { kind: 'social', title: 'chart.problems.social' },
  { kind: 'refuted', title: 'chart.problems.refuted' },
];

export function ProblemsSection(props: Readonly<{ problems: readonly ProblemItem[]; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  const { language } = props;
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {props.problems.length === 0 && <NoneRecorded kind="problems">{t('chart.problems.none')}</NoneRecorded>}
      {groups.map(({ kind, title }) => {
        const list = props.problems.filter((p) => p.kind === kind);
        if (list.length === 0) return null;
        return (
          <section key={kind} aria-labelledby={`problems-${kind}`}>
            <h3 id={`problems-${kind}`}>{t(title)}</h3>
            <ul className="chart-list">
              {list.map((p) => (
                <ItemRow key={p.ref} item={p} title={p.text} status={p.verification === 'refuted' || p.verification === 'entered-in-error' ? p.verification : p.clinicalStatus} language={language} struck={kind === 'refuted'}>
                  <p className="chart-item__line">
                    {(p.onset !== null || p.onsetText !== '') && (
                      <span>
                        {t('chart.problems.onset')} {p.onset !== null ? <WhenText when={parseWhen(p.onset)} language={language} /> : p.onsetText}
                      </span>
                    )}
                    {(p.abatement !== null || p.abatementText !== '') && (
                      <span>
                        {' · '}
                        {t('chart.problems.resolved')} {p.abatement !== null ? <WhenText when={parseWhen(p.abatement)} language={language} /> : p.abatementText}
                      </span>
                    )}
                    {p.verification !== null && p.verification !== 'confirmed' && kind !== 'refuted' && (
                      <span>
                        {' · '}
                        {t('chart.problems.verification', { status: p.verification })}
                      </span>
                    )}
                  </p>
                </ItemRow>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
