import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartSection } from '../../app/route-store';
import { chartSections, sectionKey } from './chart-labels';

/** The chart's sections as a tab list (WAI-ARIA tabs: arrows, Home and End move and select). */
export function ChartTabs(props: Readonly<{ current: ChartSection; onSelect(section: ChartSection): void }>) {
  const { t } = useTranslation();
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent): void => {
    const index = chartSections.indexOf(props.current);
    const moves: Readonly<Record<string, number>> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: chartSections.length - 1 };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = chartSections[(target + chartSections.length) % chartSections.length] ?? 'summary';
    props.onSelect(next);
    requestAnimationFrame(() => list.current?.querySelector<HTMLButtonElement>(`#tab-${next}`)?.focus());
  };
  return (
    <div className="chart-tabs" role="tablist" aria-label={t('chart.sections')} ref={list} onKeyDown={onKeyDown}>
      {chartSections.map((section) => (
        <button
          key={section}
          id={`tab-${section}`}
          type="button"
          role="tab"
          className="button button--quiet"
          aria-selected={props.current === section}
          aria-controls="chart-panel"
          tabIndex={props.current === section ? 0 : -1}
          onClick={() => props.onSelect(section)}
        >
          {t(sectionKey[section])}
        </button>
      ))}
    </div>
  );
}
