import { useTranslation } from 'react-i18next';
import type { SaveOutcome } from './save-edit';

/** After saving: "saved, waiting to be sent" (a status), or why it failed (an alert). */
export function SaveStatus({ outcome }: Readonly<{ outcome: SaveOutcome }>) {
  const { t } = useTranslation();
  switch (outcome.kind) {
    case 'idle':
    case 'saving':
      return null;
    case 'saved':
      return (
        <p className="saved" role="status">
          {t('charting.saved', { n: outcome.count })}
        </p>
      );
    case 'failed':
      return (
        <p className="alert" role="alert">
          {t(outcome.key)}
        </p>
      );
    default:
      return null;
  }
}
