import { z } from 'zod';
import { replicaNameSchema } from '../../shared/ipc/contract';
import type { PortContract } from '../../shared/ipc/port-rpc';
import { lockedHandoverSchema } from '../../shared/sync/locked-pull';

/**
 * The locked sync worker's contract (data/serve-locked-sync.ts): started at lock with the closing
 * session's handover, told the network state, it tells how far it got. Nothing here carries a
 * record or a key that opens one; the worker reaches the platform through hostContract, as the
 * data worker does.
 */
export const lockedStates = ['receiving', 'caught-up', 'offline', 'sign-in', 'retrying', 'storage-full'] as const;
export type LockedState = (typeof lockedStates)[number];

export const lockedContract = {
  methods: {
    start: {
      request: z
        .object({
          replicaName: replicaNameSchema,
          owner: z.object({ practitioner: z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/), fhirBase: z.string().url() }).strict(),
          handover: lockedHandoverSchema,
          online: z.boolean(),
          /** Between passes once caught up. */
          pollMs: z.number().int().min(10).max(3_600_000).optional(),
        })
        .strict(),
      response: z.null(),
    },
    network: { request: z.object({ online: z.boolean() }).strict(), response: z.null() },
  },
  events: {
    /** Resources received since the lock (sealed in the inbox), and what the locked sync is doing. */
    progress: z.object({ received: z.number().int().min(0), state: z.enum(lockedStates) }).strict(),
    /** The HIE withdrew this device while locked: the device secret, the replica's files and local storage were erased. */
    wiped: z.object({ complete: z.boolean(), failed: z.array(z.enum(['device-secret', 'replica', 'local-data'])) }).strict(),
  },
  codes: ['ALREADY_STARTED'],
} as const satisfies PortContract;

export type LockedContract = typeof lockedContract;
