import { z } from 'zod';
import { resolveLiteralReference } from '../fhir/compartment';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';
import { backfillPatient } from './backfill';
import { matchedResources, parseBundle } from './bundle';
import type { ReplicaStore } from './ports';

/**
 * The day's patients first. On the initial sync, and on any sync after a long absence, the
 * charts of the patients the clinician sees in the coming 48 hours are fetched whole
 * (`Patient/<id>/$everything`, as a backfill) before the type-by-type pull, so the day's visits
 * are usable within the first minute while the rest keeps loading. Nothing here moves a
 * checkpoint: the pull that follows is unchanged and skips what is already stored at its version
 * (an interruption here only means fetching these charts again next time).
 */
export const completedStream = '_completed';
/** The first complete sync's time: results stored after it are news for the clinician (notifications). */
export const firstCompletedStream = '_first-completed';
/**
 * From the start of the clinician's day, or twelve hours ago if that is earlier (after midnight,
 * the evening's visits), to 48 hours ahead. (Twelve hours alone lost the morning's first visits
 * from 9 p.m. on: an e2e run at 21:10 UTC found two of the day's three patients.)
 */
export const priorityWindow = { beforeMs: 12 * 3_600_000, afterMs: 48 * 3_600_000 } as const;

/** Midnight of the day `ms` falls in, in this computer's time zone (the clinician's day). */
export const localDayStart = (ms: number): number => {
  const day = new Date(ms);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
};
/** A sync that last completed more than this before the HIE's clock is a return from a long absence. */
export const longAbsenceMs = 24 * 3_600_000;

const activeStatuses = new Set(['booked', 'arrived', 'checked-in', 'pending', 'proposed', 'waitlist']);
const completedSchema = z.object({ at: z.string() }).strict();

/** Whether this sync should bring the day's patients first: never completed, or not for a day. */
export async function needsPriority(store: Pick<ReplicaStore, 'readCheckpoint'>, serverNow: string): Promise<boolean> {
  const stamp = completedSchema.safeParse(await store.readCheckpoint(completedStream));
  if (!stamp.success) return true;
  const last = Date.parse(stamp.data.at);
  const now = Date.parse(serverNow);
  return Number.isNaN(last) || Number.isNaN(now) || now - last > longAbsenceMs;
}

/** Written at the end of every completed sync, on the HIE's clock. */
export async function markCompleted(store: Pick<ReplicaStore, 'readCheckpoint' | 'writeCheckpoint'>, serverNow: string): Promise<void> {
  await store.writeCheckpoint(completedStream, { at: serverNow });
  if (!completedSchema.safeParse(await store.readCheckpoint(firstCompletedStream)).success) await store.writeCheckpoint(firstCompletedStream, { at: serverNow });
}

/** The instant a completion stamp (`_completed`, `_first-completed`) holds, or null if it holds none. */
export function completedAtOf(value: unknown): string | null {
  const stamp = completedSchema.safeParse(value);
  return stamp.success && !Number.isNaN(Date.parse(stamp.data.at)) ? stamp.data.at : null;
}

/** When the first complete sync ended (the HIE's clock), or null before one has. */
export async function firstCompletedAt(store: Pick<ReplicaStore, 'readCheckpoint'>): Promise<string | null> {
  return completedAtOf(await store.readCheckpoint(firstCompletedStream));
}

type AppointmentLike = Readonly<{ status?: unknown; start?: unknown; participant?: unknown }>;

/**
 * The patients of the clinician's active appointments in the window, in the order of their
 * appointments, each once, only those in scope. Read with one search (paged): the clinician's
 * appointments by `actor` and `date`.
 */
export async function dayPatients(
  transport: FhirTransport,
  practitioner: string,
  scope: ReadonlySet<string>,
  serverNow: string,
  fhirBase?: string,
  dayStart: (ms: number) => number = localDayStart,
): Promise<string[]> {
  const now = Date.parse(serverNow);
  if (Number.isNaN(now)) return [];
  const fromMs = Math.min(now - priorityWindow.beforeMs, dayStart(now));
  const from = new Date(fromMs).toISOString();
  const to = new Date(now + priorityWindow.afterMs).toISOString();
  const starts = new Map<string, number>();
  const visited = new Set<string>();
  let target: string | null = `Appointment?actor=${encodeURIComponent(practitioner)}&date=ge${encodeURIComponent(from)}&date=le${encodeURIComponent(to)}&_count=200`;
  while (target !== null && !visited.has(target)) {
    visited.add(target);
    const bundle = parseBundle((await exchange(transport, { method: 'GET', target })).body, 'searchset');
    for (const resource of matchedResources(bundle).resources) {
      if (resource.resourceType !== 'Appointment') continue;
      const appointment = resource as AppointmentLike;
      const start = typeof appointment.start === 'string' ? Date.parse(appointment.start) : Number.NaN;
      // The HIE's date filter is trusted for nothing: an appointment outside the window or no longer active is not the day's.
      if (Number.isNaN(start) || start < fromMs || start > now + priorityWindow.afterMs) continue;
      if (!activeStatuses.has(String(appointment.status))) continue;
      const participants = Array.isArray(appointment.participant) ? (appointment.participant as unknown[]) : [];
      for (const participant of participants) {
        const actor = (participant as { actor?: { reference?: unknown } } | null)?.actor?.reference;
        if (typeof actor !== 'string') continue;
        const resolved = resolveLiteralReference(actor, fhirBase === undefined ? {} : { fhirBase });
        if (resolved?.type !== 'Patient') continue;
        const patient = `Patient/${resolved.id}`;
        if (!scope.has(patient)) continue;
        starts.set(patient, Math.min(starts.get(patient) ?? Number.POSITIVE_INFINITY, start));
      }
    }
    target = bundle.next;
  }
  return [...starts.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([patient]) => patient);
}

export type PriorityProgress = Readonly<{ ready: number; total: number }>;

/** Fetches each of the day's patients whole, in the order of the day; reports each chart ready. */
export async function fetchDayPatients(
  transport: FhirTransport,
  store: ReplicaStore,
  scope: ReadonlySet<string>,
  patients: readonly string[],
  pageSize: number,
  onReady: (progress: PriorityProgress) => void,
  fhirBase?: string,
): Promise<number> {
  let stored = 0;
  onReady({ ready: 0, total: patients.length });
  for (const [index, patient] of patients.entries()) {
    stored += await backfillPatient(transport, store, scope, patient, pageSize, fhirBase);
    onReady({ ready: index + 1, total: patients.length });
  }
  return stored;
}
