import type { DetectedIssue } from '@medplum/fhirtypes';
import { describeAlert, type Alert } from './checks';
import type { Language } from './dictionary';
import type { Severity } from './knowledge-schema';

/**
 * An overridden alert as a FHIR `DetectedIssue` (issue 13 item 6): what was detected (code,
 * severity, the implicated order and the patient's medication or allergy), who decided, when, and
 * the reason given as the mitigation. It syncs to the HIE with the order.
 */
const actCode = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

const codeOf: Readonly<Record<Alert['kind'], Readonly<{ code: string; display: string }>>> = {
  interaction: { code: 'DRG', display: 'Drug Interaction Alert' },
  duplication: { code: 'DUPTHPY', display: 'Duplicate Therapy Alert' },
  allergy: { code: 'ALGY', display: 'Allergy Alert' },
  'cross-reactivity': { code: 'ALGY', display: 'Allergy Alert' },
};

export const issueSeverity: Readonly<Record<Severity, 'high' | 'moderate' | 'low'>> = { contraindicated: 'high', serious: 'moderate', caution: 'low' };

/** The references an alert implicates: the order, then the patient's medication or allergy it was checked against. */
export function implicatedBy(alert: Alert): string[] {
  const keys = alert.kind === 'interaction' || alert.kind === 'duplication' ? [alert.first.key, alert.second.key] : [alert.medication.key, alert.allergy.key];
  return keys.filter((key) => /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(key));
}

export function detectedIssueFor(
  alert: Alert,
  decision: Readonly<{ reason: string; language: Language }>,
  context: Readonly<{ id: string; patient: string; practitioner: string; now: string }>,
) {
  const described = describeAlert(alert, decision.language);
  const detail = [described.title, described.effect].filter((s): s is string => s !== null && s !== '').join(' — ');
  return {
    resourceType: 'DetectedIssue' as const,
    id: context.id,
    status: 'final',
    code: { coding: [{ system: actCode, ...codeOf[alert.kind] }] },
    severity: issueSeverity[alert.severity],
    patient: { reference: context.patient },
    identifiedDateTime: context.now,
    author: { reference: context.practitioner },
    implicated: implicatedBy(alert).map((reference) => ({ reference })),
    detail,
    mitigation: [
      {
        action: { coding: [{ system: actCode, code: '1', display: 'Therapy Appropriate' }], text: decision.reason.trim() },
        date: context.now,
        author: { reference: context.practitioner },
      },
    ],
  } satisfies DetectedIssue;
}
