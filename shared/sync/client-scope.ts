/**
 * The SMART scopes Relais asks for (SMART App Launch v2, https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * no more than the client uses, so a stolen token, or a compromised page in Electron that reaches
 * main's transport, cannot do more either.
 * - read and search (`user/*.rs`; the HIE still limits it to the clinician's patients): the replica
 *   holds every type of the Patient compartment the HIE offers, plus the panel's Groups, CareTeams
 *   and Consents, and reads deletions from the system-wide `_history`, which servers answer only
 *   for a wildcard read scope;
 * - create and update (`cu`: a new record is a PUT to its client id, R4 update-as-create) on the
 *   types a clinician records from Relais, and nothing else: no delete;
 * - create only on AuditEvent: the access log is uploaded with a conditional create and is never
 *   changed or deleted by the client.
 * A new kind of record written from Relais adds its type to `writtenTypes`.
 */
export const writtenTypes: readonly string[] = ['Observation', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'DocumentReference'];

export const clientResourceScopes: readonly string[] = ['user/*.rs', ...writtenTypes.map((type) => `user/${type}.cu`), 'user/AuditEvent.c'];

/** The whole request: who the clinician is (OpenID Connect, fhirUser), a refresh token, and the resource scopes. */
export const clientScope: string = ['openid', 'fhirUser', 'offline_access', ...clientResourceScopes].join(' ');
