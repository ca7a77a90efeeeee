import { accessEn } from './en/access';
import { chartEn } from './en/chart';
import { chartingEn } from './en/charting';
import { conflictsEn } from './en/conflicts';
import { coordinationEn } from './en/coordination';
import { exchangeEn } from './en/exchange';
import { installEn } from './en/install';
import { medicationEn } from './en/medication';
import { patientsEn } from './en/patients';
import { shellEn } from './en/shell';
import { syncEn } from './en/sync';
import type { Messages } from './fr';

export const en: Messages = {
  ...shellEn,
  ...syncEn,
  ...patientsEn,
  ...chartEn,
  ...chartingEn,
  ...conflictsEn,
  ...coordinationEn,
  ...medicationEn,
  ...accessEn,
  ...exchangeEn,
  ...installEn,
};
