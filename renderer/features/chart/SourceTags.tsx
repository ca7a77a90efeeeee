import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { primarySourceId } from '../../../shared/exchange/source-policy';
import type { SourcedEntry } from './chart-sources';

/**
 * Where each item of a chart built from several sources comes from (issue 15): ref → its source,
 * the other sources holding the same fact, the sources that disagree; and each source's label.
 * Empty for a chart of the primary HIE alone: nothing is shown then.
 */
export type ChartSources = Readonly<{ items: ReadonlyMap<string, Pick<SourcedEntry, 'source' | 'alsoIn' | 'disagreesWith'>>; labels: ReadonlyMap<string, string> }>;

export const ChartSourcesContext = createContext<ChartSources>({ items: new Map(), labels: new Map() });

export function chartSourcesOf(entries: readonly SourcedEntry[], labels: ReadonlyMap<string, string>): ChartSources {
  const items = new Map<string, Pick<SourcedEntry, 'source' | 'alsoIn' | 'disagreesWith'>>();
  for (const entry of entries) if (entry.source !== primarySourceId || entry.alsoIn.length > 0 || entry.disagreesWith.length > 0) items.set(entry.ref, entry);
  return { items, labels };
}

/** Beside an item: the source it comes from (another than the HIE), where else it is, and who disagrees. */
export function SourceTags({ itemRef }: Readonly<{ itemRef: string }>) {
  const { t } = useTranslation();
  const { items, labels } = useContext(ChartSourcesContext);
  const item = items.get(itemRef);
  if (item === undefined) return null;
  const label = (source: string): string => (source === primarySourceId ? t('sources.primary') : (labels.get(source) ?? source));
  const disagreeing = [...new Set(item.disagreesWith.map((d) => d.source))];
  return (
    <>
      {item.source !== primarySourceId && <span className="tag tag--source" data-source={item.source}>{t('sources.chart.from', { source: label(item.source) })}</span>}
      {item.alsoIn.length > 0 && <span className="tag tag--info">{t('sources.chart.alsoIn', { sources: item.alsoIn.map(label).join(', ') })}</span>}
      {disagreeing.length > 0 && <span className="tag tag--danger">{t('sources.chart.disagrees', { sources: disagreeing.map(label).join(', ') })}</span>}
    </>
  );
}
