/**
 * Names, places and the demo practitioners. French-first (accented names on purpose: the client
 * must sort, search and display them right), with an English share.
 */
export type Locale = 'fr' | 'en';
export type Gender = 'female' | 'male';

export const givenNames: Readonly<Record<Locale, Readonly<Record<Gender, readonly string[]>>>> = {
  fr: {
    female: [
      'Hélène', 'Noémie', 'Bérénice', 'Zoé', 'Gaëlle', 'Anaïs', 'Cécile', 'Élodie', 'Thérèse', 'Léa',
      'Chloé', 'Inès', 'Valérie', 'Amélie', 'Agnès', 'Françoise', 'Maëlys', 'Geneviève', 'Solène', 'Clémence',
      'Manon', 'Camille', 'Juliette', 'Louise', 'Margaux', 'Sophie', 'Marie', 'Jeanne', 'Brigitte', 'Nathalie',
    ],
    male: [
      'François', 'Jérôme', 'Loïc', 'Maël', 'Joël', 'Stéphane', 'Frédéric', 'Sébastien', 'Mathéo', 'Clément',
      'René', 'André', 'Benoît', 'Raphaël', 'Jérémie', 'Hervé', 'Gaël', 'Noël', 'Théo', 'Aurélien',
      'Lucas', 'Hugo', 'Louis', 'Nicolas', 'Pierre', 'Julien', 'Thomas', 'Antoine', 'Philippe', 'Michel',
    ],
  },
  en: {
    female: [
      'Olivia', 'Amelia', 'Emily', 'Isla', 'Ava', 'Jessica', 'Sophie', 'Grace', 'Margaret', 'Elizabeth',
      'Alice', 'Eleanor', 'Mary-Jane', 'Zoë', 'Siobhan', 'Niamh', 'Charlotte', 'Ruth',
    ],
    male: [
      'Oliver', 'George', 'Harry', 'Jack', 'Jacob', 'Charlie', 'Thomas', 'James', 'William', 'Arthur',
      'Henry', 'Edward', 'Rhys', 'Seán', 'Callum', 'David',
    ],
  },
};

export const familyNames: Readonly<Record<Locale, readonly string[]>> = {
  fr: [
    'Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Leroy', 'Roux',
    'Fournier', 'Girard', 'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Mercier', 'Guérin', 'Boyer',
    'Garnier', 'Chevalier', 'Gauthier', 'Perrin', 'Clément', 'Ménard', 'Lévêque', 'Prévost', 'Rémy', 'Barthélemy',
    'Étienne', 'Noël', 'Bénard', 'Maréchal', 'Carré', 'Hélias', 'Le Gall', 'Le Goff', 'Da Silva', 'N’Diaye',
    'Benali', 'Nguyen', 'Lemaître', 'Pâris', 'Lacroix', 'Renaud', 'Fabre', 'Giraud', 'Müller', 'Schmitt',
  ],
  en: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Taylor', 'Davies', 'Evans', 'Wilson', 'Thomas',
    'Roberts', 'Walker', 'Wright', 'Thompson', 'White', 'Hughes', 'Edwards', "O'Brien", "O'Connor", 'McDonald',
    'Clarke', 'Patel', 'Khan', 'Murphy',
  ],
};

export type City = Readonly<{ name: string; postalCode: string; department: string; country: 'FR' | 'GB' }>;

export const cities: Readonly<Record<Locale, readonly City[]>> = {
  fr: [
    { name: 'Paris', postalCode: '75011', department: '75', country: 'FR' },
    { name: 'Lyon', postalCode: '69003', department: '69', country: 'FR' },
    { name: 'Marseille', postalCode: '13005', department: '13', country: 'FR' },
    { name: 'Toulouse', postalCode: '31000', department: '31', country: 'FR' },
    { name: 'Bordeaux', postalCode: '33000', department: '33', country: 'FR' },
    { name: 'Nantes', postalCode: '44000', department: '44', country: 'FR' },
    { name: 'Saint-Étienne', postalCode: '42000', department: '42', country: 'FR' },
    { name: 'Besançon', postalCode: '25000', department: '25', country: 'FR' },
    { name: 'Orléans', postalCode: '45000', department: '45', country: 'FR' },
    { name: 'Périgueux', postalCode: '24000', department: '24', country: 'FR' },
    { name: 'Béziers', postalCode: '34500', department: '34', country: 'FR' },
    { name: 'Aurillac', postalCode: '15000', department: '15', country: 'FR' },
    { name: 'Mende', postalCode: '48000', department: '48', country: 'FR' },
    { name: 'Guéret', postalCode: '23000', department: '23', country: 'FR' },
  ],
  en: [
    { name: 'London', postalCode: 'N1 9GU', department: '', country: 'GB' },
    { name: 'Manchester', postalCode: 'M1 1AE', department: '', country: 'GB' },
    { name: 'Leeds', postalCode: 'LS1 4DY', department: '', country: 'GB' },
    { name: 'Bristol', postalCode: 'BS1 5TR', department: '', country: 'GB' },
    { name: 'Inverness', postalCode: 'IV1 1HY', department: '', country: 'GB' },
  ],
};

export const streets: Readonly<Record<Locale, readonly string[]>> = {
  fr: [
    'rue des Lilas', 'avenue Jean-Jaurès', 'rue de la République', 'chemin des Écoliers', 'place de l’Église',
    'boulevard Gambetta', 'rue Émile-Zola', 'impasse des Châtaigniers', 'route de la Forêt', 'allée des Tilleuls',
  ],
  en: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Mill Lane', 'Queen’s Road'],
};

export type PractitionerProfile = Readonly<{
  given: string;
  family: string;
  gender: Gender;
  locale: Locale;
  username: string;
}>;

/**
 * The demo logins. Fixed (not seeded) so docs/SANDBOX.md can list them; beyond eight,
 * practitioners are named from the lists above.
 */
export const demoPractitioners: readonly PractitionerProfile[] = [
  { given: 'Claire', family: 'Martin', gender: 'female', locale: 'fr', username: 'cmartin' },
  { given: 'Julien', family: 'Moreau', gender: 'male', locale: 'fr', username: 'jmoreau' },
  { given: 'Sarah', family: 'Thompson', gender: 'female', locale: 'en', username: 'sthompson' },
  { given: 'Hélène', family: 'Dubois', gender: 'female', locale: 'fr', username: 'hdubois' },
  { given: 'Karim', family: 'Benali', gender: 'male', locale: 'fr', username: 'kbenali' },
  { given: 'Emily', family: 'Clarke', gender: 'female', locale: 'en', username: 'eclarke' },
  { given: 'François', family: 'Lefèvre', gender: 'male', locale: 'fr', username: 'flefevre' },
  { given: 'Noémie', family: 'Garnier', gender: 'female', locale: 'fr', username: 'ngarnier' },
];

/** Demo-only passwords, printed at start and listed in docs/SANDBOX.md. */
export function demoPassword(username: string): string {
  return `demo-${username}`;
}
