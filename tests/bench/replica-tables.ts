/**
 * Prints the tables again from a run's raw results (replica-ingest.ts --json), e.g. after the
 * report changed, or to compare runs:
 *
 *   npx node --experimental-strip-types --disable-warning=ExperimentalWarning tests/bench/replica-tables.ts results.json
 */
import { readFile } from 'node:fs/promises';
import { type SizeResults, sizeReport } from './replica-report.ts';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: replica-tables.ts <results.json>');
const saved = JSON.parse(await readFile(path, 'utf8')) as { userAgent: string; pageSize: number; order: string; results: SizeResults[] };
for (const results of saved.results) console.log(sizeReport(results, saved));
console.log(`\nbrowser: ${saved.userAgent}`);
