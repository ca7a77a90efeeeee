import type { MigrationStrategies } from 'rxdb/plugins/core';
import type { FhirResource } from '../../shared/fhir/resource';
import type { SyncState } from '../../shared/sync/ports';
import type { KeyRing } from './key-ring';
import type { ResourceDoc } from './schemas';

/**
 * Schema migrations (RxDB migration-schema plugin), one strategy per version step. RxDB reads each
 * old document through the sealing storage (so the strategy sees the opened body) and writes the
 * result through it again (sealed under the new `_rev`); its bookkeeping copies are sealed too.
 *
 * A strategy must keep an unreadable document (body null) rather than drop it: it stays in the
 * replica as unreadable, is quarantined on first read, and the engine fetches it again.
 */

/** The sealed body of releases v0 and v1. */
export type ResourceBodyV1 = Readonly<{ resource: FhirResource; patient: string | null }>;

/** resources v0: versionId and lastUpdated lived only inside the sealed body. */
export type ResourceDocV0 = {
  ref: string;
  type: string;
  patientKey: string;
  syncState: SyncState;
  body: ResourceBodyV1 | null;
};

/** resources v1: keyed by the clear `Type/id`, server version and time and sync state in clear. */
export type ResourceDocV1 = ResourceDocV0 & { versionId: string; lastUpdated: string };

function serverMetaOf(body: ResourceBodyV1 | null): { versionId: string; lastUpdated: string } {
  const meta = body?.resource.meta;
  const versionId = meta?.['versionId'];
  const lastUpdated = meta?.['lastUpdated'];
  return {
    versionId: typeof versionId === 'string' ? versionId : '',
    lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : '',
  };
}

/**
 * v0 → v1: lift versionId and lastUpdated out of the body into plaintext fields.
 * For a pending document the body is the local edit, whose meta is normally the version it was
 * edited from; where it is not, recovery.ts resets versionId to the outbox entry's base at open.
 */
export function resourceV0ToV1(old: ResourceDocV0): ResourceDocV1 {
  return { ...old, ...serverMetaOf(old.body) };
}

/**
 * v1 → v2: the row is renamed by its opaque row id, its type becomes an HMAC label, and the clear
 * bookkeeping moves into the sealed body (written again under the new version's AAD). A body that
 * did not open stays null: the row was already reported to the quarantine under its ref when read.
 */
export async function resourceV1ToV2(keyRing: MigrationKeys, old: ResourceDocV1): Promise<ResourceDoc> {
  if (old.syncState !== 'synced') keyRing.noteUnsettled(old.ref);
  const id = await keyRing.rowIdOf(old.ref);
  return {
    id,
    name: await keyRing.rowNameOf(id, old.ref),
    typeKey: await keyRing.typeKeyOf(old.type),
    patientKey: old.patientKey,
    body:
      old.body === null
        ? null
        : { ref: old.ref, resource: old.body.resource, patient: old.body.patient, versionId: old.versionId, lastUpdated: old.lastUpdated, syncState: old.syncState },
  };
}

/** What v1 → v2 needs from the open replica: the vault's keys (row ids), and where to note rows a local edit waits on (unsettled.ts). */
export type MigrationKeys = Pick<KeyRing, 'rowIdOf' | 'rowNameOf' | 'typeKeyOf'> & Readonly<{ noteUnsettled(ref: string): void }>;

/** One strategy per step; v1 → v2 needs the vault's keys, so the strategies are made at open. */
export function resourceMigrations(keyRing: MigrationKeys): MigrationStrategies {
  return {
    1: (old: ResourceDocV0) => resourceV0ToV1(old),
    2: (old: ResourceDocV1) => resourceV1ToV2(keyRing, old),
  };
}

/** Collections still at version 0: no step yet. The structure is here so the next one is one line. */
export const noMigrations: MigrationStrategies = {};
