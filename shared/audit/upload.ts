import { SyncStop } from '../hie/errors';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';
import type { AuditLink } from './chain';
import { relaisAuditExtension } from './audit-event';

/**
 * Sends audit events to the HIE exactly once, with a conditional create (R4 http.html#ccreate):
 * `POST AuditEvent` carrying the event's client-generated id as a tag, and `If-None-Exist` on that
 * tag, so an upload whose acknowledgement was lost (a crash between the HIE's commit and our cursor
 * write) is sent again and stored once. Create is all it needs: the client asks for
 * `user/AuditEvent.c` only (shared/sync/client-scope.ts), never the right to update or delete an
 * event. The cursor moves only after the HIE said yes, link by link.
 */
export type AuditSource = Readonly<{
  pending(): Promise<readonly AuditLink[]>;
  markUploaded(seq: number): Promise<void>;
  /** After a sync: withhold the patient from uploaded events about patients not in `scope` (renderer/db/audit-log.ts). */
  redactOutside?(scope: ReadonlySet<string>, everything?: boolean): Promise<number>;
}>;

/** The tag that carries an event's client id (R4 AuditEvent has no identifier; `_tag` is searchable on every server). */
export const auditEventIdSystem = 'https://relais.example.org/fhir/CodeSystem/audit-event-id';

/** The HIE's search for an event already uploaded: what `If-None-Exist` carries. */
export function uploadedEventQuery(id: string): string {
  return `_tag=${encodeURIComponent(`${auditEventIdSystem}|${id}`)}`;
}

/**
 * The event as uploaded: the server assigns its own id (a create's id is ignored, R4 §3.1.0.1.6),
 * so the client's id travels as a tag; with its place in the chain, so the HIE can check the chain
 * too (the chained form is this event with `id` set back from the tag and these extensions left out).
 */
export function uploadedForm(link: AuditLink): Record<string, unknown> {
  const { id, meta, ...event } = link.event as { id?: unknown; meta?: { tag?: unknown[] } & Record<string, unknown> } & Record<string, unknown>;
  const extension = [
    ...((link.event['extension'] as unknown[] | undefined) ?? []),
    { url: `${relaisAuditExtension}/chain-seq`, valueInteger: link.seq },
    { url: `${relaisAuditExtension}/chain-previous`, valueString: link.previous },
    { url: `${relaisAuditExtension}/chain-hash`, valueString: link.hash },
  ];
  const tag = [...(meta?.tag ?? []), { system: auditEventIdSystem, code: String(id) }];
  return { ...event, meta: { ...meta, tag }, extension };
}

export async function uploadAudit(transport: FhirTransport, source: AuditSource): Promise<number> {
  let sent = 0;
  for (const link of await source.pending()) {
    const id = link.event['id'];
    if (typeof id !== 'string' || link.hash === '') throw new SyncStop('UNEXPECTED_STATUS');
    await exchange(
      transport,
      {
        method: 'POST',
        target: 'AuditEvent',
        headers: { 'content-type': 'application/fhir+json', 'if-none-exist': uploadedEventQuery(id) },
        body: uploadedForm(link),
      },
      [200, 201],
    );
    await source.markUploaded(link.seq);
    sent += 1;
  }
  return sent;
}
