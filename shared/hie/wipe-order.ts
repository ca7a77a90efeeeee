/**
 * The HIE's order to erase this laptop's replica, sent when it revokes the user or the device:
 * a 401/403 whose OperationOutcome carries this coding in an issue's details. Relais then
 * crypto-shreds (device secret and wrapped keys first, then the files). Local edits not yet sent
 * are lost with it: the HIE has refused this user or device, so they could not be delivered.
 */
export const wipeOrderCoding = { system: 'https://relais.example.org/fhir/CodeSystem/relais-security', code: 'wipe' } as const;

export function isWipeOrder(status: number, body: unknown): boolean {
  if (status !== 401 && status !== 403) return false;
  if (typeof body !== 'object' || body === null || (body as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return false;
  const issues = (body as { issue?: unknown }).issue;
  if (!Array.isArray(issues)) return false;
  return issues.some((issue: unknown) => {
    const coding = (issue as { details?: { coding?: unknown } } | null)?.details?.coding;
    return Array.isArray(coding) && coding.some((c: unknown) => {
      const { system, code } = (c ?? {}) as { system?: unknown; code?: unknown };
      return system === wipeOrderCoding.system && code === wipeOrderCoding.code;
    });
  });
}
