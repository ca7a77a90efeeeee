import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles a TypeScript entry for the harness page: everything it imports (renderer/db with RxDB
 * and Dexie, shared/ with zod) in one script, as Vite would for the app (chrome130 is below
 * Electron 45's Chromium and Debian's). Node's `events` is shimmed for the PouchDB comparison.
 */
export type BundleOptions = Readonly<{
  format?: 'esm' | 'iife';
  /** Inline source map: readable stack traces and profiles, at the price of a larger script. */
  sourcemap?: boolean;
  minify?: boolean;
  /**
   * Modules to swap, repository-relative: `{ 'shared/crypto/bytes.ts': 'tests/bench/x.ts' }` bundles
   * x.ts wherever bytes.ts is imported (except from x.ts itself, which may re-export the original).
   * For measuring a change to product code without editing it.
   */
  replace?: Readonly<Record<string, string>>;
}>;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const eventsShim = fileURLToPath(new URL('./shims/events.ts', import.meta.url));

export class BundleError extends Error {
  override name = 'BundleError';
}

function replacePlugin(replace: Readonly<Record<string, string>>): Plugin {
  const swaps = new Map(Object.entries(replace).map(([from, to]) => [resolve(repoRoot, from), resolve(repoRoot, to)]));
  for (const [from, to] of swaps) {
    if (!existsSync(from) || !existsSync(to)) throw new BundleError(`cannot replace ${from} by ${to}: missing file`);
  }
  const names = [...swaps.keys()].map((path) => basename(path).replace(/\.ts$/, '').replace(/[^A-Za-z0-9_-]/g, '\\$&'));
  return {
    name: 'relais-replace',
    setup(bundler) {
      bundler.onResolve({ filter: new RegExp(`(^|/)(${names.join('|')})(\\.ts)?$`) }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const base = resolve(args.resolveDir, args.path);
        const target = [base, `${base}.ts`].map((p) => swaps.get(p)).find((p) => p !== undefined);
        if (target === undefined || target === args.importer) return undefined;
        return { path: target };
      });
    },
  };
}

export async function bundleForBrowser(entry: string, options: BundleOptions = {}): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: repoRoot,
    tsconfig: 'tests/tsconfig.json',
    bundle: true,
    write: false,
    platform: 'browser',
    format: options.format ?? 'esm',
    target: 'chrome130',
    sourcemap: options.sourcemap === true ? 'inline' : false,
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
    alias: { events: eventsShim },
    plugins: options.replace ? [replacePlugin(options.replace)] : [],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  });
  const [output] = result.outputFiles;
  if (result.errors.length > 0 || !output) throw new BundleError(`bundling ${entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return output.text;
}
