import { z } from 'zod';

/** The slice of the data worker's contract these tests drive: a replica opened, written and read inside a module Worker. */
const refSchema = z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/);
const resourceSchema = z.object({ resourceType: z.string(), id: z.string() }).loose();

export const replicaWorkerContract = {
  methods: {
    newVault: { request: z.object({ passphrase: z.string() }).strict(), response: z.object({ deviceSecret: z.string(), record: z.unknown() }).strict() },
    open: { request: z.object({ name: z.string(), deviceSecret: z.string(), record: z.unknown(), passphrase: z.string() }).strict(), response: z.object({ where: z.string() }).strict() },
    put: {
      request: z.object({ pages: z.array(z.array(z.object({ resource: resourceSchema, patient: refSchema.nullable() }).strict())) }).strict(),
      response: z.object({ pages: z.number().int() }).strict(),
    },
    read: { request: z.object({ ref: refSchema }).strict(), response: resourceSchema.nullable() },
    refs: { request: z.object({ type: z.string() }).strict(), response: z.array(refSchema) },
    quarantined: { request: z.object({}).strict(), response: z.array(z.string()) },
    close: { request: z.object({}).strict(), response: z.null() },
  },
  events: { pageStored: z.object({ page: z.number().int() }).strict() },
  codes: ['NOT_OPEN'],
} as const;
