// Bundles the main process (ESM) and the preload (one CommonJS file, as a sandboxed preload
// must be) with esbuild. electron and the native keytar stay external: they are loaded at run time.
import { mkdir, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  external: ['electron', 'keytar'],
  metafile: true,
};

const [main, preload] = await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main/main.mjs', format: 'esm' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs' }),
]);
// What each bundle carries, for the release's SBOM (build/release-check.mjs): kept out of dist/, so not shipped.
await mkdir('.cache/shipped', { recursive: true });
await writeFile('.cache/shipped/main.json', JSON.stringify(Object.keys(main.metafile.inputs)));
await writeFile('.cache/shipped/preload.json', JSON.stringify(Object.keys(preload.metafile.inputs)));
