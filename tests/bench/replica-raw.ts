import type { FhirResource } from '../../shared/fhir/resource';
import { getAllByIndex, openDatabase, putAll } from './replica-idb';
import { type BenchStore, matchesName } from './replica-store';

/**
 * The limit: one object store, each page put in one transaction, no crypto, no RxDB, no Dexie.
 * Indexed on patient (the chart) and type (the naive name scan reads every Patient).
 */
type RawRow = { id: string; type: string; patient: string; lastUpdated: string; resource: FhirResource };

export async function openRawStore(name: string, durability: IDBTransactionDurability): Promise<BenchStore> {
  const db = await openDatabase(name, [{ name: 'docs', keyPath: 'id', indexes: ['patient', 'type'] }]);
  return {
    write: (docs) =>
      putAll(db, 'docs', docs.map((d): RawRow => ({ id: d.ref, type: d.type, patient: d.patient, lastUpdated: d.lastUpdated, resource: d.resource })), durability),
    chart: async (patient) => (await getAllByIndex(db, 'docs', 'patient', patient)).length,
    async search(text) {
      const patients = (await getAllByIndex(db, 'docs', 'type', 'Patient')) as RawRow[];
      return patients.filter((row) => matchesName(row.resource, text)).length;
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}
