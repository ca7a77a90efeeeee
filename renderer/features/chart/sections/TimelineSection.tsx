import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDate, formatDateTime } from '../../../i18n/format';
import { resourceTypeKey } from '../resource-labels';
import type { TimelineEntry } from '../chart-model';

const shownAtOnce = 300;

/** Everything dated in the chart, newest first, grouped by day. */
export function TimelineSection({ timeline, language }: Readonly<{ timeline: readonly TimelineEntry[]; language: Language }>) {
  const { t } = useTranslation();
  if (timeline.length === 0) return <p>{t('chart.timeline.none')}</p>;
  const days = new Map<string, TimelineEntry[]>();
  for (const entry of timeline.slice(0, shownAtOnce)) {
    const day = formatDate(entry.when.slice(0, 10), language);
    days.set(day, [...(days.get(day) ?? []), entry]);
  }
  return (
    <>
      <ol className="timeline">
        {[...days.entries()].map(([day, entries]) => (
          <li key={day}>
            <h3 className="timeline__day">{day}</h3>
            <ul className="plain-list">
              {entries.map((e) => (
                <li key={e.ref}>
                  <span className="timeline__time">{formatDateTime(e.when, language)}</span> <span className="tag tag--info">{t(resourceTypeKey(e.resourceType))}</span> {e.text}{' '}
                  {e.pending && <span className="tag tag--pending">{t('chart.pending')}</span>}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {timeline.length > shownAtOnce && <p className="hint">{t('chart.timeline.truncated', { n: shownAtOnce, total: timeline.length })}</p>}
    </>
  );
}
