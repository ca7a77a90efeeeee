import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictRecord } from '../../../shared/sync/ports';
import { useReplicaRevision, useWorkspace } from '../../app/workspace-context';
import type { ConflictChoice } from '../../db/conflicts';
import { identityOf } from '../../../shared/clinical/patient-identity';
import { ConflictCard } from './ConflictCard';

/**
 * Every conflict the HIE and this device could not merge safely, oldest first. Nothing here is
 * decided without the clinician; once decided, the result is pushed at once.
 */
export function ConflictReview() {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const [conflicts, setConflicts] = useState<readonly ConflictRecord[] | null>(null);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<'resolved' | 'failed' | null>(null);

  useEffect(() => {
    let current = true;
    void (async () => {
      try {
        const open = await workspace.replica.listConflicts();
        const patients = new Map<string, string>();
        for (const ref of new Set(open.map((c) => c.patient).filter((p): p is string => p !== null))) {
          const entry = await workspace.replica.getResource(ref);
          if (entry?.resource) patients.set(ref, identityOf(entry.resource).fullName);
        }
        if (!current) return;
        setConflicts(open);
        setNames(patients);
      } catch {
        if (current) setConflicts([]);
      }
    })();
    return () => {
      current = false;
    };
  }, [workspace, revision]);

  const resolve = async (id: string, choice: ConflictChoice): Promise<void> => {
    setBusy(true);
    try {
      await workspace.resolveConflict(id, choice);
      setMessage('resolved');
    } catch {
      setMessage('failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="conflicts" aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">{t('conflicts.title')}</h1>
      <p>{t('conflicts.intro')}</p>
      {message === 'resolved' && (
        <p className="saved" role="status">
          {t('conflicts.resolved')}
        </p>
      )}
      {message === 'failed' && (
        <p className="alert" role="alert">
          {t('conflicts.failed')}
        </p>
      )}
      {conflicts === null ? (
        <p role="status">{t('conflicts.loading')}</p>
      ) : conflicts.length === 0 ? (
        <p className="notice">{t('conflicts.none')}</p>
      ) : (
        conflicts.map((conflict) => (
          <ConflictCard
            key={conflict.id}
            conflict={conflict}
            patientName={names.get(conflict.patient ?? '') ?? t('patients.unnamed')}
            busy={busy}
            onResolve={(choice) => void resolve(conflict.id, choice)}
          />
        ))
      )}
    </section>
  );
}
