import { z } from 'zod';
import { auditAnchorSchema, auditLinkSchema, hieRequestSchema, hieUnparsedResponseSchema, replicaNameSchema } from './contract';
import type { PortContract } from './port-rpc';

/**
 * What the data worker asks of the platform (renderer/data/): one FHIR request, the audit
 * anchor's read and extension, the wipe's two platform steps. In Electron main serves it on a
 * MessagePort it hands the worker at start (electron/ipc/data-port.ts), so HIE answers never
 * cross the page; the web host serves it from the page. Failures are codes.
 */
const none = z.object({}).strict();

export const hostContract = {
  methods: {
    /**
     * One FHIR request through the platform's transport (origin-pinned; main adds the token),
     * answered with the body as text: the worker parses it, so the page (web host) neither parses
     * nor clones it as objects, and a string crosses the port as one copy.
     */
    hieSend: { request: hieRequestSchema, response: hieUnparsedResponseSchema },
    anchorRead: { request: none, response: auditAnchorSchema.nullable() },
    anchorExtend: { request: z.object({ replica: replicaNameSchema, links: z.array(auditLinkSchema).min(1).max(100) }).strict(), response: auditAnchorSchema },
    eraseDeviceSecrets: { request: none, response: z.null() },
    eraseLocalData: { request: none, response: z.null() },
  },
  events: {},
  /** TRANSPORT_<kind>: the request got no HIE answer (shared/hie/transport.ts, TransportError). */
  codes: ['TRANSPORT_offline', 'TRANSPORT_timeout', 'TRANSPORT_aborted', 'TRANSPORT_refused', 'TRANSPORT_not-configured', 'AUDIT_ANCHOR_REFUSED', 'HOST_FAILED'],
} as const satisfies PortContract;

export type HostContract = typeof hostContract;

/** Why an HIE request got no answer (shared/hie/transport.ts, TransportError['kind']), as it crosses the port. */
const transportKinds = ['offline', 'timeout', 'aborted', 'refused', 'not-configured'] as const;
export type TransportKind = (typeof transportKinds)[number];
export const transportCode = (kind: TransportKind): `TRANSPORT_${TransportKind}` => `TRANSPORT_${kind}`;
/** The kind a code names, or null for any other code. */
export const transportKindOf = (code: string): TransportKind | null => transportKinds.find((kind) => code === transportCode(kind)) ?? null;
