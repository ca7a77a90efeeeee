/**
 * One measured duration next to the limit that would have failed it. The runners' reporters write
 * these (`<reports>/<runner>-timings.json`); the suite summary and the stress run read them.
 */
export type Timing = Readonly<{
  runner: 'vitest' | 'playwright';
  file: string;
  name: string;
  /** test: a whole test against its timeout; hook: a beforeAll/afterAll; wait: one expect inside a test. */
  kind: 'test' | 'hook' | 'wait';
  durationMs: number;
  limitMs: number;
  status: string;
}>;

export const reportsDirectory = (): string => process.env['RELAIS_REPORTS_DIR'] ?? '.cache/test-reports';

export const timingsFile = (name: string): string => `${reportsDirectory()}/${name}-timings.json`;
