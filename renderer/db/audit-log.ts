import { auditedPatient, auditEvent, type AuditInput } from '../../shared/audit/audit-event';
import { nextLink, redactedLink, verifyChain, type AuditLink, type ChainVerdict } from '../../shared/audit/chain';
import type { ReplicaContext } from './context';
import { readMeta, writeMeta } from './meta-store';
import { auditSeqId, type AuditDoc } from './schemas';

/**
 * The audit trail: append-only (this module only ever inserts), sealed under the replica's shared
 * key so it outlives a patient's purge, chained by hash (shared/audit/chain.ts) and verified at
 * open. Upload to the HIE is tracked by a cursor (the highest sequence number the HIE
 * acknowledged); uploads are conditional creates on the event's own id, so sending one twice
 * stores it once. The one change ever made to a stored link: once the HIE holds it, an event about
 * a patient outside the clinician's scope loses what names the patient (`redactOutside`); the
 * chain still verifies (form 2 hashes the event's digest).
 */
export type AuditRecordInput = Omit<AuditInput, 'id' | 'recorded'> & Partial<Pick<AuditInput, 'recorded'>>;

export type AuditLog = Readonly<{
  record(input: AuditRecordInput): Promise<AuditLink>;
  trail(): Promise<readonly AuditLink[]>;
  verify(): Promise<ChainVerdict>;
  /** Links the HIE has not acknowledged yet, oldest first. */
  pending(): Promise<readonly AuditLink[]>;
  markUploaded(seq: number): Promise<void>;
  /**
   * Withholds the patient from uploaded events about patients not in `scope`; how many links
   * changed. Reads only the links uploaded since the last call, or all of them with `everything`
   * (the scope shrank since).
   */
  redactOutside(scope: ReadonlySet<string>, everything?: boolean): Promise<number>;
}>;

const cursorId = 'audit|uploaded-through';
/** Every uploaded link up to this one has been checked against a scope (redactOutside). */
const redactionCheckedId = 'audit|redaction-checked-through';

function linkOf(doc: Pick<AuditDoc, 'seq' | 'body'>): AuditLink | null {
  if (doc.body === null) return null;
  const { previous, hash, event, form, eventDigest, redacted } = doc.body;
  return {
    seq: Number(doc.seq),
    previous,
    hash,
    event,
    ...(form === undefined ? {} : { form }),
    ...(eventDigest === undefined ? {} : { eventDigest }),
    ...(redacted === undefined ? {} : { redacted }),
  };
}

const bodyOf = (link: AuditLink): AuditDoc['body'] => {
  const { seq: _seq, ...body } = link;
  return body;
};

export function createAuditLog(ctx: ReplicaContext): AuditLog {
  let last: AuditLink | null | undefined;

  const allDocs = async () => ctx.collections.audit.find({ sort: [{ seq: 'asc' }] }).exec();

  const readLast = async (): Promise<AuditLink | null> => {
    const [doc] = await ctx.collections.audit.find({ sort: [{ seq: 'desc' }], limit: 1 }).exec();
    return doc ? linkOf(doc.toJSON()) : null;
  };

  const trail = async (): Promise<readonly AuditLink[]> =>
    (await allDocs()).map((doc) => linkOf(doc.toJSON()) ?? { seq: Number(doc.seq), previous: '', hash: '', event: { resourceType: 'AuditEvent' } });

  return {
    record: (input) =>
      ctx.auditQueue.run(async () => {
        last ??= await readLast();
        const event = auditEvent({ ...input, id: ctx.newId(), recorded: input.recorded ?? ctx.now() });
        const link = await nextLink(ctx.crypto, last, event);
        await ctx.collections.audit.insert({ seq: auditSeqId(link.seq), body: bodyOf(link) });
        last = link;
        return link;
      }),
    trail,
    // A row that no longer opens (tampered) has no hash: the chain breaks there.
    verify: async () => verifyChain(ctx.crypto, await trail()),
    async pending() {
      const through = Number((await readMeta(ctx.collections.meta, cursorId)) ?? 0);
      return (await trail()).filter((link) => link.seq > through);
    },
    markUploaded: (seq) =>
      ctx.auditQueue.run(async () => {
        const through = Number((await readMeta(ctx.collections.meta, cursorId)) ?? 0);
        if (seq > through) await writeMeta(ctx.collections.meta, cursorId, seq);
      }),
    redactOutside: (scope, everything = false) =>
      ctx.auditQueue.run(async () => {
        const through = Number((await readMeta(ctx.collections.meta, cursorId)) ?? 0);
        // Links already checked against a scope need a second look only when the scope shrank:
        // otherwise only those uploaded since are read (not the whole trail on every sync).
        const checked = everything ? 0 : Number((await readMeta(ctx.collections.meta, redactionCheckedId)) ?? 0);
        let redacted = 0;
        const docs = await ctx.collections.audit.find({ selector: { seq: { $gt: auditSeqId(checked) } }, sort: [{ seq: 'asc' }] }).exec();
        for (const doc of docs) {
          const link = linkOf(doc.toJSON());
          if (link === null || link.seq > through) continue;
          const patient = auditedPatient(link.event);
          if (patient === null || scope.has(patient)) continue;
          const withheld = await redactedLink(ctx.crypto, link);
          if (withheld === null) continue;
          await doc.incrementalPatch({ body: bodyOf(withheld) });
          if (last?.seq === withheld.seq) last = withheld;
          redacted += 1;
        }
        await writeMeta(ctx.collections.meta, redactionCheckedId, through);
        return redacted;
      }),
  };
}
