// Bundles the main process (ESM) and the preload (one CommonJS file, as a sandboxed preload
// must be) with esbuild. electron and the native keytar stay external: they are loaded at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  external: ['electron', 'keytar'],
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main/main.mjs', format: 'esm' }),
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs' }),
]);
