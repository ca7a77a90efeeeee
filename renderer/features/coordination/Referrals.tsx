import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Referral } from '../../../shared/clinical/coordination';
import { parseWhen } from '../../../shared/fhir/fhir-when';
import { useCoordination, useCoordinationStore, useRoute, useWorkspace } from '../../app/workspace-context';
import { useAppState } from '../../app/shell-context';
import { formatWhen } from '../../i18n/format';
import { useSaveEdits } from '../charting/save-edit';
import { CoordinationPending, loadCoordination } from './coordination-store';
import { useCareContext } from './care-colleagues';
import { ColleagueForm, RecipientField } from './RecipientField';

const stateKeys: Readonly<Record<string, string>> = {
  draft: 'referrals.state.draft', requested: 'referrals.state.requested', received: 'referrals.state.received', accepted: 'referrals.state.accepted',
  rejected: 'referrals.state.rejected', ready: 'referrals.state.ready', cancelled: 'referrals.state.cancelled', 'in-progress': 'referrals.state.in-progress',
  'on-hold': 'referrals.state.on-hold', failed: 'referrals.state.failed', completed: 'referrals.state.completed', 'entered-in-error': 'referrals.state.entered-in-error',
};
export const referralStateKey = (status: string): string => stateKeys[status] ?? 'referrals.state.unknown';
const closed = new Set(['completed', 'rejected', 'cancelled', 'failed', 'entered-in-error']);

/**
 * Referrals both ways: what I sent and still waits for an answer, what I am asked (accept or
 * decline, offline), and what was answered (the answer letter lands in the chart's documents).
 * A referral is a ServiceRequest with the Task that tracks it (FHIR R4 workflow).
 */
export function Referrals() {
  const { t } = useTranslation();
  const model = useCoordination((s) => s.model);
  if (model === null) return <CoordinationPending />;
  const waiting = model.referrals.filter((r) => r.direction === 'sent' && !closed.has(r.status));
  const received = model.referrals.filter((r) => r.direction === 'received' && !closed.has(r.status));
  const answered = model.referrals.filter((r) => closed.has(r.status));
  return (
    <section className="referrals" aria-labelledby="referrals-title">
      <h1 id="referrals-title">{t('referrals.title')}</h1>
      <p>{t('referrals.intro')}</p>
      <ReferralGroup id="referrals-waiting" title={t('referrals.waiting')} items={waiting} />
      <ReferralGroup id="referrals-received" title={t('referrals.received')} items={received} canAnswer />
      <ReferralGroup id="referrals-answered" title={t('referrals.answered')} items={answered} />
    </section>
  );
}

