import { existsSync, readFileSync } from 'node:fs';

/**
 * The install stage is timed by `npm run setup` (.ci/bootstrap), which writes this file when it
 * ends; the suite's summary reads it so that install shows beside the other stages.
 */
export const installTimeFile = '.cache/stage-times/install.json';

export function readInstallTime(): { ms: number; when: string } | null {
  if (!existsSync(installTimeFile)) return null;
  const parsed = JSON.parse(readFileSync(installTimeFile, 'utf8')) as { ms?: unknown; finishedAt?: unknown };
  if (typeof parsed.ms !== 'number' || typeof parsed.finishedAt !== 'string') return null;
  return { ms: parsed.ms, when: `npm run setup, ended ${parsed.finishedAt}` };
}
