import { SyncStop } from '../sync/errors';
import type { FhirTransport } from '../sync/ports';
import { exchange } from '../sync/request';
import type { AuditLink } from './chain';
import { relaisAuditExtension } from './audit-event';

/**
 * Sends audit events to the HIE exactly once: each is a PUT to its own client-generated id, so an
 * upload whose acknowledgement was lost (a crash between the HIE's commit and our cursor write)
 * is sent again and stored once. The cursor moves only after the HIE said yes, link by link.
 */
export type AuditSource = Readonly<{
  pending(): Promise<readonly AuditLink[]>;
  markUploaded(seq: number): Promise<void>;
}>;

/** The event as uploaded: with its place in the chain, so the HIE can check the chain too. */
export function uploadedForm(link: AuditLink): Record<string, unknown> {
  const extension = [
    ...((link.event['extension'] as unknown[] | undefined) ?? []),
    { url: `${relaisAuditExtension}/chain-seq`, valueInteger: link.seq },
    { url: `${relaisAuditExtension}/chain-previous`, valueString: link.previous },
    { url: `${relaisAuditExtension}/chain-hash`, valueString: link.hash },
  ];
  return { ...link.event, extension };
}

export async function uploadAudit(transport: FhirTransport, source: AuditSource): Promise<number> {
  let sent = 0;
  for (const link of await source.pending()) {
    const id = link.event['id'];
    if (typeof id !== 'string' || link.hash === '') throw new SyncStop('UNEXPECTED_STATUS');
    await exchange(
      transport,
      { method: 'PUT', target: `AuditEvent/${id}`, headers: { 'content-type': 'application/fhir+json' }, body: uploadedForm(link) },
      [200, 201],
    );
    await source.markUploaded(link.seq);
    sent += 1;
  }
  return sent;
}