function ReferralGroup({ id, title, items, canAnswer = false }: Readonly<{ id: string; title: string; items: readonly Referral[]; canAnswer?: boolean }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const model = useCoordination((s) => s.model);
  const go = useRoute((s) => s.go);
  const workspace = useWorkspace();
  const store = useCoordinationStore();
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const person = (ref: string | null): string => (ref === null ? t('messages.unknownPerson') : model?.people[ref] ?? t('messages.unknownPerson'));
  const patientName = (ref: string | null): string => (ref === null ? t('day.unknownPatient') : model?.patients[ref] ?? t('day.unknownPatient'));
  const answer = async (referral: Referral, status: 'accepted' | 'rejected'): Promise<void> => {
    setBusy(true);
    try {
      // The replica's copy as it is now, still waiting for an answer: only the status changes.
      const current = (await workspace.replica.getResource(referral.ref))?.resource ?? referral.task;
      if (current['status'] !== 'requested') throw new Error('the referral moved on');
      await workspace.saveEdit({ ref: referral.ref, op: 'update', resource: { ...current, status, lastModified: new Date().toISOString() }, patient: referral.patient });
      await loadCoordination(store, workspace.replica, new Date());
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {failed && <p className="alert" role="alert">{t('referrals.failed')}</p>}
      {items.length === 0 ? (
        <p className="notice">{t('referrals.none')}</p>
      ) : (
        <ul className="referral-list">
          {items.map((referral) => (
            <li key={referral.ref} data-ref={referral.ref} data-status={referral.status}>
              {referral.patient !== null ? (
                <button type="button" className="link-button" aria-label={t('referrals.openChart', { name: patientName(referral.patient) })} onClick={() => go({ screen: 'chart', patient: referral.patient as string, section: 'summary' })}>
                  {patientName(referral.patient)}
                </button>
              ) : (
                <span>{t('day.unknownPatient')}</span>
              )}
              <span>{referral.what ?? t('referrals.whatDefault')}</span>
              <span className="hint">{referral.direction === 'received' ? t('referrals.from', { name: person(referral.requester) }) : t('referrals.to', { name: person(referral.owner) })}</span>
              {referral.reason !== null && <span className="hint">{t('referrals.reason', { reason: referral.reason })}</span>}
              {referral.documents.length > 0 && <span className="hint">{t('referrals.attachedCount', { count: referral.documents.length })}</span>}
              {referral.priority === 'urgent' || referral.priority === 'asap' || referral.priority === 'stat' ? <span className="tag tag--danger">{t('referrals.urgent')}</span> : null}
              <span className={`tag ${referral.status === 'completed' ? 'tag--ok' : referral.status === 'rejected' ? 'tag--danger' : 'tag--info'}`}>{t(referralStateKey(referral.status))}</span>
              {referral.pending && <span className="tag tag--pending">{t('messages.notSent')}</span>}
              <span className="hint">{formatWhen(parseWhen(referral.lastModified ?? referral.authoredOn ?? ''), language)}</span>
              {referral.statusReason !== null && <span className="hint">{referral.statusReason}</span>}
              {referral.answer !== null && referral.patient !== null && (
                <button type="button" className="button button--small" onClick={() => go({ screen: 'chart', patient: referral.patient as string, section: 'documents' })}>
                  {t('referrals.answer')}
                </button>
              )}
              {canAnswer && referral.status === 'requested' && (
                <span className="schedule-row__actions" role="group" aria-label={t('referrals.answerFor', { name: patientName(referral.patient) })}>
                  <button type="button" className="button button--small" disabled={busy} onClick={() => void answer(referral, 'accepted')}>{t('referrals.accept')}</button>
                  <button type="button" className="button button--small" disabled={busy} onClick={() => void answer(referral, 'rejected')}>{t('referrals.decline')}</button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A new referral for the patient of the open chart: ServiceRequest + Task, saved as one group (one transaction). */
export function NewReferral({ patient }: Readonly<{ patient: string }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const store = useCoordinationStore();
  const { colleagues, documents } = useCareContext(patient);
  const saving = useSaveEdits(patient);
  const ids = useRef<{ request: string; task: string } | null>(null);
  const [attached, setAttached] = useState<readonly string[]>([]);
  const language = useAppState((s) => s.language);
  const [to, setTo] = useState('');
  const [what, setWhat] = useState('');
  const [why, setWhy] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed' | 'missing'>('idle');
  const recipient = to !== '' ? to : colleagues[0] ?? '';
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (recipient === '' || why.trim() === '') return setState('missing');
    setState('saving');
    const me = workspace.owner.practitioner;
    const now = new Date().toISOString();
    // Kept across a failed attempt: a retry writes what is missing, never a second referral (saveWrites, retryable).
    ids.current ??= { request: window.crypto.randomUUID(), task: window.crypto.randomUUID() };
    const { request: requestId, task: taskId } = ids.current;
    const priority = urgent ? 'urgent' : 'routine';
    const request = {
      resourceType: 'ServiceRequest', id: requestId, status: 'active', intent: 'order', priority,
      category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
      code: { text: what.trim() === '' ? t('referrals.whatDefault') : what.trim() }, subject: { reference: patient }, authoredOn: now,
      requester: { reference: me }, performer: [{ reference: recipient }], reasonCode: [{ text: why.trim() }],
      ...(note.trim() !== '' ? { note: [{ text: note.trim() }] } : {}),
      ...(attached.length > 0 ? { supportingInfo: attached.map((reference) => ({ reference })) } : {}),
    };
    const task = {
      resourceType: 'Task', id: taskId, status: 'requested', intent: 'order', priority,
      code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
      focus: { reference: `ServiceRequest/${requestId}` }, for: { reference: patient }, authoredOn: now, lastModified: now,
      requester: { reference: me }, owner: { reference: recipient },
    };
    try {
      const saved = await saving.save([{ op: 'create', resource: request }, { op: 'create', resource: task }], { retryable: true });
      if (!saved) throw new Error('not saved');
      ids.current = null;
      setState('saved');
      setWhat('');
      setWhy('');
      setNote('');
      setAttached([]);
      await loadCoordination(store, workspace.replica, new Date());
    } catch {
      setState('failed');
    }
  };
  return (
    <ColleagueForm
      id="new-referral-title"
      title={t('referrals.newReferral')}
      colleagues={colleagues}
      onSubmit={(e) => void submit(e)}
      status={
        <>
          {state === 'saved' && <p className="saved" role="status">{t('referrals.saved')}</p>}
          {state === 'failed' && <p className="alert" role="alert">{t('referrals.failed')}</p>}
          {state === 'missing' && <p className="alert" role="alert">{t('referrals.missing')}</p>}
        </>
      }
    >
      <RecipientField id="referral-to" colleagues={colleagues} value={recipient} onChange={setTo} />
      <div className="field">
        <label htmlFor="referral-what">{t('referrals.what')}</label>
        <input id="referral-what" value={what} placeholder={t('referrals.whatDefault')} onChange={(e) => setWhat(e.target.value)} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="referral-why">{t('referrals.why')}</label>
        <input id="referral-why" value={why} onChange={(e) => setWhy(e.target.value)} maxLength={500} />
      </div>
      <div className="field">
        <label htmlFor="referral-urgency">{t('referrals.urgency')}</label>
        <select id="referral-urgency" value={urgent ? 'urgent' : 'routine'} onChange={(e) => setUrgent(e.target.value === 'urgent')}>
          <option value="routine">{t('referrals.routine')}</option>
          <option value="urgent">{t('referrals.urgentOption')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="referral-note">{t('referrals.note')}</label>
        <textarea id="referral-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {documents.length > 0 && (
        <fieldset className="field">
          <legend>{t('referrals.documents')}</legend>
          {documents.map((doc) => (
            <label key={doc.ref} className="check">
              <input
                type="checkbox"
                checked={attached.includes(doc.ref)}
                onChange={(e) => setAttached(e.target.checked ? [...attached, doc.ref] : attached.filter((r) => r !== doc.ref))}
              />
              {doc.title}
              {doc.date !== null && <span className="hint"> — {formatWhen(parseWhen(doc.date), language, true)}</span>}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" className="button button--primary" disabled={state === 'saving'}>{t('referrals.submit')}</button>
    </ColleagueForm>
  );
}
