import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictRecord } from '../../../shared/sync/ports';
import type { ConflictChoice } from '../../db/conflicts';
import { criticalityKey, statusKey } from '../chart/chart-labels';
import { resourceTypeKey } from '../chart/resource-labels';
import { timelineText } from '../chart/clinical-items';
import { conflictRows, initialChoices, mergedResource, undecided, type Choices, type Side } from './conflict-fields';
import { describeValue } from './conflict-values';
import { fieldKey } from './field-labels';

/**
 * One conflict: both versions side by side, field by field, and the three ways out — keep mine,
 * take the HIE's, or merge with a choice per field. The merge button stays disabled until every
 * field both sides changed has a choice.
 */
const severityKey = { mild: 'charting.allergy.severity.mild', moderate: 'charting.allergy.severity.moderate', severe: 'charting.allergy.severity.severe' } as const;

export function ConflictCard(props: Readonly<{ conflict: ConflictRecord; patientName: string; busy: boolean; onResolve(choice: ConflictChoice): void }>) {
  const { t } = useTranslation();
  const { conflict } = props;
  const rows = useMemo(() => conflictRows(conflict), [conflict]);
  const [choices, setChoices] = useState<Choices>(() => initialChoices(rows));
  const titleId = useId();
  const words = {
    absent: t('conflicts.absent'),
    yes: t('conflicts.yes'),
    no: t('conflicts.no'),
    code: (code: string): string | null => {
      const key = code in criticalityKey ? criticalityKey[code as keyof typeof criticalityKey] : code in severityKey ? severityKey[code as keyof typeof severityKey] : statusKey(code);
      return key === null ? null : t(key);
    },
  };
  const missing = undecided(rows, choices);
  const subject = timelineText(conflict.local) || t(resourceTypeKey(conflict.local.resourceType));
  const choose = (field: string, side: Side): void => setChoices({ ...choices, [field]: side });
  return (
    <section className="conflict card" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {t(resourceTypeKey(conflict.local.resourceType))} — {subject}
      </h2>
      <p>{t('conflicts.patient', { name: props.patientName })}</p>
      {conflict.remote === null ? (
        <p className="notice">{t('conflicts.deletedOnHie')}</p>
      ) : (
        <table className="data-table conflict__table">
          <caption>{t('conflicts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conflicts.field.label')}</th>
              <th scope="col">{t('conflicts.mine')}</th>
              <th scope="col">{t('conflicts.theirs')}</th>
              <th scope="col">{t('conflicts.keep')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const key = fieldKey(row.field);
              const label = key === null ? row.field : t(key);
              const choice = choices[row.field] ?? null;
              return (
                <tr key={row.field} className={row.clash ? 'conflict__clash' : undefined}>
                  <th scope="row">
                    {label}
                    {row.clash && <span className="tag tag--danger">{t('conflicts.bothChanged')}</span>}
                  </th>
                  <td className={choice === 'local' ? 'conflict__chosen' : undefined}>{describeValue(row.local, words)}</td>
                  <td className={choice === 'remote' ? 'conflict__chosen' : undefined}>{describeValue(row.remote, words)}</td>
                  <td>
                    <fieldset className="conflict__choice">
                      <legend className="visually-hidden">{t('conflicts.keepFor', { field: label })}</legend>
                      <label>
                        <input type="radio" name={`${conflict.id}-${row.field}`} checked={choice === 'local'} onChange={() => choose(row.field, 'local')} />
                        {t('conflicts.chooseMine')}
                      </label>
                      <label>
                        <input type="radio" name={`${conflict.id}-${row.field}`} checked={choice === 'remote'} onChange={() => choose(row.field, 'remote')} />
                        {t('conflicts.chooseTheirs')}
                      </label>
                    </fieldset>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="conflict__actions">
        <button type="button" className="button" disabled={props.busy} onClick={() => props.onResolve({ keep: 'local' })}>
          {t('conflicts.keepMine')}
        </button>
        <button type="button" className="button" disabled={props.busy} onClick={() => props.onResolve({ keep: 'remote' })}>
          {t('conflicts.takeTheirs')}
        </button>
        {conflict.remote !== null && (
          <button
            type="button"
            className="button button--primary"
            disabled={props.busy || missing.length > 0}
            aria-describedby={missing.length > 0 ? `${titleId}-missing` : undefined}
            onClick={() => props.onResolve({ merged: mergedResource(conflict, rows, choices) })}
          >
            {t('conflicts.applyMerge')}
          </button>
        )}
      </div>
      {conflict.remote !== null && missing.length > 0 && (
        <p className="hint" id={`${titleId}-missing`}>
          {t('conflicts.chooseEach', { n: missing.length })}
        </p>
      )}
    </section>
  );
}
