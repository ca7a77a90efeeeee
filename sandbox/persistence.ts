/**
 * `--data DIR`: the repository survives restarts. The directory holds the generator options and
 * epoch (`sandbox.json`), so the seed is regenerated identically, and a journal of every change
 * committed since (`changes.ndjson`, one JSON line per version or deletion), replayed on start.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WithId } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { PopulationOptions } from './data/population.ts';
import type { CommittedChange, SandboxRepository } from './fhir/repository.ts';
import { createLogger } from './log.ts';

const log = createLogger('data');

const stateSchema = z.object({
  format: z.literal(1),
  epochMs: z.number().int(),
  population: z.object({
    seed: z.number().int(),
    patients: z.number().int(),
    resourcesPerPatient: z.number().int(),
    practitioners: z.number().int(),
    adversarial: z.boolean(),
    referenceDate: z.string(),
    twinOf: z.number().int().optional(),
  }),
});

const journalLineSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), resource: z.looseObject({ resourceType: z.string(), id: z.string() }) }),
  z.object({ op: z.literal('delete'), resourceType: z.string(), id: z.string(), versionId: z.string(), lastUpdatedMs: z.number() }),
]);

export type DataDirectoryState = Readonly<{ epochMs: number; population: PopulationOptions }>;

export class DataDirectory {
  readonly #statePath: string;
  readonly #journalPath: string;
  #recording = false;

  constructor(directory: string) {
    mkdirSync(directory, { recursive: true });
    this.#statePath = join(directory, 'sandbox.json');
    this.#journalPath = join(directory, 'changes.ndjson');
  }

  /** The stored state, or a new one from the requested options (stored options win). */
  open(requested: PopulationOptions, epochMs: number): DataDirectoryState {
    if (existsSync(this.#statePath)) {
      const state = stateSchema.parse(JSON.parse(readFileSync(this.#statePath, 'utf8')));
      const differs = JSON.stringify(state.population) !== JSON.stringify(requested);
      if (differs) log.warn('data directory was created with other generator options; keeping the stored ones', { seed: state.population.seed, patients: state.population.patients });
      return state;
    }
    const state = { format: 1 as const, epochMs, population: requested };
    writeFileSync(this.#statePath, JSON.stringify(state, null, 2));
    writeFileSync(this.#journalPath, '');
    return state;
  }

  /** Replays the journal onto a freshly seeded repository; returns the number of changes. */
  async replay(repo: SandboxRepository): Promise<number> {
    if (!existsSync(this.#journalPath)) return 0;
    const lines = readFileSync(this.#journalPath, 'utf8').split('\n').filter((l) => l.length > 0);
    let replayed = 0;
    for (const [number, line] of lines.entries()) {
      let parsed: z.infer<typeof journalLineSchema>;
      try {
        parsed = journalLineSchema.parse(JSON.parse(line));
      } catch {
        // A torn last line (crash mid-write) loses that change only.
        log.warn('skipping an unreadable journal line', { line: number + 1 });
        continue;
      }
      if (parsed.op === 'put') await repo.restoreVersion(parsed.resource as unknown as WithId<Resource>);
      else await repo.restoreDeletion(parsed.resourceType, parsed.id, parsed.versionId, parsed.lastUpdatedMs);
      replayed++;
    }
    return replayed;
  }

  /** From now on, every committed change is appended to the journal. */
  record(repo: SandboxRepository): void {
    this.#recording = true;
    repo.onCommit((changes) => {
      if (this.#recording) this.append(changes);
    });
  }

  append(changes: readonly CommittedChange[]): void {
    const lines = changes.map((change) => JSON.stringify(change.entry.operation === 'delete'
      ? { op: 'delete', resourceType: change.entry.resourceType, id: change.entry.id, versionId: change.entry.versionId, lastUpdatedMs: change.entry.lastUpdatedMs }
      : { op: 'put', resource: change.resource }));
    appendFileSync(this.#journalPath, lines.join('\n') + '\n');
  }

  pause(): void {
    this.#recording = false;
  }

  resume(): void {
    this.#recording = true;
  }

  /** Back to the seed: forget every recorded change. */
  truncate(): void {
    writeFileSync(this.#journalPath, '');
  }
}
