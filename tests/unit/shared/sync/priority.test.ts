import { describe, expect, it } from 'vitest';
import type { FhirTransport, TransportRequest } from '../../../../shared/hie/transport';
import { completedStream, dayPatients, firstCompletedAt, markCompleted, needsPriority } from '../../../../shared/sync/priority';

const base = 'https://hie.example/fhir';
const now = '2026-12-04T08:00:00.000Z';

function store() {
  const values = new Map<string, unknown>();
  return {
    values,
    readCheckpoint: async (stream: string) => values.get(stream) ?? null,
    writeCheckpoint: async (stream: string, value: unknown) => void values.set(stream, value),
  };
}

/** An HIE answering the appointment search with two pages, whatever its filters say. */
function hie(pages: unknown[][]): { transport: FhirTransport; asked: TransportRequest[] } {
  const asked: TransportRequest[] = [];
  return {
    asked,
    transport: {
      async send(request) {
        asked.push(request);
        const index = request.target.includes('page=2') ? 1 : 0;
        const next = index === 0 && pages.length > 1 ? [{ relation: 'next', url: `${base}/Appointment?page=2` }] : [];
        return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'searchset', link: next, entry: (pages[index] ?? []).map((resource) => ({ resource, search: { mode: 'match' } })) } };
      },
    },
  };
}

/** The clinician's day in UTC here, whatever the machine's time zone. */
const utcDayStart = (ms: number): number => Math.floor(ms / 86_400_000) * 86_400_000;

const appointment = (id: string, start: string, patient: string, status = 'booked') => ({
  resourceType: 'Appointment', id, status, start, meta: { versionId: '1', lastUpdated: '2026-11-30T10:00:00Z' },
  participant: [{ actor: { reference: patient } }, { actor: { reference: 'Practitioner/me' } }],
});

describe("the day's patients", () => {
  it('asks for my appointments in the window and keeps, in the order of the day, each patient in scope once', async () => {
    const { transport, asked } = hie([
      [appointment('a', '2026-12-04T14:00:00Z', 'Patient/p2'), appointment('b', '2026-12-04T09:00:00Z', `${base}/Patient/p1`), appointment('c', '2026-12-05T09:00:00Z', 'Patient/p2')],
      [
        appointment('d', '2026-12-04T10:00:00Z', 'Patient/outside'),
        appointment('e', '2026-12-04T11:00:00Z', 'Patient/p3', 'cancelled'),
        appointment('f', '2026-12-09T11:00:00Z', 'Patient/p4'),
        appointment('g', '2026-12-03T10:00:00Z', 'Patient/p5'),
        appointment('h', 'not a date', 'Patient/p6'),
      ],
    ]);
    const scope = new Set(['Patient/p1', 'Patient/p2', 'Patient/p3', 'Patient/p4', 'Patient/p5', 'Patient/p6']);
    expect(await dayPatients(transport, 'Practitioner/me', scope, now, base, utcDayStart)).toEqual(['Patient/p1', 'Patient/p2']);
    expect(asked[0]?.target).toBe('Appointment?actor=Practitioner%2Fme&date=ge2026-12-03T20%3A00%3A00.000Z&date=le2026-12-06T08%3A00%3A00.000Z&_count=200');
    expect(asked).toHaveLength(2);
  });

  it('late in the evening, still has the morning’s first visits (the window opens at the start of the day), not yesterday’s', async () => {
    const { transport, asked } = hie([[appointment('m', '2026-12-04T09:00:00Z', 'Patient/p1'), appointment('y', '2026-12-03T21:00:00Z', 'Patient/p2'), appointment('t', '2026-12-05T09:00:00Z', 'Patient/p3')]]);
    const scope = new Set(['Patient/p1', 'Patient/p2', 'Patient/p3']);
    expect(await dayPatients(transport, 'Practitioner/me', scope, '2026-12-04T21:30:00.000Z', base, utcDayStart)).toEqual(['Patient/p1', 'Patient/p3']);
    expect(asked[0]?.target).toContain('date=ge2026-12-04T00%3A00%3A00.000Z');
  });

  it('is needed on a first sync and after a day without a complete one, not after a recent one', async () => {
    const s = store();
    expect(await needsPriority(s, now)).toBe(true);
    await markCompleted(s, '2026-12-04T07:00:00.000Z');
    expect(await needsPriority(s, now)).toBe(false);
    s.values.set(completedStream, { at: '2026-12-03T07:59:00.000Z' });
    expect(await needsPriority(s, now)).toBe(true);
    s.values.set(completedStream, { at: 'garbage' });
    expect(await needsPriority(s, now)).toBe(true);
  });

  it('keeps the first complete sync’s time, whatever follows', async () => {
    const s = store();
    expect(await firstCompletedAt(s)).toBeNull();
    await markCompleted(s, '2026-12-01T07:00:00.000Z');
    await markCompleted(s, '2026-12-04T07:00:00.000Z');
    expect(await firstCompletedAt(s)).toBe('2026-12-01T07:00:00.000Z');
  });
});
