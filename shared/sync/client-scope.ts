import { clinicalCompartmentTypes } from '../fhir/patient-compartment';
import { sharedResourceTypes } from './resource-types';

/**
 * The SMART scopes Relais asks for (SMART App Launch v2, https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * no more than the client uses, so a stolen token, or a compromised page in Electron that reaches
 * main's transport, cannot do more either.
 * - read and search (`rs`), type by type, on what the client reads and nothing else: the Patient,
 *   every clinical type of the Patient compartment (what it may sync, resource-types.ts), the
 *   shared types it keeps (Practitioner, Organization, Medication), and the Groups, CareTeams and
 *   Consents that say the scope (scope.ts). No read on AuditEvent, billing or any
 *   other type. The deletions feed is the system `_history`, which the HIE must filter to the types
 *   the token may read (the sandbox does); an HIE that refuses system history to a typed scope
 *   stops the sync with a sentence.
 * - create and update (`cu`: a new record is a PUT to its client id, R4 update-as-create) on the
 *   types a clinician records from Relais, and nothing else: no delete;
 * - create only on AuditEvent: the access log is uploaded with a conditional create and is never
 *   read, changed or deleted by the client.
 * A new kind of record written from Relais adds its type to `writtenTypes`; a new type read adds
 * itself to `readTypes`.
 */
export const writtenTypes: readonly string[] = [
  'Observation', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'DocumentReference', 'DetectedIssue',
  // Care coordination: an appointment's status, messages, referrals and their tasks, to-dos.
  'Appointment', 'Communication', 'ServiceRequest', 'Task',
  // Documents imported into a chart (shared/exchange/document-import.ts): what they add, the document, its Provenance.
  'MedicationStatement', 'Immunization', 'Procedure', 'DiagnosticReport', 'Composition', 'Provenance',
];

export const scopeTypes: readonly string[] = ['Group', 'CareTeam', 'Consent'];

export const readTypes: readonly string[] = [...new Set(['Patient', ...clinicalCompartmentTypes(), ...sharedResourceTypes, ...scopeTypes])];

/** One scope per type, its permissions in SMART v2's `cruds` order. */
export const clientResourceScopes: readonly string[] = [
  ...readTypes.map((type) => `user/${type}.${writtenTypes.includes(type) ? 'crus' : 'rs'}`),
  'user/AuditEvent.c',
];

/** The whole request: who the clinician is (OpenID Connect, fhirUser), a refresh token, and the resource scopes. */
export const clientScope: string = ['openid', 'fhirUser', 'offline_access', ...clientResourceScopes].join(' ');
