import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What each worker actually loads, read from the bundler's own list of inputs (as Vite would
 * bundle them): the locked sync worker must load nothing that can open the replica, the data
 * worker nothing of the page's UI. A wrong import anywhere down the graph fails here.
 */
const root = fileURLToPath(new URL('../../../../', import.meta.url));

async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [`${root}${entry}`], bundle: true, write: false, metafile: true, format: 'esm', platform: 'browser', logLevel: 'silent', absWorkingDir: root });
  return Object.keys(result.metafile.inputs);
}

describe('what the workers load', { timeout: 60_000 }, () => {
  it('the locked sync worker: no RxDB, no Dexie, no replica, no vault key code, no React', async () => {
    const inputs = await inputsOf('renderer/data/locked-sync-worker.ts');
    expect(inputs).toContain('renderer/data/serve-locked-sync.ts');
    expect(inputs).toContain('shared/crypto/sealed-box.ts');
    const forbidden = inputs.filter(
      (path) => /node_modules\/(rxdb|dexie|react|react-dom|i18next)\//.test(path) || /^renderer\/db\/(replica|database|key-ring|sealing-storage)\.ts$/.test(path) || path === 'shared/crypto/key-hierarchy.ts' || path === 'renderer/data/inbox-fold.ts',
    );
    expect(forbidden).toEqual([]);
  });

  it('the data worker: the replica, and nothing of the page (no React, no i18next)', async () => {
    const inputs = await inputsOf('renderer/data/data-worker.ts');
    expect(inputs).toContain('renderer/db/replica.ts');
    expect(inputs.some((path) => /node_modules\/rxdb\//.test(path))).toBe(true);
    expect(inputs.filter((path) => /node_modules\/(react|react-dom|i18next|react-i18next)\//.test(path))).toEqual([]);
    // Document files are read here, off the page: the C-CDA converter and its XML parser live in this worker.
    expect(inputs.some((path) => /node_modules\/@medplum\/ccda\//.test(path))).toBe(true);
    expect(inputs).toContain('shared/exchange/document-parse.ts');
  });

  it('the chart page: the import screen loads no converter, no XML parser, no importer (they run in the data worker)', async () => {
    const inputs = await inputsOf('renderer/features/chart/ChartScreen.tsx');
    expect(inputs).toContain('renderer/features/chart/DocumentImport.tsx');
    expect(inputs.filter((path) => /node_modules\/(@medplum\/ccda|fast-xml-parser)\//.test(path) || /^shared\/exchange\/(document-parse|document-import|home-readings)\.ts$/.test(path) || path === 'renderer/data/document-import.ts')).toEqual([]);
  });
});
