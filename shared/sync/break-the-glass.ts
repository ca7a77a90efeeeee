import { z } from 'zod';
import { SyncStop } from '../hie/errors';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

/**
 * Emergency access ("break the glass"): online, a clinician opens a patient outside their panel
 * by naming them (an identifier, such as the INS) and giving a reason. The HIE decides, grants a
 * time-limited access and records it; the next sync brings the patient in (backfill) and, once
 * the grant ends, purges them.
 */
export type EmergencyAccessRequest = Readonly<{ identifier: { system?: string; value: string }; reason: string }>;
export type EmergencyAccessGrant = Readonly<{ patient: string; expires: string }>;

export class EmergencyAccessRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`emergency access refused (${status})`);
    this.name = 'EmergencyAccessRefused';
    this.status = status;
  }
}

const grantSchema = z.object({
  resourceType: z.literal('Parameters'),
  parameter: z.array(z.object({ name: z.string(), valueReference: z.object({ reference: z.string() }).optional(), valueInstant: z.string().optional() }).loose()),
});

export const minimumReasonLength = 10;

export async function requestEmergencyAccess(transport: FhirTransport, request: EmergencyAccessRequest): Promise<EmergencyAccessGrant> {
  if (request.reason.trim().length < minimumReasonLength) throw new EmergencyAccessRefused(400);
  const response = await exchange(
    transport,
    {
      method: 'POST',
      target: 'Patient/$break-the-glass',
      headers: { 'content-type': 'application/fhir+json' },
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'identifier', valueIdentifier: request.identifier },
          { name: 'reason', valueString: request.reason.trim() },
        ],
      },
    },
    [200, 400, 403, 404],
  );
  if (response.status !== 200) throw new EmergencyAccessRefused(response.status);
  const parsed = grantSchema.safeParse(response.body);
  const patient = parsed.success ? parsed.data.parameter.find((p) => p.name === 'patient')?.valueReference?.reference : undefined;
  const expires = parsed.success ? parsed.data.parameter.find((p) => p.name === 'expires')?.valueInstant : undefined;
  if (patient === undefined || !patient.startsWith('Patient/') || expires === undefined) throw new SyncStop('MALFORMED_RESPONSE');
  return { patient, expires };
}
