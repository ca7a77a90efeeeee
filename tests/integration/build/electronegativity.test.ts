/**
 * @doyensec/electronegativity on the main process sources and the built renderer: every finding
 * must be one reviewed in build/electronegativity-reviewed.json, with its reason.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Reviewed = { check: string; file: string; code: string; why: string };
const reviewed = (JSON.parse(readFileSync('build/electronegativity-reviewed.json', 'utf8')) as { findings: Reviewed[] }).findings;

type Sarif = {
  runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
};

/** The few entities Vite writes into attribute values, so a reviewed CSP reads as it is written. */
const decodeEntities = (text: string): string =>
  text.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * The scanner's SARIF report, each finding paired with the source line it points at. (Its CSV
 * report is written by two concurrent unsynchronized writes, header and body, and under load the
 * header overwrites the start of the first row: a corrupt report, not a finding. SARIF is one write.)
 */
function scan(): Array<{ check: string; file: string; code: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'relais-eneg-'));
  const input = join(scratch, 'app');
  mkdirSync(input);
  cpSync('electron', input, { recursive: true });
  cpSync('dist/renderer/index.html', join(input, 'renderer-index.html'));
  const output = join(scratch, 'report.sarif');
  const run = spawnSync('electronegativity', ['-i', input, '-r', '-o', output, '-v', 'false', '-e', '45.3.4'], { encoding: 'utf8', timeout: 120_000 });
  expect(run.error).toBeUndefined();
  expect(run.status).toBe(0);
  const report = JSON.parse(readFileSync(output, 'utf8')) as Sarif;
  expect(report.runs).toHaveLength(1);
  return (report.runs[0]?.results ?? []).map((result) => {
    const where = result.locations[0]?.physicalLocation;
    const file = where?.artifactLocation.uri ?? '';
    const lines = file === '' ? [] : readFileSync(join(input, file), 'utf8').split('\n');
    const code = decodeEntities(lines[(where?.region.startLine ?? 0) - 1] ?? '').trim();
    return { check: result.ruleId, file, code };
  });
}

describe('electronegativity', () => {
  it('finds nothing that is not reviewed and explained', () => {
    const findings = scan();
    const unexplained = findings.filter((f) => !reviewed.some((r) => r.check === f.check && r.file === f.file && f.code.includes(r.code)));
    expect(unexplained).toEqual([]);
    // The review list holds no stale entry either.
    const stale = reviewed.filter((r) => !findings.some((f) => r.check === f.check && r.file === f.file && f.code.includes(r.code)));
    expect(stale).toEqual([]);
    for (const r of reviewed) expect(r.why.length, r.code).toBeGreaterThan(40);
  }, 180_000);
});
