import { parseDocument, type ImportFailure, type ParsedDocument } from '../../shared/exchange/document-parse';
import { decodeFileText } from '../../shared/exchange/file-text';
import { planImport, type ImportPlan } from '../../shared/exchange/document-import';
import type { IpsLanguage } from '../../shared/exchange/ips';
import { practitionerName } from '../../shared/clinical/coordination';
import type { Record_ } from '../../shared/fhir/fhir-text';
import type { LocalEdit } from '../db/local-edits';
import type { ReplicaEntry } from '../db/resource-docs';

/**
 * The data side of a document import: the file's text is read and planned here, in the data
 * worker (a large Bundle never blocks the page), against the chart as the replica holds it; the
 * page shows the preview and says yes or no. Only the last preview can be confirmed, and only
 * for the patient it was made for; a mismatch never can, and one without an identifier in common
 * only with the clinician's explicit confirmation.
 */
export type ImportPreview =
  | Readonly<{ ok: false; code: ImportFailure }>
  | Readonly<{
      ok: true;
      id: string;
      format: 'fhir' | 'ccda' | 'csv';
      /** For home readings: how dates were read (assumed when the file could not tell), lines not read, columns ignored. */
      readings: ParsedDocument['readings'];
      kind: string;
      title: string | null;
      date: string | null;
      author: string | null;
      verdict: ImportPlan['verdict'];
      identity: ImportPlan['identity'];
      sections: readonly Readonly<{ key: string; items: readonly Readonly<{ line: string; duplicate: boolean }>[] }>[];
      leftOut: ImportPlan['leftOut'];
      namesOnly: number;
      added: number;
      duplicates: number;
    }>;

/** The file as its bytes (hashed as they are, decoded here); `dateOrder` when the clinician chose how ambiguous dates read. */
export type ImportRequest = Readonly<{ patient: string; fileName: string; data: ArrayBuffer; language: IpsLanguage; dateOrder?: 'dmy' | 'mdy' }>;
export type ImportOutcome = Readonly<{ added: number; provenance: string }>;

export class ImportRefusedError extends Error {
  constructor(readonly reason: 'stale' | 'mismatch' | 'unconfirmed' | 'nothing') {
    super(`import refused: ${reason}`);
  }
}

/** Resources in one outbox group go to the HIE as one transaction: a large import in several. */
const groupSize = 250;

export type DocumentImporterDeps = Readonly<{
  practitioner: string;
  resourcesOfPatient(patient: string): Promise<readonly ReplicaEntry[]>;
  getResource(ref: string): Promise<ReplicaEntry | null>;
  /** Saves the new records together (the outbox, then the rows), all or none; their group ids split the push into transactions. */
  save(edits: readonly LocalEdit[]): Promise<void>;
  /** Takes back a create not yet sent (an import that failed half-way leaves nothing). */
  discard(edit: LocalEdit): Promise<void>;
  digest(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  newId(): string;
  now(): Date;
  /** Records per outbox group (one transaction on the HIE); 250 unless a test says otherwise. */
  groupSize?: number;
}>;

export function createDocumentImporter(deps: DocumentImporterDeps) {
  let pending: { id: string; patient: string; plan: ImportPlan } | null = null;
  return {
    async preview(request: ImportRequest): Promise<ImportPreview> {
      pending = null;
      const bytes = new Uint8Array(request.data);
      const parsed = parseDocument(decodeFileText(bytes), bytes.byteLength, { fileName: request.fileName, ...(request.dateOrder !== undefined ? { dateOrder: request.dateOrder } : {}) });
      if (!parsed.ok) return parsed;
      const chart = (await deps.resourcesOfPatient(request.patient)).flatMap((e) => (e.resource === null ? [] : [e.resource as Record_]));
      const patient = chart.find((r) => r['resourceType'] === 'Patient' && `Patient/${String(r['id'])}` === request.patient);
      if (patient === undefined) throw new ImportRefusedError('stale');
      const me = await deps.getResource(deps.practitioner);
      const display = me?.resource ? (practitionerName(me.resource) ?? undefined) : undefined;
      // The file's own SHA-256: its bytes as they came, whatever their encoding.
      const hash = new Uint8Array(await deps.digest(bytes));
      const plan = planImport(parsed.value, {
        patient,
        chart,
        practitioner: { reference: deps.practitioner, ...(display !== undefined ? { display } : {}) },
        fileName: request.fileName,
        fileDigest: [...hash].map((b) => b.toString(16).padStart(2, '0')).join(''),
        now: deps.now(),
        language: request.language,
        uuid: deps.newId,
      });
      const id = deps.newId();
      pending = { id, patient: request.patient, plan };
      const doc = parsed.value;
      return {
        ok: true,
        id,
        format: doc.format,
        readings: doc.readings,
        kind: doc.kind,
        title: doc.title,
        date: doc.date,
        author: doc.author,
        verdict: plan.verdict,
        identity: plan.identity,
        sections: plan.sections.map((s) => ({ key: s.key, items: s.items.map((i) => ({ line: i.line, duplicate: i.duplicateOf !== null })) })),
        leftOut: plan.leftOut,
        namesOnly: plan.namesOnly,
        added: plan.added,
        duplicates: plan.duplicates,
      };
    },

    /** Stores the previewed plan: every resource through the outbox (pushed at the next sync), the Provenance last; all or nothing. */
    async commit(id: string, confirmed: boolean): Promise<ImportOutcome & { patient: string }> {
      const chosen = pending;
      if (chosen === null || chosen.id !== id) throw new ImportRefusedError('stale');
      const { plan, patient } = chosen;
      if (plan.verdict === 'mismatch' || plan.verdict === 'unverifiable') throw new ImportRefusedError('mismatch');
      if ((plan.verdict === 'confirm' || plan.verdict === 'readings') && !confirmed) throw new ImportRefusedError('unconfirmed');
      if (plan.resources.length === 0) throw new ImportRefusedError('nothing');
      pending = null;
      const groups: LocalEdit[][] = [];
      const size = deps.groupSize ?? groupSize;
      for (let i = 0; i < plan.resources.length; i += size) {
        const group = deps.newId();
        groups.push(plan.resources.slice(i, i + size).map((resource) => ({ ref: `${resource.resourceType}/${String(resource.id)}`, op: 'create', resource, patient, group })));
      }
      // One save for every group: the sync cannot push a first group while a later one fails.
      const edits = groups.flat();
      try {
        await deps.save(edits);
      } catch (error: unknown) {
        // A full disk half-way: the replica takes back what it wrote (saveLocalCreates); anything
        // still there is taken back here, newest first (what is not there is refused, and ignored),
        // so that no record stands without its Provenance. Should that fail too, what is left is
        // pending and visible, and reading the file again does not add it twice.
        for (const edit of [...edits].reverse()) await deps.discard(edit).catch(() => undefined);
        throw error;
      }
      return { added: plan.added, provenance: `Provenance/${String(plan.provenance.id)}`, patient };
    },
  };
}

export type DocumentImporter = ReturnType<typeof createDocumentImporter>;
