import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { ItemRow } from '../ChartBits';
import type { RecordItem } from '../record-items';

/** A titled list of items shown as title, status, date and facts (procedures, vaccines, plans…). */
export function RecordList(props: Readonly<{ id: string; title: string; items: readonly RecordItem[]; language: Language; extra?: (item: RecordItem) => ReactNode }>) {
  const { t } = useTranslation();
  if (props.items.length === 0) return null;
  return (
    <section aria-labelledby={props.id}>
      <h3 id={props.id}>{t(props.title)}</h3>
      <ul className="chart-list">
        {props.items.map((item) => (
          <ItemRow key={item.ref} item={item} title={item.title || t('chart.unnamed')} status={item.status} when={item.when} language={props.language} facts={item.facts} struck={item.status === 'entered-in-error'}>
            {props.extra?.(item)}
          </ItemRow>
        ))}
      </ul>
    </section>
  );
}
