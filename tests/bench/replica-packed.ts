import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { asFhirResource } from '../../renderer/db/bodies';
import type { BenchDoc } from './replica-data';
import { getAllByIndex, openDatabase, putAll } from './replica-idb';
import { aad, createPatientKeys, deflate, inflate, openBytes, openJson, sealBytes, sealJson } from './replica-seal';
import type { BenchStore } from './replica-store';

/**
 * Prototype: fewer, larger rows. Each page is stored as one row per patient — that patient's
 * resources of the page sealed as one value under the patient's key, so crypto-shredding a
 * patient still works. The refs are a multiEntry index (metaOf, getResource, an update can still
 * find the pack of a resource) and their versionId|lastUpdated stay plaintext beside them, as
 * the replica keeps them today. With `compress`, the pack is deflated before sealing and kept as
 * bytes (a pack of one patient's results repeats its keys and codes: it compresses well).
 */
type PackedRow = { id: string; patientKey: string; refs: string[]; stamps: string[]; body: string | Uint8Array };

function byPatient(docs: readonly BenchDoc[]): Map<string, BenchDoc[]> {
  const groups = new Map<string, BenchDoc[]>();
  for (const doc of docs) {
    const group = groups.get(doc.patient);
    if (group) group.push(doc);
    else groups.set(doc.patient, [doc]);
  }
  return groups;
}

export async function openPackedStore(name: string, compress: boolean): Promise<BenchStore> {
  const keys = await createPatientKeys();
  const db = await openDatabase(name, [{ name: 'packs', keyPath: 'id', indexes: ['patientKey'], multiEntry: ['refs'] }]);
  return {
    async write(docs) {
      const rows = await Promise.all(
        [...byPatient(docs)].map(async ([patient, group]): Promise<PackedRow> => {
          const { patientKey, key } = await keys.of(patient);
          const id = `${patientKey}|${group[0]?.ref ?? ''}`;
          const resources = group.map((d) => d.resource);
          const body = compress ? await sealBytes(key, await deflate(utf8(JSON.stringify(resources))), aad(id, 'pack')) : await sealJson(key, resources, aad(id, 'pack'));
          return { id, patientKey, refs: group.map((d) => d.ref), stamps: group.map((d) => `${String(d.resource.meta.versionId)}|${d.lastUpdated}`), body };
        }),
      );
      await putAll(db, 'packs', rows, 'strict');
    },
    async chart(patient) {
      const { patientKey, key } = await keys.of(patient);
      const rows = (await getAllByIndex(db, 'packs', 'patientKey', patientKey)) as PackedRow[];
      const opened = await Promise.all(
        rows.map(async (row) =>
          typeof row.body === 'string'
            ? openJson(key, row.body, aad(row.id, 'pack'))
            : (JSON.parse(fromUtf8(await inflate(await openBytes(key, row.body, aad(row.id, 'pack'))))) as unknown),
        ),
      );
      const resources = opened.flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : []));
      return resources.map((resource) => asFhirResource(resource)).filter((b) => b !== null).length;
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}
