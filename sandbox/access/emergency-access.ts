/**
 * Break-the-glass on the HIE side: a practitioner may open a patient outside their panel by
 * giving a reason (`POST /fhir/Patient/$break-the-glass`). The grant is time-limited; the HIE
 * records it (an AuditEvent flagged BTG, by the HIE itself) and publishes it as a Consent that
 * permits this practitioner, with purpose BTG and the grant's period, so the client's scope sees
 * it (and sees it end).
 */
import { randomUUID } from 'node:crypto';
import { parseSearchRequest } from '@medplum/core';
import type { AuditEvent, Consent, Parameters, Patient } from '@medplum/fhirtypes';
import type { SandboxRepository } from '../fhir/repository.ts';
import { FhirRequestError } from '../fhir/reply.ts';

export const btgPurpose = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG', display: 'break the glass' } as const;

export class EmergencyGrants {
  readonly #grants = new Map<string, Map<string, number>>();

  grant(practitionerId: string, patientId: string, untilMs: number): void {
    const mine = this.#grants.get(practitionerId) ?? new Map<string, number>();
    mine.set(patientId, untilMs);
    this.#grants.set(practitionerId, mine);
  }

  /** The patients this practitioner may open now by emergency access. */
  activeFor(practitionerId: string, nowMs = Date.now()): string[] {
    const mine = this.#grants.get(practitionerId);
    if (!mine) return [];
    for (const [patient, until] of mine) if (until <= nowMs) mine.delete(patient);
    return [...mine.keys()];
  }

  expireAll(practitionerId?: string): void {
    if (practitionerId === undefined) this.#grants.clear();
    else this.#grants.delete(practitionerId);
  }
}

function parameter(body: unknown, name: string): Record<string, unknown> | undefined {
  const params = body as Parameters | undefined;
  if (params?.resourceType !== 'Parameters') return undefined;
  return params.parameter?.find((p) => p.name === name) as Record<string, unknown> | undefined;
}

export async function breakTheGlass(
  repo: SandboxRepository,
  grants: EmergencyGrants,
  practitionerId: string,
  body: unknown,
  minutes: number,
): Promise<Parameters> {
  const identifier = parameter(body, 'identifier')?.['valueIdentifier'] as { system?: string; value?: string } | undefined;
  const reason = String(parameter(body, 'reason')?.['valueString'] ?? '').trim();
  if (identifier?.value === undefined || identifier.value.trim() === '') throw new FhirRequestError(400, 'required', 'Give the patient’s identifier');
  if (reason.length < 10) throw new FhirRequestError(400, 'required', 'Give the reason for emergency access (at least 10 characters)');
  const token = identifier.system ? `${identifier.system}|${identifier.value}` : identifier.value;
  const [patient] = await repo.searchUnchecked<Patient>(parseSearchRequest('Patient', { identifier: token }));
  if (!patient) throw new FhirRequestError(404, 'not-found', 'No patient with this identifier');
  const now = Date.now();
  const until = now + minutes * 60_000;
  grants.grant(practitionerId, patient.id, until);
  const period = { start: new Date(now).toISOString(), end: new Date(until).toISOString() };
  await repo.createResource<Consent>({
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient.id}` },
    dateTime: period.start,
    policyRule: { coding: [{ ...btgPurpose }] },
    provision: {
      type: 'permit',
      period,
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] }, reference: { reference: `Practitioner/${practitionerId}` } }],
      purpose: [{ ...btgPurpose }],
    },
  });
  await repo.createResource<AuditEvent>({
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
    action: 'E',
    recorded: period.start,
    outcome: '0',
    purposeOfEvent: [{ coding: [{ ...btgPurpose }] }],
    agent: [{ who: { reference: `Practitioner/${practitionerId}` }, requestor: true, purposeOfUse: [{ coding: [{ ...btgPurpose }] }] }],
    source: { observer: { display: 'Relais HIE sandbox' } },
    entity: [{ what: { reference: `Patient/${patient.id}` }, description: reason }],
  });
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${patient.id}` } },
      { name: 'expires', valueInstant: period.end },
    ],
  };
}
