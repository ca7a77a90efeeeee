/** Medication checks: the order-time alerts and the chart's medication review (issue 13). */
export const medicationFr = {
  medication: {
    severity: {
      contraindicated: 'Contre-indication',
      serious: 'Association déconseillée',
      caution: 'Précaution',
    },
    kind: {
      interaction: 'Interaction :',
      duplication: 'Doublon thérapeutique :',
      allergy: 'Allergie :',
      crossReactivity: 'Allergie croisée possible :',
    },
    mechanism: 'Mécanisme :',
    management: 'Conduite à tenir :',
    overriddenOn: 'Prescrit malgré l’alerte le {{date}} :',
    overridden: 'Prescrit malgré l’alerte :',
    acknowledged: 'Alerte lue ; prescription maintenue.',
    review: {
      gonePast_one: '{{count}} déjà passée outre', gonePast_other: '{{count}} déjà passées outre',
      gonePastLabel: 'Alertes déjà passées outre',
      label: 'Revue des traitements en cours',
      summary_one: 'Revue des traitements : {{count}} alerte',
      summary_other: 'Revue des traitements : {{count}} alertes',
      urgent_one: '{{count}} à revoir en priorité',
      urgent_other: '{{count}} à revoir en priorité',
    },
    order: {
      label: 'Alertes de la prescription',
      cautions: 'Précautions pour cette prescription',
      blocked_one: 'Prescription bloquée : {{count}} alerte à examiner',
      blocked_other: 'Prescription bloquée : {{count}} alertes à examiner',
      warned_one: 'Avant d’enregistrer : {{count}} alerte',
      warned_other: 'Avant d’enregistrer : {{count}} alertes',
      reasonRequired: 'Motif pour prescrire malgré la contre-indication (obligatoire)',
      reasonOptional: 'Motif pour prescrire malgré l’alerte (facultatif)',
      reasonMissing: 'Une contre-indication ne peut être passée outre qu’avec un motif.',
      cancel: 'Annuler la prescription',
      override: 'Prescrire malgré l’alerte',
    },
  },
} as const;
