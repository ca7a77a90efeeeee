import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { formatWhen } from '../../i18n/format';
import type { ImportRecord } from './import-records';

/** Each imported record's ref → the import it came from (chart-model.ts, `origins`), for every section's items. */
export const OriginsContext = createContext<ReadonlyMap<string, ImportRecord>>(new Map());

/** "Imported from «file» by Dr X on 4 Dec 2026": beside every record a Provenance names. */
export function OriginNote({ target }: Readonly<{ target: string }>) {
  const { t, i18n } = useTranslation();
  const record = useContext(OriginsContext).get(target);
  if (record === undefined) return null;
  const language: Language = i18n.language === 'en' ? 'en' : 'fr';
  return (
    <p className="hint origin-note" data-origin={record.ref}>
      {t(record.kind === 'import' ? 'chart.origin.imported' : 'chart.origin.recorded', { source: record.source || t('chart.origin.unnamed'), who: record.who || t('chart.origin.someone'), date: record.when === null ? '' : formatWhen(record.when, language, true) })}
    </p>
  );
}
