import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { ItemRow, NoneRecorded } from '../ChartBits';
import { sectionKey } from '../chart-labels';
import type { OtherRecord } from '../chart-model';
import type { RecordItem } from '../record-items';
import { hasTypeLabel, resourceTypeKey } from '../resource-labels';
import { RecordList } from './RecordListSection';

/**
 * Devices, family history, and every other record: a type the chart does not know, or an item that
 * could not be read as its type, is still listed here with its type, date and text, and every
 * element on demand. Nothing the replica holds is dropped.
 */
export function OtherSection(props: Readonly<{ devices: readonly RecordItem[]; familyHistory: readonly RecordItem[]; others: readonly OtherRecord[]; language: Language }>) {
  const { t } = useTranslation();
  const types = [...new Set(props.others.map((o) => o.resourceType))];
  const empty = props.devices.length + props.familyHistory.length + props.others.length === 0;
  return (
    <>
      {empty && <NoneRecorded kind="other">{t('chart.other.none')}</NoneRecorded>}
      <RecordList id="other-devices" title="chart.other.devices" items={props.devices} language={props.language} />
      <RecordList id="other-family" title="chart.other.family" items={props.familyHistory} language={props.language} />
      {props.others.length > 0 && <h3>{t('chart.other.records')}</h3>}
      {types.map((type) => {
        const list = props.others.filter((o) => o.resourceType === type);
        return (
          <section key={type} aria-labelledby={`other-${type}`}>
            <h4 id={`other-${type}`}>
              {hasTypeLabel(type) ? t(resourceTypeKey(type)) : type} <span className="hint">({list.length})</span>
            </h4>
            <ul className="chart-list">
              {list.map((o) => (
                <ItemRow key={o.ref} item={o} title={o.title || t('chart.other.untitled', { type })} status={o.status} when={o.when} language={props.language} facts={o.facts}>
                  {o.unreadAs !== null && <p className="chart-item__line hint">{t('chart.other.unreadAs', { section: t(sectionKey[o.unreadAs]) })}</p>}
                </ItemRow>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
