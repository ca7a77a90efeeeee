import { useEffect, useState } from 'react';
import type { FhirResource } from '../../../shared/fhir/resource';
import { refOf } from '../../../shared/clinical/coordination';
import { useReplicaRevision, useWorkspace } from '../../app/workspace-context';

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The practitioners who share this patient's care with me, as the replica says: the members of
 * the patient's care teams and their named general practitioners. They are the only people a
 * message or a referral about the patient may go to (the HIE refuses anyone who may not see them).
 * `teams`: the patient's active care teams themselves, which a message (not a referral) may go to.
 */
export function careColleagues(resources: readonly FhirResource[], me: string, fhirBase?: string, teams = false): string[] {
  const found = new Set<string>();
  const teamRefs: string[] = [];
  for (const resource of resources) {
    if (resource.resourceType === 'CareTeam' && resource['status'] !== 'inactive' && resource['status'] !== 'entered-in-error') {
      if (teams && typeof resource.id === 'string') teamRefs.push(`CareTeam/${resource.id}`);
      for (const participant of list(resource['participant'])) {
        const ref = isRecord(participant) ? refOf(participant['member'], fhirBase) : null;
        if (ref?.startsWith('Practitioner/') === true) found.add(ref);
      }
    }
    if (resource.resourceType === 'Patient') {
      for (const gp of list(resource['generalPractitioner'])) {
        const ref = refOf(gp, fhirBase);
        if (ref?.startsWith('Practitioner/') === true) found.add(ref);
      }
    }
  }
  found.delete(me);
  return [...found].sort().concat(teamRefs.sort());
}

export type DocumentChoice = Readonly<{ ref: string; title: string; date: string | null }>;

/** The patient's documents a referral may point to (ServiceRequest.supportingInfo), newest first, twelve at most. */
export function referralDocuments(resources: readonly FhirResource[]): DocumentChoice[] {
  const choices: DocumentChoice[] = [];
  for (const resource of resources) {
    if (resource.resourceType !== 'DocumentReference' || typeof resource.id !== 'string' || resource['status'] === 'entered-in-error') continue;
    const type = isRecord(resource['type']) ? resource['type'] : {};
    const title = [resource['description'], type['text'], ...list(type['coding']).map((c) => (isRecord(c) ? c['display'] : undefined))].find((v): v is string => typeof v === 'string' && v !== '');
    choices.push({ ref: `DocumentReference/${resource.id}`, title: title ?? `DocumentReference/${resource.id}`, date: typeof resource['date'] === 'string' ? resource['date'] : null });
  }
  return choices.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '')).slice(0, 12);
}

/** Who may receive a message or referral about the patient, and the documents a referral may carry. */
export function useCareContext(patient: string, teams = false): Readonly<{ colleagues: readonly string[]; documents: readonly DocumentChoice[] }> {
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const [context, setContext] = useState<Readonly<{ colleagues: readonly string[]; documents: readonly DocumentChoice[] }>>({ colleagues: [], documents: [] });
  useEffect(() => {
    if (patient === '') return;
    let current = true;
    void workspace.replica
      .resourcesOfPatient(patient)
      .then((entries) => {
        const resources = entries.map((e) => e.resource).filter((r): r is FhirResource => r !== null);
        if (current) setContext({ colleagues: careColleagues(resources, workspace.owner.practitioner, workspace.owner.fhirBase, teams), documents: referralDocuments(resources) });
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [workspace, patient, revision, teams]);
  return context;
}

/** Whom a message about the patient may go to: the colleagues, then the patient's care teams. */
export const useMessageRecipients = (patient: string): readonly string[] => useCareContext(patient, true).colleagues;
