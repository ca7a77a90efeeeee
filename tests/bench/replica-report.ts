import { patientCount, resourcesPerPatient } from './replica-data.ts';
import type { RunResult } from './replica-run.ts';
import { fmtInt, fmtMs, fmtRatio, median, percentile, sum, table } from './replica-stats.ts';
import { isOurReplica, type VariantName, variantLabels } from './replica-variants.ts';

/**
 * The tables (runner side). Absolute figures are medians over the repeats; every ratio is the
 * median of the per-repeat ratios, each taken between two runs of the same round (side by side).
 */
export type SizeResults = Readonly<{ size: number; rounds: readonly (readonly RunResult[])[] }>;

const docsPerSecond = (run: RunResult): number => (run.size / sum(run.pageMs)) * 1000;

/** docs/s over the last tenth of the pages: how the per-row cost grows with the database. */
function tailDocsPerSecond(run: RunResult): number {
  const tail = run.pageMs.slice(Math.floor(run.pageMs.length * 0.9));
  const pageSize = run.size / run.pageMs.length;
  return ((tail.length * pageSize) / sum(tail)) * 1000;
}

const runsOf = (results: SizeResults, variant: VariantName): RunResult[] =>
  results.rounds.flatMap((round) => round.filter((run) => run.variant === variant));

/** Median over rounds of f(a)/f(b), a and b from the same round. */
function pairedRatio(results: SizeResults, a: VariantName, b: VariantName, f: (run: RunResult) => number): number {
  const ratios = results.rounds.flatMap((round) => {
    const x = round.find((run) => run.variant === a);
    const y = round.find((run) => run.variant === b);
    return x && y ? [f(x) / f(y)] : [];
  });
  return median(ratios);
}

const chartP = (run: RunResult, p: number): number => (run.chart ? percentile(run.chart.ms, p) : Number.NaN);

function variantsIn(results: SizeResults): VariantName[] {
  return [...new Set(results.rounds.flatMap((round) => round.map((run) => run.variant)))];
}

export function ingestTable(results: SizeResults): string {
  const hasRaw = variantsIn(results).includes('raw-relaxed');
  const rows = variantsIn(results).map((variant) => {
    const runs = runsOf(results, variant);
    const rates = runs.map(docsPerSecond);
    const badCharts = runs.some((run) => run.chart?.counts.some((c) => c !== 200) ?? false);
    return [
      variantLabels[variant],
      fmtInt(median(rates)),
      `${fmtInt(Math.min(...rates))}–${fmtInt(Math.max(...rates))}`,
      fmtInt(median(runs.map(tailDocsPerSecond))),
      hasRaw ? fmtRatio(pairedRatio(results, variant, 'raw-relaxed', docsPerSecond)) : '—',
      (median(runs.map((run) => run.diskBytes)) / 1e6).toFixed(1),
      (median(runs.map((run) => run.heapBytes)) / 1e6).toFixed(1),
      fmtMs(median(runs.map((run) => chartP(run, 50)))),
      fmtMs(median(runs.map((run) => chartP(run, 95)))) + (badCharts ? ' (!count)' : ''),
    ];
  });
  return table(['variant', 'docs/s', 'range', 'last 10% docs/s', '× raw relaxed', 'IDB MB', 'JS heap MB', 'chart p50 ms', 'chart p95 ms'], rows);
}

type Goal = Readonly<{ label: string; goal: string; value: (subject: VariantName) => number; met: (v: number) => boolean; ms?: boolean }>;

