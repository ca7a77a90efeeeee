import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter';
import { timingsFile, type Timing } from './timing.ts';

/**
 * Writes every browser test's duration next to its time limit, its hooks next to theirs, and its
 * longest waits (one `expect`, polled until it holds or its own timeout ends) next to the timeout
 * that wait runs under: the one written at the call (`{ timeout: … }`), else the default.
 */
type Options = Readonly<{ expectTimeoutMs: number }>;

const sourceLines = new Map<string, readonly string[]>();

/** The timeout written in the expect call at this location, if any (the call may span a few lines). */
export function writtenTimeout(lines: readonly string[], line: number): number | null {
  let call = '';
  for (let i = line - 1; i < Math.min(lines.length, line + 7); i += 1) {
    call += lines[i] ?? '';
    if (/;\s*(\/\/.*)?$/.test(lines[i] ?? '')) break;
  }
  const match = /\btimeout:\s*([\d_]+)/.exec(call);
  return match?.[1] === undefined ? null : Number(match[1].replaceAll('_', ''));
}

function linesOf(file: string): readonly string[] {
  let lines = sourceLines.get(file);
  if (lines === undefined) {
    lines = readFileSync(file, 'utf8').split('\n');
    sourceLines.set(file, lines);
  }
  return lines;
}

export default class TimingReporter implements Reporter {
  private readonly rows: Timing[] = [];
  private readonly waits = new Map<TestResult, Timing[]>();

  constructor(private readonly options: Options) {}

  onStepEnd(test: TestCase, result: TestResult, step: TestStep): void {
    const file = relative(process.cwd(), test.location.file);
    if (step.category === 'hook' && /^(before|after)All/i.test(step.title)) {
      this.rows.push({ runner: 'playwright', file, name: `${step.title} (${test.parent.title || file})`, kind: 'hook', durationMs: step.duration, limitMs: test.timeout, status: step.error ? 'failed' : 'passed' });
      return;
    }
    if (step.category !== 'expect' || step.location === undefined) return;
    const limitMs = writtenTimeout(linesOf(step.location.file), step.location.line) ?? this.options.expectTimeoutMs;
    const at = `${relative(process.cwd(), step.location.file)}:${step.location.line}`;
    const list = this.waits.get(result) ?? [];
    list.push({ runner: 'playwright', file, name: `${test.title} › wait at ${at}: ${step.title}`, kind: 'wait', durationMs: step.duration, limitMs, status: step.error ? 'failed' : 'passed' });
    this.waits.set(result, list);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const file = relative(process.cwd(), test.location.file);
    this.rows.push({ runner: 'playwright', file, name: test.titlePath().slice(3).join(' › '), kind: 'test', durationMs: result.duration, limitMs: test.timeout, status: result.status });
    // Keep each test's three waits nearest their limits (the rest are far from theirs).
    const waits = (this.waits.get(result) ?? []).sort((a, b) => b.durationMs / b.limitMs - a.durationMs / a.limitMs).slice(0, 3);
    this.rows.push(...waits);
    this.waits.delete(result);
  }

  onEnd(_result: FullResult): void {
    const file = timingsFile('playwright');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(this.rows, null, 1));
  }

  printsToStdio(): boolean {
    return false;
  }
}
