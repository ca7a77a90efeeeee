import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduleRow, Todo } from '../../../shared/clinical/coordination';
import { dayOf, parseWhen } from '../../../shared/fhir/fhir-when';
import { useCoordination, useCoordinationStore, useRoute, useWorkspace } from '../../app/workspace-context';
import { useAppState } from '../../app/shell-context';
import { formatDate, formatDayHeading, formatTimeOfDay } from '../../i18n/format';
import { CoordinationPending, loadCoordination } from './coordination-store';

const statusKeys: Readonly<Record<string, string>> = {
  booked: 'day.status.booked', arrived: 'day.status.arrived', 'checked-in': 'day.status.checked-in', fulfilled: 'day.status.fulfilled',
  cancelled: 'day.status.cancelled', noshow: 'day.status.noshow', pending: 'day.status.pending', proposed: 'day.status.proposed',
  waitlist: 'day.status.waitlist', 'entered-in-error': 'day.status.entered-in-error',
};
export const appointmentStatusKey = (status: string): string => statusKeys[status] ?? 'day.status.unknown';

/** What the clinician may mark from each status, offline: arrived, seen, did not attend. */
export function nextSteps(status: string): readonly ('arrived' | 'fulfilled' | 'noshow')[] {
  if (status === 'booked' || status === 'pending' || status === 'proposed') return ['arrived', 'fulfilled', 'noshow'];
  if (status === 'arrived' || status === 'checked-in') return ['fulfilled', 'noshow'];
  return [];
}

/** The laptop's calendar day of an instant or date, as YYYY-MM-DD. */
const localDay = (value: string | null): string | null => {
  const when = value === null ? null : parseWhen(value);
  return when === null ? null : dayOf(when);
};

const todayKey = (now: Date): string => localDay(now.toISOString()) ?? now.toISOString().slice(0, 10);

/**
 * The screen a travelling clinician opens at 8 a.m.: today's appointments in order, each opening
 * the chart and marked arrived / seen / did not attend offline; the to-dos due this week; the
 * rest of the week by day.
 */