/** The design goals, for ours and for each prototype of ours in the run (one column each). */
export function goalsTable(results: SizeResults): string {
  const present = new Set(variantsIn(results));
  const subjects = [...present].filter(isOurReplica);
  const goals: Goal[] = [];
  const ingest = (other: VariantName, label: string, goal: string, met: (v: number) => boolean): void => {
    if (present.has(other)) goals.push({ label, goal, met, value: (subject) => pairedRatio(results, subject, other, docsPerSecond) });
  };
  ingest('raw-relaxed', 'ingest ÷ raw relaxed (docs/s)', '≥ 0.50', (v) => v >= 0.5);
  ingest('raw-strict', 'ingest ÷ raw strict (docs/s)', '(info)', () => true);
  ingest('rxdb-plain', 'ingest ÷ RxDB plaintext (docs/s)', '≥ 0.77 (time ≤ 1.3×)', (v) => v >= 1 / 1.3);
  ingest('rxdb-cryptojs', 'ingest ÷ RxDB crypto-js (docs/s)', '≥ 3', (v) => v >= 3);
  ingest('pouchdb', 'ingest ÷ PouchDB (docs/s)', '> 1', (v) => v > 1);
  if (present.has('raw-relaxed')) {
    goals.push({ label: 'chart p95 ÷ raw relaxed (time)', goal: '≤ 2 (design card)', met: (v) => v <= 2, value: (subject) => pairedRatio(results, subject, 'raw-relaxed', (run) => chartP(run, 95)) });
  }
  goals.push({
    label: `chart p95 at ${patientCount(results.size).toLocaleString('en-US')} patients (ms)`,
    goal: '≤ 100 ms',
    met: (v) => v <= 100,
    ms: true,
    value: (subject) => median(runsOf(results, subject).map((run) => chartP(run, 95))),
  });
  const header = ['goal', ...subjects.map((s) => (s === 'ours' ? 'ours' : variantLabels[s].replace('proto: ', ''))), 'target'];
  const rows = goals.map((g) => [
    g.label,
    ...subjects.map((subject) => {
      const v = g.value(subject);
      return `${g.ms === true ? fmtMs(v) : fmtRatio(v)} ${g.goal === '(info)' ? '' : g.met(v) ? 'met' : 'MISSED'}`.trim();
    }),
    g.goal,
  ]);
  return table(header, rows);
}

export function searchTable(results: SizeResults): string {
  const rows = variantsIn(results).flatMap((variant) => {
    const runs = runsOf(results, variant).filter((run) => run.search !== null);
    if (runs.length === 0) return [];
    const how = isOurReplica(variant) ? 'in-memory index + decrypt hits' : variant === 'rxdb-cryptojs' ? 'naive: decrypt every Patient, match' : 'naive: read every Patient, match';
    return [[
      variantLabels[variant],
      how,
      fmtMs(median(runs.map((run) => percentile(run.search?.ms ?? [], 50)))),
      fmtMs(median(runs.map((run) => percentile(run.search?.ms ?? [], 95)))),
      (median(runs.map((run) => median(run.search?.hits ?? []))) || 0).toString(),
    ]];
  });
  return table(['variant', 'how', 'search p50 ms', 'p95 ms', 'median hits'], rows);
}

export function reopenLines(results: SizeResults): string {
  return variantsIn(results)
    .filter(isOurReplica)
    .flatMap((variant) => {
      const runs = runsOf(results, variant).filter((run) => run.reopenMs !== null);
      if (runs.length === 0) return [];
      const ms = median(runs.map((run) => run.reopenMs ?? Number.NaN));
      return [`${variantLabels[variant]}: close + reopen (unwrap ${patientCount(results.size)} keys, decrypt every Patient, rebuild the search index): median ${fmtMs(ms)} ms`];
    })
    .join('\n');
}

/** Everything printed for one size. */
export function sizeReport(results: SizeResults, meta: Readonly<{ pageSize: number; order: string }>): string {
  const patients = patientCount(results.size);
  return [
    '',
    `══ ${results.size.toLocaleString('en-US')} resources (${patients.toLocaleString('en-US')} patients × ${resourcesPerPatient}; pages of ${meta.pageSize}, ${meta.order} order; ${results.rounds.length} rounds, medians) ══`,
    ingestTable(results),
    '',
    goalsTable(results),
    '',
    `name search (the 20 charted patients' family names, ${patients.toLocaleString('en-US')} patients):`,
    searchTable(results),
    reopenLines(results),
  ].join('\n');
}
