import { useTranslation } from 'react-i18next';
import type { SyncState } from '../../../shared/sync/ports';
import { SourceTags } from './SourceTags';

/**
 * A chart item that the HIE does not have yet, or that is in conflict; nothing for synced items.
 * With `itemRef`, also where it comes from when the chart joins several sources (SourceTags).
 */
export function SyncBadge({ state, itemRef }: Readonly<{ state: SyncState; itemRef?: string }>) {
  return (
    <>
      <StateTag state={state} />
      {itemRef !== undefined && <SourceTags itemRef={itemRef} />}
    </>
  );
}

function StateTag({ state }: Readonly<{ state: SyncState }>) {
  const { t } = useTranslation();
  switch (state) {
    case 'synced':
      return null;
    case 'pending':
      return <span className="tag tag--pending">{t('chart.pending')}</span>;
    case 'conflict':
      return <span className="tag tag--danger">{t('chart.conflict')}</span>;
    default:
      return null;
  }
}

/** A status code in words (or as sent when unknown). */
export function StatusText({ code, labelKey }: Readonly<{ code: string | null; labelKey: string | null }>) {
  const { t } = useTranslation();
  if (code === null) return null;
  return <span className="status">{labelKey !== null ? t(labelKey) : code}</span>;
}
