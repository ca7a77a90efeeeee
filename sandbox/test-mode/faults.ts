/**
 * Injected faults for the client's resilience tests (`POST /_test/faults`). They apply to the
 * next `count` FHIR requests, or until cleared: added latency, 503/429 with Retry-After (the
 * request is not processed), responses dropped after the write committed, and pages that repeat
 * an entry or come in another order.
 */
import { z } from 'zod';
import type { FaultDecision, FaultSource } from '../fhir/fhir-server.ts';

export const faultSpecSchema = z.object({
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  status: z.union([z.literal(503), z.literal(429)]).optional(),
  retryAfter: z.number().int().min(0).max(86_400).optional(),
  count: z.number().int().min(1).optional(),
  dropAfterCommit: z.number().int().min(1).optional(),
  duplicatePages: z.boolean().optional(),
  reorderPages: z.boolean().optional(),
  /** A hostile HIE: these resources are added to the first page of every search of their type. */
  inject: z.array(z.record(z.string(), z.unknown())).max(200).optional(),
}).strict();

export type FaultSpec = z.infer<typeof faultSpecSchema>;

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type ActiveFaults = { spec: FaultSpec; remaining: number | undefined; dropsLeft: number };

export class FaultController implements FaultSource {
  #active: ActiveFaults | undefined;

  set(spec: FaultSpec): void {
    this.#active = { spec, remaining: spec.count, dropsLeft: spec.dropAfterCommit ?? 0 };
  }

  clear(): void {
    this.#active = undefined;
  }

  get active(): FaultSpec | undefined {
    return this.#active?.spec;
  }

  next(method: string): FaultDecision | undefined {
    const active = this.#active;
    if (!active) return undefined;
    if (active.remaining !== undefined) {
      if (active.remaining <= 0) {
        this.#active = undefined;
        return undefined;
      }
      active.remaining -= 1;
    }
    const drop = active.dropsLeft > 0 && writeMethods.has(method);
    if (drop) active.dropsLeft -= 1;
    const { spec } = active;
    return {
      latencyMs: spec.latencyMs ?? 0,
      ...(spec.status !== undefined ? { status: spec.status } : {}),
      ...(spec.retryAfter !== undefined ? { retryAfterSeconds: spec.retryAfter } : {}),
      dropAfterCommit: drop,
      shaping: { duplicatePages: spec.duplicatePages ?? false, reorderPages: spec.reorderPages ?? false, ...(spec.inject === undefined ? {} : { inject: spec.inject }) },
    };
  }
}
