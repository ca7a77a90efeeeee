import type { Language } from '../../../shared/ipc/contract';
import { localeOf } from '../../i18n/format';

const day = 86_400;

/** Date labels as coarse as the spacing between ticks: "2019", "mars 2019", "12/03/2019", "12/03 14:00". */
export function tickLabels(splits: readonly number[], incrementSeconds: number, language: Language): string[] {
  const options: Intl.DateTimeFormatOptions =
    incrementSeconds >= 360 * day ? { year: 'numeric' }
    : incrementSeconds >= 28 * day ? { month: 'short', year: 'numeric' }
    : incrementSeconds >= day ? { day: '2-digit', month: '2-digit', year: '2-digit' }
    : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' };
  const format = new Intl.DateTimeFormat(localeOf(language), options);
  return splits.map((s) => format.format(new Date(s * 1000)));
}

