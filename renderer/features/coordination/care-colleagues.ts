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
 */
export function careColleagues(resources: readonly FhirResource[], me: string, fhirBase?: string): string[] {
  const found = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType === 'CareTeam' && resource['status'] !== 'inactive' && resource['status'] !== 'entered-in-error') {
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
  return [...found].sort();
}

export function useCareColleagues(patient: string): readonly string[] {
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const [colleagues, setColleagues] = useState<readonly string[]>([]);
  useEffect(() => {
    let current = true;
    void workspace.replica
      .resourcesOfPatient(patient)
      .then((entries) => {
        const resources = entries.map((e) => e.resource).filter((r): r is FhirResource => r !== null);
        if (current) setColleagues(careColleagues(resources, workspace.owner.practitioner, workspace.owner.fhirBase));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [workspace, patient, revision]);
  return colleagues;
}
