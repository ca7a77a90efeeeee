import { createFetchTransport } from '../../shared/hie/fetch-transport';
import { offeredTypes, typesToSync } from '../../shared/sync/resource-types';
import { expose } from '../browser/expose';

/**
 * Page side of sync-e2e.ts: the two baselines of a first sync, in the same Chromium and at the same
 * origin as the app (so the same cross-origin requests, preflights included):
 *   - fetch: every page of every synced type (`_sort=_lastUpdated`, following `next`), parsed;
 *   - fetch + raw write: the same, plus one IndexedDB readwrite transaction per page putting each
 *     resource as it came (no encryption, no RxDB): the limit a store can reach.
 * Progress is sampled every second for the rate curve.
 */
export type PipelineOptions = Readonly<{ fhirBase: string; token: string; types: readonly string[]; pageSize: number; store: boolean; measureBytes: boolean }>;
export type PipelineResult = Readonly<{
  ms: number;
  resources: number;
  pages: number;
  byType: Readonly<Record<string, number>>;
  /** The resources' JSON, as the HIE sent them: the replica's "raw plaintext bytes". */
  jsonBytes: number;
  /** [ms since start, resources so far], about once a second. */
  curve: ReadonlyArray<readonly [number, number]>;
}>;

const rawDbName = 'relais-bench-raw';

function openRaw(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(rawDbName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('resources');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
}

function putPage(db: IDBDatabase, resources: ReadonlyArray<{ resourceType: string; id: string }>): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('resources', 'readwrite');
    const store = tx.objectStore('resources');
    for (const resource of resources) store.put(resource, `${resource.resourceType}/${resource.id}`);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('write aborted'));
  });
}

type Bundle = { entry?: Array<{ resource?: { resourceType: string; id: string } }>; link?: Array<{ relation: string; url: string }> };

const api = {
  /** The types Relais pulls from this HIE, in its order (its own code, on the HIE's CapabilityStatement). */
  async typesToSync(fhirBase: string, token: string): Promise<readonly string[]> {
    const transport = createFetchTransport({ fhirBase, fetch: fetch.bind(globalThis), tokens: { accessToken: () => token, refresh: async () => false } });
    return typesToSync(await offeredTypes(transport));
  },

  async pipeline(options: PipelineOptions): Promise<PipelineResult> {
    const db = options.store ? await openRaw() : null;
    const started = performance.now();
    const curve: Array<readonly [number, number]> = [];
    let lastSample = started;
    let resources = 0;
    let pages = 0;
    let jsonBytes = 0;
    const byType: Record<string, number> = {};
    const headers = { authorization: `Bearer ${options.token}`, accept: 'application/fhir+json' };
    for (const type of options.types) {
      let url: string | undefined = `${options.fhirBase}/${type}?_sort=_lastUpdated&_count=${options.pageSize}`;
      while (url !== undefined) {
        const response = await fetch(url, { headers, credentials: 'omit' });
        if (!response.ok) throw new Error(`${type}: HTTP ${response.status}`);
        const bundle = (await response.json()) as Bundle;
        const page = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
        if (options.measureBytes) for (const resource of page) jsonBytes += JSON.stringify(resource).length;
        if (db !== null && page.length > 0) await putPage(db, page);
        resources += page.length;
        byType[type] = (byType[type] ?? 0) + page.length;
        pages += 1;
        url = bundle.link?.find((l) => l.relation === 'next')?.url;
        const now = performance.now();
        if (now - lastSample >= 1_000) {
          curve.push([Math.round(now - started), resources]);
          lastSample = now;
        }
      }
    }
    const ms = performance.now() - started;
    curve.push([Math.round(ms), resources]);
    db?.close();
    return { ms, resources, pages, byType, jsonBytes, curve };
  },

  /** Bytes the origin holds (IndexedDB above all), as the browser counts them. */
  async usage(): Promise<number> {
    return (await navigator.storage.estimate()).usage ?? 0;
  },

  dropRaw(): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase(rawDbName);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
  },
};

export type SyncBaselineApi = typeof api;
expose(api);
