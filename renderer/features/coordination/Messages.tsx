import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Coordination, Thread } from '../../../shared/clinical/coordination';
import type { FhirResource } from '../../../shared/fhir/resource';
import { parseWhen } from '../../../shared/fhir/fhir-when';
import { useCoordination, useCoordinationStore, useRoute, useWorkspace } from '../../app/workspace-context';
import { useAppState } from '../../app/shell-context';
import { formatWhen } from '../../i18n/format';
import { CoordinationPending, loadCoordination, markSeen } from './coordination-store';
import { AttachmentField, SaveAttachment, type ChosenFile } from './attachments';
import { useMessageRecipients } from './care-colleagues';
import { ColleagueForm, RecipientField } from './RecipientField';
import { useUnsavedInput } from '../../app/unsaved-input';

/** Unread messages to me in a thread. */
export const unreadIn = (thread: Thread, seen: (key: string) => boolean): number => thread.messages.filter((m) => m.toMe && !seen(m.ref)).length;

function nameOf(model: Coordination, ref: string | null, me: string, you: string, unknown: string): string {
  if (ref === null) return unknown;
  if (ref === me) return you;
  return model.people[ref] ?? unknown;
}

/**
 * Secure messages: the inbox across patients (or one patient's threads, from the chart), a
 * thread with its replies, and writing offline. A message is a FHIR Communication about the
 * patient, to practitioners who may see them (the HIE refuses any other); it is saved to the
 * replica at once and sent at the next sync with the client's own id (sent twice, still one).
 */
