import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useAppState } from '../../app/shell-context';
import { useReplicaRevision, useWorkspace } from '../../app/workspace-context';
import { formatDateTime } from '../../i18n/format';
import { identityOf } from '../../../shared/clinical/patient-identity';
import { accessLogLimit, accessRows, actionLabelKey, outcomeLabelKey, type AccessRow } from './access-log-model';

type Loaded = Readonly<{ rows: readonly AccessRow[]; names: ReadonlyMap<string, string>; total: number }>;

/**
 * "My access log": what this clinician did on this device, newest first, and whether the HIE has
 * it yet. The trail is read whole (it is local and sealed); only the latest rows are shown.
 */
export function AccessLog() {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const [state, setState] = useState<Loaded | 'failed' | null>(null);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const [trail, pending] = await Promise.all([workspace.replica.audit.trail(), workspace.replica.audit.pending()]);
        const rows = accessRows(trail, pending);
        const names = new Map<string, string>();
        for (const ref of new Set(rows.map((r) => r.patient).filter((p): p is string => p !== null))) {
          const entry = await workspace.replica.getResource(ref);
          if (entry?.resource) names.set(ref, identityOf(entry.resource).fullName);
        }
        if (current) setState({ rows, names, total: trail.length });
      } catch {
        if (current) setState('failed');
      }
    })();
    return () => {
      current = false;
    };
  }, [workspace, revision]);

  return (
    <section className="access-log" aria-labelledby="access-log-title">
      <h1 id="access-log-title">{t('accessLog.title')}</h1>
      <p>{t('accessLog.intro')}</p>
      {state === null && <p role="status">{t('accessLog.loading')}</p>}
      {state === 'failed' && (
        <p className="alert" role="alert">
          {t('accessLog.failed')}
        </p>
      )}
      {state !== null && state !== 'failed' && state.rows.length === 0 && <p className="notice">{t('accessLog.empty')}</p>}
      {state !== null && state !== 'failed' && state.rows.length > 0 && (
        <>
          {state.total > accessLogLimit && <p className="notice">{t('accessLog.truncated', { shown: accessLogLimit, total: state.total })}</p>}
          <div className="access-log__scroller">
            <table className="access-log__table">
              <caption>{t('accessLog.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accessLog.column.when')}</th>
                  <th scope="col">{t('accessLog.column.action')}</th>
                  <th scope="col">{t('accessLog.column.patient')}</th>
                  <th scope="col">{t('accessLog.column.outcome')}</th>
                  <th scope="col">{t('accessLog.column.flags')}</th>
                  <th scope="col">{t('accessLog.column.hie')}</th>
                </tr>
              </thead>
              <tbody>
                {state.rows.map((row) => (
                  <AccessRowView key={row.seq} row={row} name={row.redacted ? undefined : row.patient === null ? null : (state.names.get(row.patient) ?? undefined)} language={language} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** `name`: null when the event names no patient, undefined when the patient is no longer here. */
function AccessRowView({ row, name, language }: Readonly<{ row: AccessRow; name: string | null | undefined; language: Language }>) {
  const { t } = useTranslation();
  return (
    <tr>
      <td>{row.recorded === null ? '' : <time dateTime={row.recorded}>{formatDateTime(row.recorded, language)}</time>}</td>
      <td>{t(actionLabelKey[row.action])}</td>
      <td>{name === null ? t('accessLog.noPatient') : name === undefined ? t('accessLog.patientGone') : name || t('patients.unnamed')}</td>
      <td>{t(outcomeLabelKey[row.outcome])}</td>
      <td>
        {row.emergencyReason !== null && <p className="tag tag--danger tag--wrap">{t('accessLog.emergencyReason', { reason: row.emergencyReason })}</p>}
        {row.underEmergency && <p className="tag tag--danger">{t('accessLog.underEmergency')}</p>}
        {row.offline && <p className="tag">{t('accessLog.offline')}</p>}
      </td>
      <td>{row.uploaded ? t('accessLog.uploaded') : t('accessLog.pending')}</td>
    </tr>
  );
}