export function MyDay() {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const model = useCoordination((s) => s.model);
  const store = useCoordinationStore();
  const workspace = useWorkspace();
  const go = useRoute((s) => s.go);
  const [message, setMessage] = useState<{ kind: 'saved' | 'failed'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  if (model === null) return <CoordinationPending />;
  const now = new Date();
  const today = todayKey(now);
  const weekEnd = todayKey(new Date(now.getTime() + 7 * 86_400_000));
  const todays = model.schedule.filter((row) => localDay(row.start) === today);
  const later = model.schedule.filter((row) => {
    const day = localDay(row.start);
    return day !== null && day > today && day <= weekEnd;
  });
  const days = [...new Set(later.map((row) => localDay(row.start) as string))];
  const nameOf = (patient: string | null): string => (patient === null ? t('day.unknownPatient') : model.patients[patient] ?? t('day.unknownPatient'));
  const todos = model.todos.filter((todo) => todo.due === null || (localDay(todo.due) ?? '') <= weekEnd);

  const mark = async (row: ScheduleRow, status: 'arrived' | 'fulfilled' | 'noshow'): Promise<void> => {
    setBusy(row.ref);
    try {
      // The replica's copy as it is now (a sync may have brought a newer one since the screen read it): only the status changes.
      const current = (await workspace.replica.getResource(row.ref))?.resource ?? row.resource;
      if (!nextSteps(String(current['status'])).includes(status)) throw new Error('the appointment moved on');
      await workspace.saveEdit({ ref: row.ref, op: 'update', resource: { ...current, status }, patient: row.patient });
      setMessage({ kind: 'saved', text: t('day.saved', { name: nameOf(row.patient), status: t(appointmentStatusKey(status)) }) });
      await loadCoordination(store, workspace.replica, new Date());
    } catch {
      setMessage({ kind: 'failed', text: t('day.failed') });
    } finally {
      setBusy(null);
    }
  };
  const done = async (todo: Todo): Promise<void> => {
    setBusy(todo.ref);
    try {
      const current = (await workspace.replica.getResource(todo.ref))?.resource ?? todo.task;
      await workspace.saveEdit({ ref: todo.ref, op: 'update', resource: { ...current, status: 'completed', lastModified: new Date().toISOString() }, patient: todo.patient });
      await loadCoordination(store, workspace.replica, new Date());
    } catch {
      setMessage({ kind: 'failed', text: t('day.failed') });
    } finally {
      setBusy(null);
    }
  };

  const row = (item: ScheduleRow) => {
    const when = item.start === null ? null : parseWhen(item.start);
    const time = formatTimeOfDay(when, language);
    const name = nameOf(item.patient);
    const steps = nextSteps(item.status);
    return (
      <li key={item.ref} className={`schedule-row schedule-row--${item.status}`} data-ref={item.ref} data-status={item.status}>
        <span className="schedule-row__time">{time}</span>
        {item.patient !== null ? (
          <button type="button" className="link-button" aria-label={t('day.open', { name })} onClick={() => go({ screen: 'chart', patient: item.patient as string, section: 'summary' })}>
            {name}
          </button>
        ) : (
          <span>{name}</span>
        )}
        {item.description !== null && <span className="schedule-row__what">{item.description}</span>}
        <span className={`tag ${item.status === 'cancelled' || item.status === 'noshow' ? 'tag--muted' : 'tag--info'}`}>{t(appointmentStatusKey(item.status))}</span>
        {item.pending && <span className="tag tag--pending">{t('messages.notSent')}</span>}
        {steps.length > 0 && (
          <span role="group" aria-label={t('day.actionsFor', { name, time })} className="schedule-row__actions">
            {steps.map((step) => (
              <button key={step} type="button" className="button button--small" disabled={busy !== null} onClick={() => void mark(item, step)}>
                {t(`day.${step}`)}
              </button>
            ))}
          </span>
        )}
      </li>
    );
  };

  return (
    <section className="my-day" aria-labelledby="day-title">
      <h1 id="day-title">{t('day.title')}</h1>
      {message !== null && (
        <p className={message.kind === 'saved' ? 'saved' : 'alert'} role={message.kind === 'saved' ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <h2 id="day-today">{t('day.today', { day: formatDayHeading(today, language) })}</h2>
      {todays.length === 0 ? <p className="notice">{t('day.none')}</p> : <ul className="schedule" aria-labelledby="day-today">{todays.map(row)}</ul>}
      <h2 id="day-todos">{t('day.todos')}</h2>
      {todos.length === 0 ? (
        <p className="notice">{t('day.noTodo')}</p>
      ) : (
        <ul className="todo-list" aria-labelledby="day-todos">
          {todos.map((todo) => (
            <li key={todo.ref} data-ref={todo.ref}>
              <span>{todo.description}</span>
              {todo.patient !== null && (
                <button type="button" className="link-button" onClick={() => go({ screen: 'chart', patient: todo.patient as string, section: 'summary' })}>
                  {nameOf(todo.patient)}
                </button>
              )}
              {todo.due !== null && <span className="hint">{t('day.todoDue', { date: formatDate(todo.due, language) })}</span>}
              {todo.pending && <span className="tag tag--pending">{t('messages.notSent')}</span>}
              <button type="button" className="button button--small" disabled={busy !== null} aria-label={t('day.todoDoneFor', { what: todo.description })} onClick={() => void done(todo)}>
                {t('day.todoDone')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2 id="day-week">{t('day.week')}</h2>
      {days.length === 0 ? (
        <p className="notice">{t('day.noneWeek')}</p>
      ) : (
        days.map((day) => (
          <section key={day} aria-labelledby={`day-${day}`}>
            <h3 id={`day-${day}`}>{formatDayHeading(day, language)}</h3>
            <ul className="schedule">{later.filter((item) => localDay(item.start) === day).map(row)}</ul>
          </section>
        ))
      )}
    </section>
  );
}
