/**
 * Where the time of one variant's ingest goes, from a V8 CPU profile of the page (CDP Profiler):
 * main-thread self time by layer (our code, RxDB, Dexie, zod, crypto glue…) and by function,
 * plus "(idle)": the main thread waiting — for IndexedDB's commit and for WebCrypto, which both
 * run off the main thread. Compare with proto-seal-only / proto-sealed-raw in replica-ingest.ts
 * to split that wait between crypto and storage.
 *
 *   npx node --experimental-strip-types --disable-warning=ExperimentalWarning \
 *     tests/bench/replica-profile.ts [--variant ours] [--size 50000] [--order interleaved] [--top 25] [--phase ingest|charts]
 *
 * `--phase charts` ingests without profiling, then profiles 3 × 20 chart opens (resourcesOfPatient).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleForBrowser } from '../browser/bundle.ts';
import { openHarnessPage } from '../browser/harness-page.ts';
import { remote } from '../browser/rpc.ts';
import { patientCount, samplePatients } from './replica-data.ts';
import type { ReplicaBenchApi } from './replica-page.ts';
import { fmtMs, table } from './replica-stats.ts';
import { bundleReplacements, isVariantName } from './replica-variants.ts';
import { type CpuProfile, eachSample } from './worker-profile.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'ours' },
    size: { type: 'string', default: '50000' },
    order: { type: 'string', default: 'interleaved' },
    top: { type: 'string', default: '25' },
    phase: { type: 'string', default: 'ingest' },
  },
});
const phase = values.phase === 'charts' ? 'charts' : 'ingest';
const variant = values.variant ?? 'ours';
if (!isVariantName(variant)) throw new Error(`unknown variant ${variant}`);
const order = values.order === 'grouped' ? 'grouped' : 'interleaved';
const size = Number(values.size);
const pageSize = 1000;


/** esbuild marks each bundled module with a `// path` line: the module of a bundle line is the last mark above it. */
function moduleMarks(bundle: string): { line: number; module: string }[] {
  const marks: { line: number; module: string }[] = [];
  bundle.split('\n').forEach((text, line) => {
    const match = /^\/\/ ((?:node_modules|renderer|shared|tests)\/\S+)$/.exec(text);
    if (match?.[1]) marks.push({ line, module: match[1] });
  });
  return marks;
}

function moduleAt(marks: readonly { line: number; module: string }[], line: number): string {
  let lo = 0;
  let hi = marks.length - 1;
  let found = '(bundle prelude)';
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const mark = marks[mid];
    if (mark && mark.line <= line) {
      found = mark.module;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function layerOf(module: string): string {
  if (module.startsWith('node_modules/rxdb/')) return 'RxDB';
  if (module.startsWith('node_modules/dexie/')) return 'Dexie';
  if (module.startsWith('node_modules/zod/')) return 'zod (bodies.ts parse)';
  if (module.startsWith('node_modules/')) return `other package (${module.split('/')[1] ?? '?'})`;
  if (module === 'renderer/db/sealing-storage.ts') return 'renderer/db sealing wrapper';
  if (module.startsWith('renderer/db/')) return 'renderer/db (other)';
  if (module.startsWith('shared/crypto/')) return 'shared/crypto (seal glue, base64)';
  if (module.startsWith('shared/')) return 'shared (other)';
  if (module.startsWith('tests/')) return 'bench (workload generation)';
  return module;
}

const replace = bundleReplacements[variant];
const script = await bundleForBrowser('tests/bench/replica-page.ts', replace ? { replace } : {});
const marks = moduleMarks(script);
const profileDir = await mkdtemp(join(tmpdir(), 'relais-profile-'));
try {
  const harness = await openHarnessPage({ origin: 'http://127.0.0.1:47194', script, userDataDir: profileDir });
  try {
    const api = remote<ReplicaBenchApi>(harness.page);
    await api.call('open', variant, `profile-${size}`);
    const cdp = await harness.context.newCDPSession(harness.page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    const pages = Math.ceil(size / pageSize);
    const charted = samplePatients(patientCount(size), 20);
    let measuredMs = 0;
    if (phase === 'charts') await api.call('ingest', size, pageSize, order, 0, pages);
    await cdp.send('Profiler.start');
    const started = Date.now();
    if (phase === 'ingest') {
      measuredMs = (await api.call('ingest', size, pageSize, order, 0, pages)).reduce((a, b) => a + b, 0);
    } else {
      for (let round = 0; round < 3; round += 1) {
        const charts = await api.call('charts', charted, charted[0] ?? 0);
        measuredMs += (charts?.ms ?? []).reduce((a, b) => a + b, 0);
      }
    }
    const wallMs = Date.now() - started;
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await api.call('close');

    const byLayer = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    eachSample(profile, (frame, delta) => {
      total += delta;
      const bundled = frame.url.endsWith('/__relais_harness.js');
      const module = bundled ? moduleAt(marks, frame.lineNumber) : '';
      const layer = bundled ? layerOf(module) : frame.url === '' ? frame.functionName || '(native)' : '(other script)';
      byLayer.set(layer, (byLayer.get(layer) ?? 0) + delta);
      const name = `${frame.functionName || '(anonymous)'}  ${bundled ? module : frame.url || ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    });
    const pct = (ms: number): string => `${((ms / total) * 100).toFixed(1)}%`;
    const sorted = (map: Map<string, number>): [string, number][] => [...map].sort((a, b) => b[1] - a[1]);
    const what = phase === 'ingest' ? `${Math.round((size / measuredMs) * 1000)} docs/s` : `60 charts, ${fmtMs(measuredMs / 60)} ms each`;
    console.log(`${variant}, ${size.toLocaleString('en-US')} resources, ${order}, ${phase}: ${what} (measured ${fmtMs(measuredMs)} ms of ${fmtMs(wallMs)} ms wall; profile ${fmtMs(total)} ms)`);
    console.log(table(['layer (main thread self time)', 'ms', 'share'], sorted(byLayer).map(([layer, ms]) => [layer, fmtMs(ms), pct(ms)])));
    console.log('');
    console.log(table(['function  module', 'self ms', 'share'], sorted(byFunction).slice(0, Number(values.top)).map(([name, ms]) => [name, fmtMs(ms), pct(ms)])));
  } finally {
    await harness.close();
  }
} finally {
  await rm(profileDir, { recursive: true, force: true });
}
