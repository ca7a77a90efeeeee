/** The sandbox's options, checked once at the boundary (CLI flags or a test's call). */
import { z } from 'zod';
import { minimumResourcesPerPatient } from './data/chart-plan.ts';
import { todayUtc } from './data/dates.ts';

export const sandboxOptionsSchema = z.object({
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65_535).default(0),
  /** Loopback only: the sandbox has public demo passwords and, in test mode, an open control API. */
  host: z.enum(['127.0.0.1', 'localhost']).default('127.0.0.1'),
  seed: z.number().int().default(20261128),
  patients: z.number().int().min(0).max(1_000_000).default(50),
  resourcesPerPatient: z.number().int().min(minimumResourcesPerPatient).max(10_000).default(100),
  practitioners: z.number().int().min(1).max(1_000).default(3),
  adversarial: z.boolean().default(false),
  testMode: z.boolean().default(false),
  dataDir: z.string().min(1).optional(),
  /** The "today" of the generated data (YYYY-MM-DD); defaults to the current UTC date. */
  referenceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).default(3600),
  /** Loopback redirect URIs of the desktop client (any port matches); defaults cover /callback. */
  redirectUris: z.array(z.string().url()).optional(),
  /** A folder of FHIR Bundles loaded at start, after the generated data (sandbox/fixtures.ts). */
  fixtures: z.string().min(1).optional(),
  /** Whose panel the fixture patients join: a practitioner's number, from 1. */
  fixturesPanel: z.number().int().min(1).default(1),
  /** Serve as a second HIE for the population of the sandbox with this seed (sandbox/data/twin.ts). */
  twinOf: z.number().int().optional(),
  /** Validate resources written through the API (off only for load benchmarks). */
  validateWrites: z.boolean().default(true),
}).strict();

export type SandboxOptions = z.input<typeof sandboxOptionsSchema>;
export type ResolvedSandboxOptions = z.output<typeof sandboxOptionsSchema>;

export function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions & { referenceDate: string } {
  const resolved = sandboxOptionsSchema.parse(options);
  return { ...resolved, referenceDate: resolved.referenceDate ?? todayUtc() };
}
