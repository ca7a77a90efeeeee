import type { FhirResource } from './resource';

/**
 * Which patient a resource belongs to (its Patient compartment), from the reference fields FHIR
 * R4 uses for that. `null`: not patient data (Practitioner, Organization, Medication, …).
 * A resource naming more than one patient is refused for sync (returned as 'ambiguous').
 */
const patientFields = ['subject', 'patient', 'beneficiary', 'individual'] as const;

function referenceField(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const reference = (value as { reference?: unknown }).reference;
  return typeof reference === 'string' ? reference : null;
}

export function patientOf(resource: FhirResource): string | null | 'ambiguous' {
  if (resource.resourceType === 'Patient') return typeof resource.id === 'string' ? `Patient/${resource.id}` : null;
  const found = new Set<string>();
  for (const field of patientFields) {
    const reference = referenceField(resource[field]);
    if (reference !== null && reference.startsWith('Patient/')) found.add(reference);
  }
  // AllergyIntolerance.patient, Appointment.participant[].actor, AuditEvent.entity[].what
  if (resource.resourceType === 'Appointment' && Array.isArray(resource['participant'])) {
    for (const p of resource['participant'] as unknown[]) {
      const reference = referenceField((p as { actor?: unknown } | null)?.actor);
      if (reference !== null && reference.startsWith('Patient/')) found.add(reference);
    }
  }
  if (found.size === 0) return null;
  if (found.size > 1) return 'ambiguous';
  return [...found][0] as string;
}
