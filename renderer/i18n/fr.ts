import { accessFr } from './fr/access';
import { chartFr } from './fr/chart';
import { chartingFr } from './fr/charting';
import { conflictsFr } from './fr/conflicts';
import { coordinationFr } from './fr/coordination';
import { exchangeFr } from './fr/exchange';
import { installFr } from './fr/install';
import { medicationFr } from './fr/medication';
import { patientsFr } from './fr/patients';
import { shellFr } from './fr/shell';
import { syncFr } from './fr/sync';

/** French, the reference language: every other catalogue must have exactly these keys. */
export const fr = {
  ...shellFr,
  ...syncFr,
  ...patientsFr,
  ...chartFr,
  ...chartingFr,
  ...conflictsFr,
  ...coordinationFr,
  ...medicationFr,
  ...accessFr,
  ...exchangeFr,
  ...installFr,
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof fr>;
