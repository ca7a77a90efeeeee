import PouchDB from 'pouchdb-core';
import idbAdapter from 'pouchdb-adapter-idb';
import type { BenchStore } from './replica-store';

/**
 * PouchDB 9 with `pouchdb-adapter-idb`, bulkDocs per page. PouchDB has no secondary index of its
 * own (pouchdb-find and map/reduce views are extra plugins that build one more store), so the
 * chart is PouchDB's own cheapest way: the patient leads the _id (`Patient/p1|Observation/o1`)
 * and allDocs reads that key range. No name search: it would be allDocs over everything.
 * The idb adapter sets no durability: Chromium's default (relaxed since 121).
 */
PouchDB.plugin(idbAdapter);

const end = '\uffff';

export function openPouchStore(name: string): Promise<BenchStore> {
  const db = new PouchDB(name, { adapter: 'idb' });
  return Promise.resolve({
    async write(docs) {
      const results = await db.bulkDocs(docs.map((d) => ({ _id: `${d.patient}|${d.ref}`, type: d.type, lastUpdated: d.lastUpdated, resource: d.resource })));
      const failed = results.filter((r) => r.error !== undefined && r.error !== false);
      if (failed.length > 0) throw new Error(`bulkDocs: ${failed.length} errors`);
    },
    async chart(patient) {
      const { rows } = await db.allDocs({ startkey: `${patient}|`, endkey: `${patient}|${end}`, include_docs: true });
      return rows.filter((row) => row.doc !== undefined).length;
    },
    close: () => db.close(),
  });
}
