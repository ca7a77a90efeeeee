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

/** One CSV row of electronegativity's report, quotes respected. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function scan(): Array<{ check: string; file: string; code: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'relais-eneg-'));
  const input = join(scratch, 'app');
  mkdirSync(input);
  cpSync('electron', input, { recursive: true });
  cpSync('dist/renderer/index.html', join(input, 'renderer-index.html'));
  const output = join(scratch, 'report.csv');
  const run = spawnSync('electronegativity', ['-i', input, '-r', '-o', output, '-v', 'false', '-e', '45.3.4'], { encoding: 'utf8', timeout: 120_000 });
  expect(run.error).toBeUndefined();
  return readFileSync(output, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map(parseCsvLine)
    .map((cells) => ({ check: cells[0]?.trim() ?? '', file: cells[3]?.trim() ?? '', code: cells[5]?.trim() ?? '' }));
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
