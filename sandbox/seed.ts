/**
 * Loading the generated population into the repository with deterministic version stamps: the
 * same seed and epoch give the same versionIds and lastUpdated, so a reset (or a restart with
 * --data) restores exactly the versions a client already holds. Stamps lie before the epoch,
 * four resources per millisecond, so paging meets same-millisecond ties from the start.
 */
import type { WithId } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { Population } from './data/population.ts';
import { createRandom, mixSeed } from './data/random.ts';
import type { SandboxRepository } from './fhir/repository.ts';

export const seedResourcesPerMillisecond = 4;

export async function loadPopulation(repo: SandboxRepository, population: Population, epochMs: number): Promise<number> {
  const versions = createRandom(mixSeed(population.options.seed, 'versions'));
  const total = population.resourceCount;
  let index = 0;
  for (const resource of population.resources()) {
    const lastUpdatedMs = epochMs - 1 - Math.floor((total - 1 - index) / seedResourcesPerMillisecond);
    const stamped = {
      ...resource,
      id: resource.id ?? '',
      meta: { ...resource.meta, versionId: versions.uuid(), lastUpdated: new Date(lastUpdatedMs).toISOString() },
    } as WithId<Resource>;
    await repo.restoreVersion(stamped);
    index++;
  }
  return index;
}
