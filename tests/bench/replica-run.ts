import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder } from '../browser/disk-scan.ts';
import { openHarnessPage } from '../browser/harness-page.ts';
import { remote } from '../browser/rpc.ts';
import type { StreamOrder } from './replica-data.ts';
import type { ReplicaBenchApi } from './replica-page.ts';
import type { VariantName } from './replica-variants.ts';

/**
 * One measured run (runner side): a fresh Chromium profile, one variant, one workload size;
 * ingest, charts, searches, reopen; then the profile's IndexedDB size, and the profile deleted.
 */
export type RunOptions = Readonly<{
  script: string;
  origin: string;
  pageSize: number;
  order: StreamOrder;
  chartPatients: readonly number[];
  warmUpPatient: number;
  searchTexts: readonly string[];
  /** Told after each chunk of pages (progress). */
  onProgress?: (done: number, total: number) => void;
}>;

export type RunResult = Readonly<{
  variant: VariantName;
  size: number;
  pageMs: readonly number[];
  chart: Readonly<{ ms: number[]; counts: number[] }> | null;
  search: Readonly<{ ms: number[]; hits: number[] }> | null;
  reopenMs: number | null;
  /** IndexedDB files of the profile at close (LevelDB logs and tables, before any later compaction). */
  diskBytes: number;
  /** The page's JS heap after the ingest and a full GC: what the variant keeps in memory. */
  heapBytes: number;
  userAgent: string;
}>;

const chunkPages = 10;

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const file of await filesUnder(dir).catch(() => [])) total += (await stat(file).catch(() => ({ size: 0 }))).size;
  return total;
}

export async function runOnce(variant: VariantName, size: number, options: RunOptions): Promise<RunResult> {
  const profile = await mkdtemp(join(tmpdir(), `relais-bench-${variant}-`));
  try {
    const harness = await openHarnessPage({ origin: options.origin, script: options.script, userDataDir: profile });
    let result: Omit<RunResult, 'diskBytes'>;
    try {
      const api = remote<ReplicaBenchApi>(harness.page);
      const userAgent = await api.call('userAgent');
      await api.call('open', variant, `bench-${size}`);
      const pages = Math.ceil(size / options.pageSize);
      const pageMs: number[] = [];
      for (let from = 0; from < pages; from += chunkPages) {
        pageMs.push(...(await api.call('ingest', size, options.pageSize, options.order, from, Math.min(pages, from + chunkPages))));
        options.onProgress?.(Math.min(pages, from + chunkPages), pages);
      }
      const cdp = await harness.context.newCDPSession(harness.page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize: heapBytes } = await cdp.send('Runtime.getHeapUsage');
      await cdp.detach();
      const chart = await api.call('charts', options.chartPatients, options.warmUpPatient);
      const search = await api.call('searches', options.searchTexts);
      const reopenMs = await api.call('reopen');
      await api.call('close');
      result = { variant, size, pageMs, chart, search, reopenMs, heapBytes, userAgent };
    } finally {
      await harness.close();
    }
    return { ...result, diskBytes: await bytesUnder(join(profile, 'Default', 'IndexedDB')) };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
