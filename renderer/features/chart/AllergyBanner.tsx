import { useTranslation } from 'react-i18next';
import { NoneRecorded } from './ChartBits';
import { criticalityKey, severityKey } from './chart-labels';
import { isActiveAllergy } from './chart-model';
import type { AllergyItem } from './clinical-items';
import { SyncBadge } from './SyncBadge';

/**
 * Always on screen while a chart is open (it sticks to the top as the chart scrolls): the active
 * allergies, a severe reaction or a high criticality first. R4 puts severity on each reaction: a
 * severe anaphylaxis shows as such even when the allergy's criticality is low. "None recorded"
 * is said only when the record holds no allergy at all.
 */
const rank = (a: AllergyItem): number => (a.severity === 'severe' ? 2 : 0) + (a.criticality === 'high' ? 1 : 0);

export function AllergyBanner({ allergies }: Readonly<{ allergies: readonly AllergyItem[] }>) {
  const { t } = useTranslation();
  const active = allergies.filter((a) => isActiveAllergy(a) && a.verification !== 'refuted' && a.verification !== 'entered-in-error').sort((a, b) => rank(b) - rank(a));
  return (
    <section className={`allergy-banner${active.length > 0 ? ' allergy-banner--alert' : ''}`} aria-label={t('chart.allergyBanner.label')}>
      <strong className="allergy-banner__title">{t('chart.allergyBanner.title')}</strong>
      {allergies.length === 0 ? (
        <NoneRecorded kind="allergies">{t('chart.allergyBanner.none')}</NoneRecorded>
      ) : active.length === 0 ? (
        <span>{t('chart.allergyBanner.noneActive', { count: allergies.length })}</span>
      ) : (
        <ul className="allergy-banner__list">
          {active.map((a) => (
            <li key={a.ref}>
              <span className="allergy-banner__substance">{a.substance || t('chart.allergy.unnamed')}</span>
              {a.severity !== null && <span className={`tag ${a.severity === 'severe' ? 'tag--danger' : 'tag--info'}`}>{t('chart.allergy.reactionSeverity', { severity: t(severityKey[a.severity]) })}</span>}
              {a.criticality !== null && <span className={`tag ${a.criticality === 'high' ? 'tag--danger' : 'tag--info'}`}>{t('chart.allergy.criticalityShort', { criticality: t(criticalityKey[a.criticality]) })}</span>}
              {a.reactions.length > 0 && <span className="allergy-banner__reaction">{a.reactions.join(', ')}</span>}
              <SyncBadge state={a.syncState} itemRef={a.ref} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
