import type { MigrationStrategies } from 'rxdb/plugins/core';
import type { ResourceBody, ResourceDoc } from './schemas';

/**
 * Schema migrations (RxDB migration-schema plugin), one strategy per version step. RxDB reads each
 * old document through the sealing storage (so the strategy sees the opened body) and writes the
 * result through it again (sealed under the new `_rev`); its bookkeeping copies are sealed too.
 *
 * A strategy must keep an unreadable document (body null) rather than drop it: it stays in the
 * replica as unreadable, is quarantined on first read, and the engine fetches it again.
 */

/** resources v0: versionId and lastUpdated lived only inside the sealed body. */
export type ResourceDocV0 = {
  ref: string;
  type: string;
  patientKey: string;
  syncState: ResourceDoc['syncState'];
  body: ResourceBody | null;
};

function serverMetaOf(body: ResourceBody | null): { versionId: string; lastUpdated: string } {
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
export function resourceV0ToV1(old: ResourceDocV0): ResourceDoc {
  return { ...old, ...serverMetaOf(old.body) };
}

export const resourceMigrations: MigrationStrategies = {
  1: (old: ResourceDocV0) => resourceV0ToV1(old),
};

/** Collections still at version 0: no step yet. The structure is here so the next one is one line. */
export const noMigrations: MigrationStrategies = {};
