import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { timingsFile, type Timing } from './timing.ts';

/**
 * Writes every vitest test's duration next to its time limit (and each file's hooks next to the
 * hook limit), for the suite's summary and the stress run: a limit that sits near the duration is
 * a test that fails on a busy machine.
 */
type HookKey = string;

export default class TimingReporter implements Reporter {
  private readonly rows: Timing[] = [];
  private readonly hookStarts = new Map<HookKey, number>();
  private readonly projects = new Set<string>();

  onHookStart(hook: Parameters<NonNullable<Reporter['onHookStart']>>[0]): void {
    if (hook.name === 'beforeAll' || hook.name === 'afterAll') this.hookStarts.set(`${hook.entity.id}:${hook.name}`, performance.now());
  }

  onHookEnd(hook: Parameters<NonNullable<Reporter['onHookEnd']>>[0]): void {
    if (hook.name !== 'beforeAll' && hook.name !== 'afterAll') return;
    const key = `${hook.entity.id}:${hook.name}`;
    const started = this.hookStarts.get(key);
    if (started === undefined) return;
    this.hookStarts.delete(key);
    const module = hook.entity.type === 'module' ? hook.entity : hook.entity.module;
    this.rows.push({
      runner: 'vitest',
      file: relative(process.cwd(), module.moduleId),
      name: `${hook.name} (${hook.entity.type === 'module' ? 'file' : hook.entity.name})`,
      kind: 'hook',
      durationMs: Math.round(performance.now() - started),
      limitMs: hook.entity.project.config.hookTimeout,
      status: 'passed',
    });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state === 'pending') return;
    this.projects.add(test.project.name);
    this.rows.push({
      runner: 'vitest',
      file: relative(process.cwd(), test.module.moduleId),
      name: test.fullName,
      kind: 'test',
      durationMs: Math.round(test.diagnostic()?.duration ?? 0),
      limitMs: test.options.timeout ?? test.project.config.testTimeout,
      status: result.state,
    });
  }

  onTestRunEnd(_modules: readonly TestModule[]): void {
    // One file per set of projects, so the unit and integration runs of one suite both stay.
    const file = timingsFile(`vitest-${[...this.projects].sort().join('+') || 'none'}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(this.rows, null, 1));
  }
}
