import { z } from 'zod';

/**
 * The shapes of Relais' medication knowledge (issue 13): the dictionary of ingredients and the
 * interaction and allergy knowledge, each a versioned JSON file under shared/medication/data/
 * that names its sources. Loaded and checked once by shared/medication/knowledge.ts.
 */

const text = z.string().trim().min(1);
/** A sentence or name in both languages of the app. */
export const bilingualSchema = z.strictObject({ en: text, fr: text });
export type Bilingual = z.infer<typeof bilingualSchema>;

export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: text,
  url: z.string().url().optional(),
  /** Edition or date consulted. */
  version: text.optional(),
});
export type Source = z.infer<typeof sourceSchema>;

/** Dose forms the order form offers (labels in i18n: medication.form.<id>). */
export const doseForms = [
  'tablet', 'capsule', 'orodispersible-tablet', 'effervescent-tablet', 'oral-liquid', 'oral-powder', 'oral-drops',
  'injection', 'inhaler', 'nebuliser-solution', 'nasal-spray', 'eye-drops', 'ear-drops',
  'cream', 'ointment', 'gel', 'lotion', 'transdermal-patch', 'suppository', 'vaginal', 'sublingual-tablet', 'sublingual-spray',
] as const;
export type DoseForm = (typeof doseForms)[number];

/** Routes, each with its SNOMED CT code (FHIR's route-codes value set). */
export const routes = {
  oral: '26643006',
  sublingual: '37839007',
  intravenous: '47625008',
  intramuscular: '78421000',
  subcutaneous: '34206005',
  inhalation: '447694001',
  nasal: '46713006',
  ophthalmic: '54485002',
  otic: '10547007',
  cutaneous: '448598008',
  transdermal: '45890007',
  rectal: '37161004',
  vaginal: '16857009',
} as const;
export type Route = keyof typeof routes;
/** Routes where a medicine stays where it is applied (skin, eye, ear): it meets allergies, not the systemic interaction rules. */
export const localRoutes: readonly Route[] = ['cutaneous', 'ophthalmic', 'otic'];
/** SNOMED CT "topical route", which senders use for the skin as often as "cutaneous route". */
export const topicalRouteCode = '6064005';
const routeSchema = z.enum(Object.keys(routes) as [Route, ...Route[]]);

/** Units of strength and dose (UCUM codes in unitsUcum). */
export const strengthUnits = ['mg', 'g', 'mcg', 'IU', 'U', 'mmol', 'mg/mL', 'mcg/mL', 'IU/mL', 'U/mL', 'mg/g', '%', 'mcg/dose', 'mg/dose', 'mcg/h', 'mg/24 h'] as const;
export type StrengthUnit = (typeof strengthUnits)[number];
export const massUnits = ['mg', 'g', 'mcg', 'IU', 'U', 'mmol'] as const;
export type MassUnit = (typeof massUnits)[number];

export const strengthSchema = z.strictObject({ value: z.number().positive(), unit: z.enum(strengthUnits) });
export type Strength = z.infer<typeof strengthSchema>;

export const formSchema = z.strictObject({
  form: z.enum(doseForms),
  route: routeSchema,
  strengths: z.array(strengthSchema).min(1),
});

