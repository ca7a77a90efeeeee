import { useTranslation } from 'react-i18next';
import { criticalityKey } from './chart-labels';
import { isActiveAllergy } from './chart-model';
import type { AllergyItem } from './clinical-items';
import { SyncBadge } from './SyncBadge';

/**
 * Always on screen while a chart is open (it sticks to the top as the chart scrolls): the active
 * allergies, high criticality first. "None recorded" is said as such, never as "no allergy".
 */
export function AllergyBanner({ allergies }: Readonly<{ allergies: readonly AllergyItem[] }>) {
  const { t } = useTranslation();
  const active = allergies.filter(isActiveAllergy).sort((a, b) => Number(b.criticality === 'high') - Number(a.criticality === 'high'));
  return (
    <section className={`allergy-banner${active.length > 0 ? ' allergy-banner--alert' : ''}`} aria-label={t('chart.allergyBanner.label')}>
      <strong className="allergy-banner__title">{t('chart.allergyBanner.title')}</strong>
      {active.length === 0 ? (
        <span>{t('chart.allergyBanner.none')}</span>
      ) : (
        <ul className="allergy-banner__list">
          {active.map((a) => (
            <li key={a.ref}>
              <span className="allergy-banner__substance">{a.substance || t('chart.allergy.unnamed')}</span>
              {a.criticality !== null && <span className={`tag ${a.criticality === 'high' ? 'tag--danger' : 'tag--info'}`}>{t(criticalityKey[a.criticality])}</span>}
              {a.reactions.length > 0 && <span className="allergy-banner__reaction">{a.reactions.join(', ')}</span>}
              <SyncBadge state={a.syncState} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
