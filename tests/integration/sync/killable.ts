import type { ReplicaStore } from '../../../shared/sync/ports';
import type { FhirTransport } from '../../../shared/hie/transport';

/**
 * Simulated process death for the fault matrix: every transport call and every replica write is a
 * numbered step; at step `killAt` the "process" dies — either just before the step runs, or just
 * after it completed (a server that committed but whose answer is lost; a write that reached the
 * disk) — and every later step fails too, as nothing runs in a dead process.
 */
export class Killed extends Error {
  constructor() {
    super('killed');
    this.name = 'Killed';
  }
}

export type Killer = { steps: number; dead: boolean; killAt: number; when: 'before' | 'after' };

export function killer(killAt: number, when: 'before' | 'after'): Killer {
  return { steps: 0, dead: false, killAt, when };
}

async function step<T>(k: Killer, run: () => Promise<T>): Promise<T> {
  if (k.dead) throw new Killed();
  k.steps += 1;
  if (k.steps === k.killAt && k.when === 'before') {
    k.dead = true;
    throw new Killed();
  }
  const result = await run();
  if (k.steps === k.killAt && k.when === 'after') {
    k.dead = true;
    throw new Killed();
  }
  return result;
}

export const killableTransport = (inner: FhirTransport, k: Killer): FhirTransport => ({
  send: (request) => step(k, () => inner.send(request)),
});

const writes = ['purgePatient', 'writeCheckpoint', 'putServerResources', 'removeResources', 'clearQuarantine', 'acknowledge', 'replaceOutboxEntry', 'openConflict'] as const;

export function killableStore<S extends ReplicaStore>(inner: S, k: Killer): ReplicaStore {
  const wrapped: Record<string, unknown> = {};
  for (const name of Object.keys(inner) as Array<keyof ReplicaStore>) {
    const original = inner[name];
    if (typeof original !== 'function') continue;
    const bound = (original as (...args: unknown[]) => Promise<unknown>).bind(inner);
    wrapped[name] = (writes as readonly string[]).includes(name)
      ? (...args: unknown[]) => step(k, () => bound(...args))
      : (...args: unknown[]) => {
          if (k.dead) return Promise.reject(new Killed());
          return bound(...args);
        };
  }
  return wrapped as ReplicaStore;
}
