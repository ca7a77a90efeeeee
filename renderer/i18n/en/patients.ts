import type { Messages } from '../fr';

export const patientsEn: Pick<Messages, 'patients'> = {
  patients: {
    deceased: 'Deceased',
    title: 'Patient list',
    search: 'Find a patient',
    searchHint: 'Name, identifier (NHS number, hospital number…) or date of birth (12/03/1950). Accents and capitals are ignored.',
    filters: 'Filters',
    filterUpcoming: 'Appointment in the next {{days}} days',
    filterRecent: 'Changed in the last {{days}} days',
    count: '{{shown}} of {{total}} patients shown',
    loading: 'Loading the patient list…',
    loadFailed: 'The patient list could not be read. Lock and unlock Relais; if it happens again, tell your IT department.',
    empty: 'No patient is stored on this computer yet.',
    noMatch: 'No patient matches this search.',
    listLabel: 'Patients found',
    unnamed: 'Unnamed patient',
    born: 'born {{date}}',
    appointment: 'Appt {{when}}',
    pending: 'Unsent entries',
    conflict: 'Conflict to review',
    ageYears: '{{years}} y',
    ageMonths: '{{months}} mo',
    ageUnknown: 'age unknown',
    sex: {
      female: 'Female',
      male: 'Male',
      other: 'Other',
      unknown: 'Sex unknown',
    },
  },
};
