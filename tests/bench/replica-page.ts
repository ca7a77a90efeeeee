import { expose } from '../browser/expose';
import { pageAt, patientRef, type StreamOrder } from './replica-data';
import { openOursStore } from './replica-ours';
import { openPouchStore } from './replica-pouch';
import { openPrototypeStore } from './replica-prototypes';
import { openRawStore } from './replica-raw';
import { openRxdbStore } from './replica-rxdb';
import type { BenchStore } from './replica-store';
import type { VariantName } from './replica-variants';

/**
 * Page side of replica-ingest.ts: one variant open at a time. Documents are generated before
 * the clock starts; only the write of each page is timed.
 */
let store: BenchStore | null = null;

function current(): BenchStore {
  if (store === null) throw new Error('no variant open');
  return store;
}

function openVariant(variant: VariantName, name: string): Promise<BenchStore> {
  switch (variant) {
    case 'raw-relaxed':
      return openRawStore(name, 'relaxed');
    case 'raw-strict':
      return openRawStore(name, 'strict');
    case 'rxdb-plain':
      return openRxdbStore(name, 'plaintext');
    case 'rxdb-cryptojs':
      return openRxdbStore(name, 'crypto-js');
    case 'ours':
    case 'proto-ours-flatb64':
      return openOursStore(name);
    case 'pouchdb':
      return openPouchStore(name);
    case 'proto-seal-only':
    case 'proto-sealed-raw':
    case 'proto-sealed-raw-binary':
    case 'proto-ours-direct':
    case 'proto-packed':
    case 'proto-packed-deflate':
      return openPrototypeStore(variant, name);
    default: {
      const never: never = variant;
      throw new Error(`unknown variant ${String(never)}`);
    }
  }
}

const api = {
  async open(variant: VariantName, name: string): Promise<void> {
    if (store !== null) throw new Error('a variant is already open');
    store = await openVariant(variant, name);
  },

  /** Writes pages [from, to) of the workload; returns each page's write time in ms. */
  async ingest(total: number, pageSize: number, order: StreamOrder, from: number, to: number): Promise<number[]> {
    const open = current();
    const times: number[] = [];
    for (let page = from; page < to; page += 1) {
      const docs = pageAt(total, page, pageSize, order);
      const start = performance.now();
      await open.write(docs);
      times.push(performance.now() - start);
    }
    return times;
  },

  /** Opens each patient's chart in turn (one untimed warm-up first); returns ms and counts, or null without charts. */
  async charts(patients: readonly number[], warmUp: number): Promise<{ ms: number[]; counts: number[] } | null> {
    const open = current();
    if (!open.chart) return null;
    await open.chart(patientRef(warmUp));
    const ms: number[] = [];
    const counts: number[] = [];
    for (const patient of patients) {
      const start = performance.now();
      counts.push(await open.chart(patientRef(patient)));
      ms.push(performance.now() - start);
    }
    return { ms, counts };
  },

  /** Name searches, where the variant has one; null where it has none. */
  async searches(texts: readonly string[]): Promise<{ ms: number[]; hits: number[] } | null> {
    const open = current();
    if (!open.search) return null;
    const ms: number[] = [];
    const hits: number[] = [];
    for (const text of texts) {
      const start = performance.now();
      hits.push(await open.search(text));
      ms.push(performance.now() - start);
    }
    return { ms, hits };
  },

  /** Close and open again (ours: unwrap keys, rebuild the search index); ms, or null if the variant has no reopen. */
  async reopen(): Promise<number | null> {
    const open = current();
    if (!open.reopen) return null;
    const start = performance.now();
    await open.reopen();
    return performance.now() - start;
  },

  async close(): Promise<void> {
    const open = current();
    store = null;
    await open.close();
  },

  userAgent: (): string => navigator.userAgent,
};

export type ReplicaBenchApi = typeof api;

expose(api);
