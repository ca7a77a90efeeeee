// The slice of PouchDB 9 the benchmark uses (the packages ship no types; comparison only).
declare module 'pouchdb-core' {
  type PouchDoc = { _id: string; _rev?: string } & Record<string, unknown>;
  type BulkResult = { ok?: boolean; id?: string; error?: unknown; reason?: string };
  type AllDocsOptions = { startkey?: string; endkey?: string; include_docs?: boolean; keys?: string[] };
  type AllDocsResult = { rows: { id: string; doc?: PouchDoc }[] };
  export default class PouchDB {
    static plugin(plugin: unknown): typeof PouchDB;
    constructor(name: string, options?: { adapter?: string; revs_limit?: number; auto_compaction?: boolean });
    bulkDocs(docs: PouchDoc[]): Promise<BulkResult[]>;
    allDocs(options: AllDocsOptions): Promise<AllDocsResult>;
    close(): Promise<void>;
  }
}

declare module 'pouchdb-adapter-idb' {
  const plugin: unknown;
  export default plugin;
}