export const ingredientSchema = z.strictObject({
  /** Stable id, lower-case English INN in kebab case ("amoxicillin", "insulin-glargine"). */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  /**
   * RxNorm RXCUI of the ingredient (TTY IN); null for an ingredient RxNorm does not hold (one not
   * marketed in the US, e.g. fluindione): such an order is coded in ATC alone and matched by ATC or name.
   */
  rxnorm: z.string().regex(/^[1-9][0-9]{1,7}$/).nullable(),
  /** WHO ATC code(s), level 5, the first the main one. */
  atc: z.array(z.string().regex(/^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$/)).min(1),
  name: bilingualSchema,
  /** Common brand names and other names (salts, older names) a clinician may type, per language. */
  brands: z.strictObject({ en: z.array(text), fr: z.array(text) }),
  synonyms: z.array(text).optional(),
  forms: z.array(formSchema).min(1),
  /**
   * Taken once a week by mouth (low-dose methotrexate): any other frequency is a dosing error, and
   * `maxDailyDose` is then the maximum for that one weekly dose.
   */
  schedule: z.literal('weekly').optional(),
  /** The usual adult maximum per day for the main systemic route, in a mass unit; null when not meaningful (topicals, inhalers as needed…). */
  maxDailyDose: z.strictObject({ value: z.number().positive(), unit: z.enum(massUnits), route: routeSchema }).nullable(),
  sources: z.array(z.string()).min(1),
  /**
   * A combination product (co-amoxiclav, co-trimoxazole, Entresto…): the ids of the ingredients it
   * holds. Searched and coded as one entry (its combination ATC code, its brands); checked as each
   * of its ingredients, so an Augmentin order meets a penicillin allergy.
   */
  components: z.array(z.string()).min(1).optional(),
});
export type Ingredient = z.infer<typeof ingredientSchema>;

export const dictionarySchema = z.strictObject({
  version: text,
  description: text,
  sources: z.array(sourceSchema).min(1),
  ingredients: z.array(ingredientSchema).min(1),
});
export type DictionaryData = z.infer<typeof dictionarySchema>;

/** An operand of an interaction: one ingredient, or a class defined by its member ingredients. */
const operandSchema = z.string().regex(/^(ingredient|class):[a-z0-9]+(-[a-z0-9]+)*$/);

export const severities = ['contraindicated', 'serious', 'caution'] as const;
export type Severity = (typeof severities)[number];

export const drugClassSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: bilingualSchema,
  /** Member ingredient ids (each in the dictionary). */
  members: z.array(z.string()).min(1),
  source: z.string(),
  note: text.optional(),
});
export type DrugClass = z.infer<typeof drugClassSchema>;

export const interactionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  a: operandSchema,
  b: operandSchema,
  severity: z.enum(severities),
  /** What happens to the patient. */
  effect: bilingualSchema,
  mechanism: bilingualSchema,
  /** What to do. */
  management: bilingualSchema,
  sources: z.array(z.string()).min(1),
});
export type InteractionData = z.infer<typeof interactionSchema>;

/** An allergy group: an allergy to one member (or to the group) is an allergy to all; crossReactive names groups with a documented lower risk. */
export const allergyGroupSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: bilingualSchema,
  members: z.array(z.string()).min(1),
  /** SNOMED CT substance code of the group, when an allergy record may name the group itself (e.g. "Penicillin"). */
  snomed: z.array(z.string().regex(/^[1-9][0-9]{5,17}$/)).optional(),
  crossReactive: z.array(z.strictObject({ group: z.string(), severity: z.enum(severities), note: bilingualSchema })),
  sources: z.array(z.string()).min(1),
});
export type AllergyGroup = z.infer<typeof allergyGroupSchema>;

export const interactionKnowledgeSchema = z.strictObject({
  version: text,
  description: text,
  sources: z.array(sourceSchema).min(1),
  classes: z.array(drugClassSchema),
  interactions: z.array(interactionSchema).min(1),
  allergyGroups: z.array(allergyGroupSchema),
});
export type InteractionKnowledge = z.infer<typeof interactionKnowledgeSchema>;

/** Non-drug allergens for the allergy form (foods, environment, venoms), coded in SNOMED CT. */
export const allergenSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  snomed: z.string().regex(/^[1-9][0-9]{5,17}$/),
  category: z.enum(['food', 'environment', 'biologic']),
  name: bilingualSchema,
  synonyms: z.array(text).optional(),
});
export const allergensSchema = z.strictObject({
  version: text,
  sources: z.array(sourceSchema).min(1),
  allergens: z.array(allergenSchema).min(1),
});
