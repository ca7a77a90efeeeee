import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { dosageLines } from '../../record/dosage-text';
import { NotChecked } from '../../medication/NotChecked';
import { ItemRow, NoneRecorded, UnreadNotice } from '../ChartBits';
import { activeMedication } from '../chart-model';
import type { MedicationItem } from '../clinical-items';
import { resourceTypeKey } from '../resource-labels';

/**
 * Current treatment first, then past prescriptions and statements, then what was given or
 * dispensed. The dosage is what the prescriber wrote, or the structured dosage in words.
 */
function MedicationRow({ m, language }: Readonly<{ m: MedicationItem; language: Language }>) {
  const { t } = useTranslation();
  const lines = dosageLines(m.resource, language, (key, options) => t(key, { ...options }));
  const title = m.name !== '' ? m.name : t('chart.medications.unresolved', { reference: m.unresolvedReference ?? '' });
  return (
    <ItemRow item={m} title={title} status={m.status} when={m.when} language={language} struck={m.status === 'entered-in-error'}>
      <p className="chart-item__line">
        <span className="tag tag--info">{t(resourceTypeKey(m.resource.resourceType))}</span>{' '}
        {activeMedication(m) && (
          <>
            <NotChecked medication={m} />{' '}
          </>
        )}
        {lines.length > 0 ? <span className="dosage">{lines.join(' ; ')}</span> : <span className="hint">{t('chart.medications.noDosage')}</span>}
        {m.reason !== '' && <span className="hint"> — {t('chart.medications.reason', { reason: m.reason })}</span>}
      </p>
    </ItemRow>
  );
}

export function MedicationsSection(props: Readonly<{ medications: readonly MedicationItem[]; language: Language; unread?: number; onOpenOther(): void }>) {
  const { t } = useTranslation();
  const current = props.medications.filter(activeMedication);
  const given = props.medications.filter((m) => m.kind === 'administration' || m.kind === 'dispense');
  const past = props.medications.filter((m) => !activeMedication(m) && m.kind !== 'administration' && m.kind !== 'dispense');
  const list = (items: readonly MedicationItem[], id: string, title: string) =>
    items.length === 0 ? null : (
      <section aria-labelledby={id}>
        <h3 id={id}>{t(title)}</h3>
        <ul className="chart-list">
          {items.map((m) => (
            <MedicationRow key={m.ref} m={m} language={props.language} />
          ))}
        </ul>
      </section>
    );
  return (
    <>
      <UnreadNotice count={props.unread} onOpenOther={props.onOpenOther} />
      {props.medications.length === 0 && <NoneRecorded kind="medications">{t('chart.medications.none')}</NoneRecorded>}
      {props.medications.length > 0 && current.length === 0 && <p>{t('chart.medications.noneCurrent')}</p>}
      {list(current, 'medications-current', 'chart.medications.current')}
      {list(past, 'medications-past', 'chart.medications.past')}
      {list(given, 'medications-given', 'chart.medications.given')}
    </>
  );
}
