import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDayHeading, formatTimeOfDay } from '../../../i18n/format';
import { NoneRecorded } from '../ChartBits';
import { activeMedication, type TimelineEntry } from '../chart-model';
import type { MedicationItem } from '../clinical-items';
import { NotChecked } from '../../medication/NotChecked';
import { hasTypeLabel, resourceTypeKey } from '../resource-labels';

/**
 * Everything dated in the chart, newest first, under the day it falls on in the laptop's time zone
 * (a date without a time under its own date). Filters by type and by date range; the newest items
 * first, older ones loaded on demand (a button, or scrolling to the end); only the rows in view are
 * in the page, so ten years of history stay smooth.
 */
const page = 200;
const rowHeight = 36;

type Row = Readonly<{ kind: 'day'; day: string } | { kind: 'item'; entry: TimelineEntry }>;

/** A day key (YYYY, YYYY-MM, YYYY-MM-DD) against a YYYY-MM-DD bound: partial dates compare by their first day. */
const startOf = (day: string): string => (day.length === 4 ? `${day}-01-01` : day.length === 7 ? `${day}-01` : day);

export function TimelineSection({ timeline, language, medications = [] }: Readonly<{ timeline: readonly TimelineEntry[]; language: Language; medications?: readonly MedicationItem[] }>) {
  const { t } = useTranslation();
  // A current medication the dictionary does not know says "not checked" here too.
  const currentMedications = useMemo(() => new Map(medications.filter(activeMedication).map((m) => [m.ref, m])), [medications]);
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [loaded, setLoaded] = useState(page);
  const scroller = useRef<HTMLDivElement>(null);
  const types = useMemo(() => [...new Set(timeline.map((e) => e.resourceType))].sort(), [timeline]);
  const filtered = useMemo(
    () => timeline.filter((e) => (type === '' || e.resourceType === type) && (from === '' || startOf(e.day) >= from) && (to === '' || startOf(e.day) <= to)),
    [timeline, type, from, to],
  );
  useEffect(() => setLoaded(page), [type, from, to]);
  const shown = filtered.slice(0, loaded);
  const rows = useMemo(() => {
    const out: Row[] = [];
    let day = '';
    for (const entry of shown) {
      if (entry.day !== day) {
        day = entry.day;
        out.push({ kind: 'day', day });
      }
      out.push({ kind: 'item', entry });
    }
    return out;
  }, [shown]);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const more = filtered.length - shown.length;
  // Reaching the end of what is loaded loads the next older page.
  useEffect(() => {
    if (more > 0 && lastIndex >= rows.length - 5) setLoaded((n) => n + page);
  }, [lastIndex, rows.length, more]);

  if (timeline.length === 0) return <NoneRecorded kind="timeline">{t('chart.timeline.none')}</NoneRecorded>;
  const typeName = (resourceType: string): string => (hasTypeLabel(resourceType) ? t(resourceTypeKey(resourceType)) : resourceType);
  return (
    <>
      <div className="timeline__filters" role="group" aria-label={t('chart.timeline.filters')}>
        <label htmlFor="timeline-type">{t('chart.timeline.type')}</label>
        <select id="timeline-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t('chart.timeline.allTypes')}</option>
            {types.map((ty) => (
              <option key={ty} value={ty}>
                {typeName(ty)}
              </option>
            ))}
        </select>
        <label htmlFor="timeline-from">{t('chart.timeline.from')}</label>
        <input id="timeline-from" type="date" autoComplete="off" value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor="timeline-to">{t('chart.timeline.to')}</label>
        <input id="timeline-to" type="date" autoComplete="off" value={to} onChange={(e) => setTo(e.target.value)} />
        <p className="hint" role="status" aria-live="polite">
          {t('chart.timeline.count', { shown: shown.length, total: filtered.length })}
        </p>
      </div>
      <div className="timeline__scroller" ref={scroller} tabIndex={0} aria-label={t('chart.timeline.label')}>
        <ol className="timeline" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <li key={row.kind === 'day' ? `day-${row.day}` : `item-${row.entry.ref}`} className={row.kind === 'day' ? 'timeline__day' : 'timeline__item'} style={{ height: `${item.size}px`, transform: `translateY(${item.start}px)` }}>
                {row.kind === 'day' ? (
                  <h3 className="timeline__heading">{formatDayHeading(row.day, language)}</h3>
                ) : (
                  <>
                    <span className="timeline__time">{formatTimeOfDay(row.entry.when, language)}</span> <span className="tag tag--info">{typeName(row.entry.resourceType)}</span> {row.entry.text}{' '}
                    {currentMedications.has(row.entry.ref) && <NotChecked medication={currentMedications.get(row.entry.ref) as MedicationItem} />}{' '}
                    {row.entry.pending && <span className="tag tag--pending">{t('chart.pending')}</span>}
                  </>
                )}
              </li>
            );
          })}
        </ol>
      </div>
      {more > 0 && (
        <button type="button" className="button" onClick={() => setLoaded((n) => n + page)}>
          {t('chart.timeline.older', { count: Math.min(page, more) })}
        </button>
      )}
      {filtered.length === 0 && <p>{t('chart.timeline.noMatch')}</p>}
    </>
  );
}
