import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../../app/shell-context';
import { usePatientList, usePatientListStore, useReplicaRevision, useRoute, useWorkspace } from '../../app/workspace-context';
import { EmergencyAccessForm } from '../emergency/EmergencyAccessForm';
import { recentWindowDays, upcomingWindowDays, visibleRows } from '../../../shared/clinical/patient-directory';
import { loadPatientRows, queryKind, searchPatients } from './patient-list-store';
import { PatientRowView } from './PatientRowView';

const rowHeight = 72;

/**
 * Every patient in scope. Only the rows in view are in the DOM (@tanstack/react-virtual), so the
 * list stays smooth at 2,500+. The arrow keys move between rows; Enter opens the chart.
 */
export function PatientList() {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const workspace = useWorkspace();
  const store = usePatientListStore();
  const revision = useReplicaRevision();
  const go = useRoute((s) => s.go);
  const { rows, loaded, query, matches, filters, failed } = usePatientList((s) => s);
  const [typed, setTyped] = useState(query);
  const [emergencyOpen, setEmergencyOpen] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const identifierPriority = useAppState((s) => s.identifierPriority);
  useEffect(() => {
    void loadPatientRows(store, workspace.replica, new Date(), identifierPriority);
  }, [store, workspace, revision, identifierPriority]);

  useEffect(() => {
    // At each key: the index answers at once (no decryption), so there is nothing to wait for.
    void searchPatients(store, workspace.replica, typed);
    // Re-run when rows change: new patients arrive during the initial sync.
  }, [store, workspace, typed, rows.length]);

  // BALP Query: what kind of search, never the text typed; once the typing has settled.
  useEffect(() => {
    if (typed.trim() === '') return;
    // A search names no patient: its entry failing to commit does not hide the list (a chart does not open without one).
    const timer = setTimeout(() => void workspace.audit('search', null, queryKind(typed)).catch(() => undefined), 1_500);
    return () => clearTimeout(timer);
  }, [workspace, typed]);

  const shown = useMemo(() => visibleRows(rows, matches, filters, new Date()), [rows, matches, filters]);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 8 });
  // A new search's matches are read from the top, wherever the list was scrolled before.
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [virtualizer, matches]);

  const focusRow = (index: number): void => {
    const target = Math.max(0, Math.min(shown.length - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    // The row may only exist after the virtualizer re-renders.
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLButtonElement>(`[data-row="${target}"]`)?.focus());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const current = Number((event.target as HTMLElement).dataset['row'] ?? '-1');
    if (current < 0) return;
    const step: Readonly<Record<string, number>> = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 };
    if (event.key in step) focusRow(current + (step[event.key] ?? 0));
    else if (event.key === 'Home') focusRow(0);
    else if (event.key === 'End') focusRow(shown.length - 1);
    else return;
    event.preventDefault();
  };
  const toggle = (name: keyof typeof filters): void => store.setState({ filters: { ...filters, [name]: !filters[name] } });

  return (
    <section className="patients" aria-labelledby="patients-title">
      <div className="patients__head">
        <h1 id="patients-title">{t('patients.title')}</h1>
        <button type="button" className="button button--danger patients__emergency" aria-expanded={emergencyOpen} onClick={() => setEmergencyOpen((open) => !open)}>
          {t('emergency.open')}
        </button>
        <div className="patients__search">
          <label htmlFor="patient-search">{t('patients.search')}</label>
          <input id="patient-search" type="search" value={typed} autoComplete="off" spellCheck={false} aria-describedby="patient-search-hint" onChange={(e) => setTyped(e.target.value)} />
          <p id="patient-search-hint" className="hint">
            {t('patients.searchHint')}
          </p>
        </div>
        <div className="patients__filters" role="group" aria-label={t('patients.filters')}>
          <button type="button" className="chip" aria-pressed={filters.upcoming} onClick={() => toggle('upcoming')}>
            {t('patients.filterUpcoming', { days: upcomingWindowDays })}
          </button>
          <button type="button" className="chip" aria-pressed={filters.recent} onClick={() => toggle('recent')}>
            {t('patients.filterRecent', { days: recentWindowDays })}
          </button>
        </div>
        <p className="patients__count" role="status" aria-live="polite">
          {loaded ? t('patients.count', { shown: shown.length, total: rows.length }) : t('patients.loading')}
        </p>
      </div>
      {emergencyOpen && <EmergencyAccessForm onCancel={() => setEmergencyOpen(false)} />}
      {failed && (
        <p className="alert" role="alert">
          {t('patients.loadFailed')}
        </p>
      )}
      {loaded && rows.length === 0 && <p className="notice">{t('patients.empty')}</p>}
      {loaded && rows.length > 0 && shown.length === 0 && <p className="notice">{t('patients.noMatch')}</p>}
      <div className={`patients__scroller${shown.length === 0 ? ' patients__scroller--empty' : ''}`} ref={scroller} onKeyDown={onKeyDown}>
        <ul className="patients__list" aria-label={t('patients.listLabel')} style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = shown[item.index];
            if (row === undefined) return null;
            return (
              <li
                key={row.ref}
                className="patients__item"
                aria-setsize={shown.length}
                aria-posinset={item.index + 1}
                style={{ height: `${item.size}px`, transform: `translateY(${item.start}px)` }}
              >
                <PatientRowView row={row} language={language} index={item.index} onOpen={() => go({ screen: 'chart', patient: row.ref, section: 'summary' })} />
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
