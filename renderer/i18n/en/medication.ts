import type { Messages } from '../fr';

export const medicationEn: Pick<Messages, 'medication'> = {
  medication: {
    severity: {
      contraindicated: 'Contraindicated',
      serious: 'Serious: avoid',
      caution: 'Caution',
    },
    kind: {
      interaction: 'Interaction:',
      duplication: 'Therapeutic duplication:',
      allergy: 'Allergy:',
      crossReactivity: 'Possible cross-allergy:',
    },
    mechanism: 'Mechanism:',
    management: 'What to do:',
    overriddenOn: 'Prescribed despite the alert on {{date}}:',
    overridden: 'Prescribed despite the alert:',
    acknowledged: 'Alert read; order kept.',
    review: {
      gonePast_one: '{{count}} already gone past', gonePast_other: '{{count}} already gone past',
      gonePastLabel: 'Alerts already gone past',
      label: 'Review of the current medications',
      summary_one: 'Medication review: {{count}} alert',
      summary_other: 'Medication review: {{count}} alerts',
      urgent_one: '{{count}} to review first',
      urgent_other: '{{count}} to review first',
    },
    order: {
      label: 'Alerts for this order',
      cautions: 'Cautions for this order',
      blocked_one: 'Order blocked: {{count}} alert to examine',
      blocked_other: 'Order blocked: {{count}} alerts to examine',
      warned_one: 'Before saving: {{count}} alert',
      warned_other: 'Before saving: {{count}} alerts',
      reasonRequired: 'Reason for prescribing despite the contraindication (required)',
      reasonOptional: 'Reason for prescribing despite the alert (optional)',
      reasonMissing: 'A contraindication can be overridden only with a reason.',
      cancel: 'Cancel the order',
      override: 'Prescribe despite the alert',
    },
  },
};
