import { useContext, useState } from 'react';
import { primarySourceId } from '../../../../shared/exchange/source-policy';
import { sourceOfRef } from '../chart-sources';
import { ChartSourcesContext } from '../SourceTags';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { AllergyForm } from '../../charting/AllergyForm';
import { ItemRow, NoneRecorded, UnreadNotice } from '../ChartBits';
import { criticalityKey, severityKey } from '../chart-labels';
import type { AllergyItem } from '../clinical-items';

/**
 * Every allergy and intolerance of the record: substance, criticality, each reaction with its own
 * severity (R4 puts severity on the reaction), status; an edit form for each (an update keeps the
 * record's other fields). Refuted ones and entries in error stay listed, struck through.
 */
export function AllergiesSection(props: Readonly<{ allergies: readonly AllergyItem[]; patient: string; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);
  // Another source's allergy is read only here (edits go to the HIE only).
  const { labels } = useContext(ChartSourcesContext);
  const current = props.allergies.find((a) => a.ref === editing);
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {props.allergies.length === 0 ? (
        <NoneRecorded kind="allergies">{t('chart.allergy.none')}</NoneRecorded>
      ) : (
        <ul className="chart-list" aria-label={t('chart.allergy.caption')}>
          {props.allergies.map((a) => {
            const struck = a.verification === 'refuted' || a.verification === 'entered-in-error';
            return (
              <ItemRow key={a.ref} item={a} title={a.substance || t('chart.allergy.unnamed')} status={struck ? a.verification : a.clinicalStatus} when={a.when} language={props.language} struck={struck}>
                <p className="chart-item__line">
                  {a.criticality !== null && <span className={`tag ${a.criticality === 'high' ? 'tag--danger' : 'tag--info'}`}>{t('chart.allergy.criticalityShort', { criticality: t(criticalityKey[a.criticality]) })}</span>}{' '}
                  {a.category.length > 0 && <span className="hint">{a.category.join(', ')}</span>}
                </p>
                {a.reactionDetails.length > 0 && (
                  <ul className="plain-list reactions">
                    {a.reactionDetails.map((r, i) => (
                      <li key={i}>
                        {r.manifestations.join(', ') || r.description || t('chart.allergy.reactionUnnamed')}{' '}
                        {r.severity !== null && <span className={`tag ${r.severity === 'severe' ? 'tag--danger' : 'tag--info'}`}>{t(severityKey[r.severity])}</span>}
                      </li>
                    ))}
                  </ul>
                )}
                {sourceOfRef(a.ref).source === primarySourceId ? (
                  <button type="button" className="button" disabled={a.syncState === 'conflict'} aria-expanded={editing === a.ref} onClick={() => setEditing(editing === a.ref ? null : a.ref)}>
                    {t('chart.allergy.edit', { name: a.substance })}
                  </button>
                ) : (
                  <p className="hint">{t('sources.chart.readOnly', { source: labels.get(sourceOfRef(a.ref).source) ?? sourceOfRef(a.ref).source })}</p>
                )}
              </ItemRow>
            );
          })}
        </ul>
      )}
      {current !== undefined && <AllergyForm key={current.ref} patient={props.patient} language={props.language} existing={current} onDone={() => setEditing(null)} />}
    </>
  );
}