export function Messages({ patient, thread }: Readonly<{ patient?: string; thread?: string }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const model = useCoordination((s) => s.model);
  const go = useRoute((s) => s.go);
  const workspace = useWorkspace();
  const store = useCoordinationStore();
  const me = workspace.owner.practitioner;

  const open = model?.threads.find((th) => th.id === thread) ?? null;
  // A thread, or a patient's threads, show that patient's record: the access is in the trail before anything shows, as a chart's is.
  const access = useAuditedAccess(open?.patient ?? patient ?? null);
  const unreadKeys = open === null ? '' : open.messages.filter((m) => m.toMe && model?.notifications.some((n) => n.key === m.ref)).map((m) => m.ref).join(' ');
  useEffect(() => {
    // Opening a thread reads it.
    if (unreadKeys !== '') void markSeen(store, workspace.replica, unreadKeys.split(' ')).catch(() => undefined);
  }, [unreadKeys, store, workspace]);

  if (model === null) return <CoordinationPending />;
  if (access.state === 'pending') return <p role="status">{t('day.loading')}</p>;
  if (access.state === 'failed') {
    return (
      <div className="alert" role="alert">
        <p>{t('chart.auditFailed')}</p>
        <button type="button" className="button" onClick={access.retry}>
          {t('chart.auditRetry')}
        </button>
      </div>
    );
  }
  const unread = new Set(model.notifications.filter((n) => n.kind === 'message').map((n) => n.key));
  const threads = model.threads.filter((th) => patient === undefined || th.patient === patient);
  const patientName = (ref: string | null): string => (ref === null ? t('day.unknownPatient') : model.patients[ref] ?? t('day.unknownPatient'));
  const person = (ref: string | null): string => nameOf(model, ref, me, t('messages.you'), t('messages.unknownPerson'));
  const back = () => go({ screen: 'messages', ...(patient !== undefined ? { patient } : {}) });

  if (open !== null) {
    return (
      <section className="messages" aria-labelledby="thread-title">
        <button type="button" className="button button--quiet" onClick={back}>
          {t('messages.back')}
        </button>
        <h1 id="thread-title">{open.topic ?? t('messages.noTopic')}</h1>
        {open.patient !== null && (
          <p>
            <button type="button" className="link-button" onClick={() => go({ screen: 'chart', patient: open.patient as string, section: 'summary' })}>
              {t('messages.patientLabel', { name: patientName(open.patient) })}
            </button>
          </p>
        )}
        <ol className="thread" aria-label={open.topic ?? t('messages.noTopic')} style={{ listStyle: 'none', padding: 0 }}>
          {open.messages.map((message) => (
            <li key={message.ref} className={`message${message.sender === me ? ' message--mine' : ''}`} data-ref={message.ref}>
              <p className="message__meta">
                {t('messages.from', { name: person(message.sender) })} · {t('messages.to', { names: message.recipients.map(person).join(', ') })}
                {message.sent !== null && <> · {formatWhen(parseWhen(message.sent), language)}</>}
                {message.pending && <> · <span className="tag tag--pending">{t('messages.notSent')}</span></>}
              </p>
              <p className="message__text">{message.text}</p>
              {message.attachments.map((a, i) => (
                <p key={i} className="hint">
                  {t('messages.attachment', { title: a.title ?? a.contentType ?? '—' })}{' '}
                  {a.index !== null && <SaveAttachment message={message.ref} index={a.index} title={a.title ?? 'piece-jointe'} />}
                </p>
              ))}
            </li>
          ))}
        </ol>
        <Compose
          me={me}
          patient={open.patient}
          replyTo={open.messages.at(-1)?.ref ?? open.id}
          topic={open.topic}
          recipients={[...new Set(open.participants.filter((p) => p !== me && (p.startsWith('Practitioner/') || p.startsWith('CareTeam/'))))]}
          onSaved={() => void loadCoordination(store, workspace.replica, new Date())}
        />
      </section>
    );
  }

  return (
    <section className="messages" aria-labelledby="messages-title">
      <h1 id="messages-title">{patient === undefined ? t('messages.title') : t('messages.forPatient', { name: patientName(patient) })}</h1>
      <p>{t('messages.intro')}</p>
      {patient !== undefined && (
        <p>
          <button type="button" className="button button--quiet" onClick={() => go({ screen: 'messages' })}>
            {t('messages.allPatients')}
          </button>
        </p>
      )}
      {patient !== undefined && <NewMessage me={me} patient={patient} onSaved={(id) => { void loadCoordination(store, workspace.replica, new Date()); go({ screen: 'messages', patient, thread: id }); }} />}
      {threads.length === 0 ? (
        <p className="notice">{t('messages.none')}</p>
      ) : (
        <ul className="thread-list">
          {threads.map((th) => {
            const count = th.messages.filter((m) => unread.has(m.ref)).length;
            const last = th.messages.at(-1);
            return (
              <li key={th.id} data-thread={th.id}>
                <button type="button" className="link-button" aria-label={t('messages.open', { topic: th.topic ?? t('messages.noTopic') })} onClick={() => go({ screen: 'messages', ...(patient !== undefined ? { patient } : {}), thread: th.id })}>
                  {th.topic ?? t('messages.noTopic')}
                </button>
                <span>{patientName(th.patient)}</span>
                {last !== undefined && <span className="hint">{t('messages.from', { name: person(last.sender) })} · {last.sent !== null ? formatWhen(parseWhen(last.sent), language) : ''}</span>}
                {count > 0 && <span className="tag tag--danger">{t('messages.unread', { count })}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function communication(me: string, patient: string | null, recipients: readonly string[], topic: string | null, text: string, replyTo: string | null, file: ChosenFile | null): FhirResource {
  return {
    resourceType: 'Communication',
    id: window.crypto.randomUUID(),
    status: 'completed',
    ...(patient !== null ? { subject: { reference: patient } } : {}),
    ...(topic !== null && topic !== '' ? { topic: { text: topic } } : {}),
    ...(replyTo !== null ? { inResponseTo: [{ reference: replyTo }] } : {}),
    sent: new Date().toISOString(),
    sender: { reference: me },
    recipient: recipients.map((reference) => ({ reference })),
    payload: [{ contentString: text }, ...(file === null ? [] : [{ contentAttachment: file }])],
  };
}

function useSaveMessage() {
  const workspace = useWorkspace();
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed' | 'empty' | 'missing'>('idle');
  return {
    state,
    setState,
    async save(resource: FhirResource, patient: string | null): Promise<boolean> {
      setState('saving');
      try {
        await workspace.saveEdit({ ref: `Communication/${String(resource.id)}`, op: 'create', resource, patient });
        setState('saved');
        return true;
      } catch {
        setState('failed');
        return false;
      }
    },
  };
}

function SaveMessageStatus({ state }: Readonly<{ state: ReturnType<typeof useSaveMessage>['state'] }>) {
  const { t } = useTranslation();
  if (state === 'saved') return <p className="saved" role="status">{t('messages.sent')}</p>;
  if (state === 'failed') return <p className="alert" role="alert">{t('messages.failed')}</p>;
  if (state === 'empty') return <p className="alert" role="alert">{t('messages.empty')}</p>;
  if (state === 'missing') return <p className="alert" role="alert">{t('messages.noRecipient')}</p>;
  return null;
}

function Compose(props: Readonly<{ me: string; patient: string | null; replyTo: string; topic: string | null; recipients: readonly string[]; onSaved: () => void }>) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [file, setFile] = useState<ChosenFile | null>(null);
  useUnsavedInput(text.trim() !== '' || file !== null);
  const saving = useSaveMessage();
  // A reply goes to the thread's other participants who still share the patient's care (the HIE would refuse the others).
  const allowed = useMessageRecipients(props.patient ?? '');
  const recipients = props.patient === null ? props.recipients : props.recipients.filter((r) => allowed.includes(r));
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (text.trim() === '') return saving.setState('empty');
    if (recipients.length === 0) return saving.setState('missing');
    if (await saving.save(communication(props.me, props.patient, recipients, props.topic, text.trim(), props.replyTo, file), props.patient)) {
      setText('');
      setFile(null);
      props.onSaved();
    }
  };
  return (
    <form className="coordination-form" autoComplete="off" onSubmit={(e) => void submit(e)} aria-labelledby="reply-title">
      <h2 id="reply-title">{t('messages.reply')}</h2>
      <div className="field">
        <label htmlFor="reply-text">{t('messages.replyLabel')}</label>
        <textarea id="reply-text" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <AttachmentField id="reply-file" value={file} onChange={setFile} />
      <button type="submit" className="button button--primary" disabled={saving.state === 'saving'}>
        {saving.state === 'saving' ? t('messages.sending') : t('messages.send')}
      </button>
      <SaveMessageStatus state={saving.state} />
    </form>
  );
}

function NewMessage(props: Readonly<{ me: string; patient: string; onSaved: (thread: string) => void }>) {
  const { t } = useTranslation();
  const colleagues = useMessageRecipients(props.patient);
  const [to, setTo] = useState('');
  const [topic, setTopic] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<ChosenFile | null>(null);
  useUnsavedInput(topic.trim() !== '' || text.trim() !== '' || file !== null);
  const saving = useSaveMessage();
  const recipient = to !== '' ? to : colleagues[0] ?? '';
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (recipient === '') return saving.setState('missing');
    if (text.trim() === '') return saving.setState('empty');
    const resource = communication(props.me, props.patient, [recipient], topic.trim(), text.trim(), null, file);
    if (await saving.save(resource, props.patient)) props.onSaved(`Communication/${String(resource.id)}`);
  };
  return (
    <ColleagueForm
      id="new-message-title"
      title={t('messages.newMessage')}
      colleagues={colleagues}
      onSubmit={(e) => void submit(e)}
      status={<SaveMessageStatus state={saving.state} />}
    >
      <RecipientField id="message-to" colleagues={colleagues} value={recipient} onChange={setTo} />
      <div className="field">
        <label htmlFor="message-topic">{t('messages.topic')}</label>
        <input id="message-topic" value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="message-text">{t('messages.text')}</label>
        <textarea id="message-text" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <AttachmentField id="message-file" value={file} onChange={setFile} />
      <button type="submit" className="button button--primary" disabled={saving.state === 'saving'}>
        {saving.state === 'saving' ? t('messages.sending') : t('messages.send')}
      </button>
    </ColleagueForm>
  );
}

/** BALP PatientRead for a patient's messages: committed before they show (null: no patient, nothing to record). */
function useAuditedAccess(patient: string | null): Readonly<{ state: 'pending' | 'done' | 'failed'; retry(): void }> {
  const workspace = useWorkspace();
  const [state, setState] = useState<'pending' | 'done' | 'failed'>(patient === null ? 'done' : 'pending');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (patient === null) {
      setState('done');
      return;
    }
    let current = true;
    setState('pending');
    workspace.audit('chart-open', patient).then(
      () => current && setState('done'),
      () => current && setState('failed'),
    );
    return () => {
      current = false;
    };
  }, [workspace, patient, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}
