import type { FhirResource } from '../fhir/resource';
import { resolveLiteralReference } from '../fhir/compartment';
import { stringOf, timeOf } from '../fhir/fhir-text';

/**
 * Care coordination as the clinician reads it, built in the data worker from the replica's
 * Appointments, Communications, Tasks and ServiceRequests (pure: tested without a database):
 * the schedule, message threads, referrals both ways, to-dos, and what is new since they last
 * looked (notifications). Read from FHIR R4 as any HIE may send it: every element optional,
 * references relative or absolute.
 */
export type Entry = Readonly<{ ref: string; resource: FhirResource | null; syncState: string }>;

export type ScheduleRow = Readonly<{
  ref: string;
  patient: string | null;
  start: string | null;
  end: string | null;
  status: string;
  description: string | null;
  pending: boolean;
  resource: FhirResource;
}>;

export type Message = Readonly<{
  ref: string;
  sender: string | null;
  recipients: readonly string[];
  sent: string | null;
  text: string;
  /** `index`: its place among the message's `contentAttachment`s (null for a `contentReference`); `size` in bytes when said. */
  attachments: readonly Readonly<{ title: string | null; contentType: string | null; index: number | null; size: number | null }>[];
  inResponseTo: string | null;
  /** Sent to me (or to a care team I am in), by someone else. */
  toMe: boolean;
  pending: boolean;
}>;

export type Thread = Readonly<{
  /** The first message's ref. */
  id: string;
  patient: string | null;
  topic: string | null;
  participants: readonly string[];
  messages: readonly Message[];
  lastAt: number | null;
}>;

export type ReferralState = 'draft' | 'requested' | 'received' | 'accepted' | 'rejected' | 'ready' | 'cancelled' | 'in-progress' | 'on-hold' | 'failed' | 'completed' | 'entered-in-error';

export type Referral = Readonly<{
  ref: string;
  patient: string | null;
  status: string;
  /** `sent`: I asked; `received`: I am asked; `other`: a colleague's referral about my patient. */
  direction: 'sent' | 'received' | 'other';
  requester: string | null;
  owner: string | null;
  request: string | null;
  what: string | null;
  reason: string | null;
  priority: string | null;
  authoredOn: string | null;
  lastModified: string | null;
  statusReason: string | null;
  /** The answer (Task.output), a reference to a document or result. */
  answer: string | null;
  /** What the request carries (ServiceRequest.supportingInfo): documents of the record. */
  documents: readonly string[];
  pending: boolean;
  task: FhirResource;
}>;

export type Todo = Readonly<{ ref: string; patient: string | null; description: string; due: string | null; status: string; pending: boolean; task: FhirResource }>;

export type Notification = Readonly<{
  /** What marks it seen (`<ref>` for a message, `<ref>@<status>` for a referral's step). */
  key: string;
  kind: 'message' | 'referral-answered' | 'referral-received' | 'result';
  patient: string | null;
  ref: string;
  at: number | null;
  /** For a result: what was measured, as the record names it. */
  what?: string;
}>;

export type Coordination = Readonly<{
  schedule: readonly ScheduleRow[];
  threads: readonly Thread[];
  referrals: readonly Referral[];
  todos: readonly Todo[];
  notifications: readonly Notification[];
  /** Practitioner ref → a name to show (from the replica's Practitioners). */
  people: Readonly<Record<string, string>>;
  /** Patient ref → a name to show, for the patients named above (filled by the data side). */
  patients: Readonly<Record<string, string>>;
}>;

/** The schedule kept: from yesterday to eight days ahead (today and the week, in any time zone). */
export const scheduleWindow = { beforeMs: 36 * 3_600_000, afterMs: 8 * 86_400_000 } as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A reference as `Type/id` (relative or absolute against the HIE's base), or null. */
export function refOf(value: unknown, fhirBase?: string): string | null {
  const reference = isRecord(value) ? value['reference'] : undefined;
  if (typeof reference !== 'string') return null;
  const resolved = resolveLiteralReference(reference, fhirBase === undefined ? {} : { fhirBase });
  return resolved === null ? null : `${resolved.type}/${resolved.id}`;
}

const textOf = (concept: unknown): string | null => {
  if (!isRecord(concept)) return null;
  const text = stringOf(concept['text']);
  if (text !== null && text !== '') return text;
  for (const coding of list(concept['coding'])) {
    const display = isRecord(coding) ? stringOf(coding['display']) ?? stringOf(coding['code']) : null;
    if (display !== null) return display;
  }
  return null;
};

const patientAmong = (refs: readonly (string | null)[]): string | null => refs.find((r) => r?.startsWith('Patient/') === true) ?? null;

/** A person's name as written in the Practitioner resource. */
export function practitionerName(resource: FhirResource): string | null {
  for (const name of list(resource['name'])) {
    if (!isRecord(name)) continue;
    const text = stringOf(name['text']);
    if (text) return text;
    const parts = [...list(name['prefix']), ...list(name['given']), name['family']].filter((p): p is string => typeof p === 'string' && p !== '');
    if (parts.length > 0) return parts.join(' ');
  }
  return null;
}

export type CoordinationInput = Readonly<{
  me: string;
  appointments: readonly Entry[];
  communications: readonly Entry[];
  tasks: readonly Entry[];
  serviceRequests: readonly Entry[];
  practitioners: readonly Entry[];
  /** The CareTeams the replica holds: a message may be addressed to a team (named in `people`, and "to me" when I am a member). */
  careTeams?: readonly Entry[];
  /** Keys already seen (Notification.key). */
  seen: ReadonlySet<string>;
  /**
   * Observations of patients who changed since the first complete sync, and that moment: an
   * abnormal one stored after it is new for the clinician (what the first sync brought is history).
   */
  results?: readonly Entry[];
  resultsSince?: string | null;
  now: Date;
  fhirBase?: string;
}>;

const activeTodo = new Set(['draft', 'requested', 'received', 'accepted', 'ready', 'in-progress', 'on-hold']);
const answeredSteps = new Set(['accepted', 'in-progress', 'completed', 'rejected', 'cancelled', 'failed']);

export function buildCoordination(input: CoordinationInput): Coordination {
  const { me, fhirBase } = input;
  const myTeams = new Set<string>();
  const teamNames: Record<string, string> = {};
  for (const entry of input.careTeams ?? []) {
    const team = entry.resource;
    if (!team) continue;
    if (list(team['participant']).some((p) => isRecord(p) && refOf(p['member'], fhirBase) === me)) myTeams.add(entry.ref);
    teamNames[entry.ref] = stringOf(team['name']) ?? entry.ref;
  }
  const pendingOf = (entry: Entry): boolean => entry.syncState !== 'synced';

  const schedule: ScheduleRow[] = [];
  for (const entry of input.appointments) {
    const resource = entry.resource;
    if (!resource) continue;
    const actors = list(resource['participant']).map((p) => refOf(isRecord(p) ? p['actor'] : undefined, fhirBase));
    if (!actors.includes(me)) continue;
    const startMs = timeOf(stringOf(resource['start']));
    const nowMs = input.now.getTime();
    if (startMs === null || startMs < nowMs - scheduleWindow.beforeMs || startMs > nowMs + scheduleWindow.afterMs) continue;
    schedule.push({
      ref: entry.ref,
      patient: patientAmong(actors),
      start: stringOf(resource['start']),
      end: stringOf(resource['end']),
      status: stringOf(resource['status']) ?? 'unknown',
      description: stringOf(resource['description']) ?? textOf(list(resource['serviceType'])[0]) ?? textOf(resource['appointmentType']),
      pending: pendingOf(entry),
      resource,
    });
  }
  schedule.sort((a, b) => (timeOf(a.start) ?? Infinity) - (timeOf(b.start) ?? Infinity) || a.ref.localeCompare(b.ref));

  // Threads: each message joins the thread of what it answers (inResponseTo, or partOf a Communication).
  const messages = new Map<string, Message & { patient: string | null; topic: string | null }>();
  for (const entry of input.communications) {
    const resource = entry.resource;
    if (!resource) continue;
    const sender = refOf(resource['sender'], fhirBase);
    const recipients = list(resource['recipient']).map((r) => refOf(r, fhirBase)).filter((r): r is string => r !== null);
    const parent = [...list(resource['inResponseTo']), ...list(resource['partOf'])].map((r) => refOf(r, fhirBase)).find((r) => r?.startsWith('Communication/')) ?? null;
    const text: string[] = [];
    const attachments: { title: string | null; contentType: string | null; index: number | null; size: number | null }[] = [];
    let attachmentIndex = 0;
    for (const payload of list(resource['payload'])) {
      if (!isRecord(payload)) continue;
      const content = stringOf(payload['contentString']);
      if (content !== null) text.push(content);
      const attachment = payload['contentAttachment'];
      if (isRecord(attachment)) {
        const size = typeof attachment['size'] === 'number' ? attachment['size'] : null;
        attachments.push({ title: stringOf(attachment['title']), contentType: stringOf(attachment['contentType']), index: attachmentIndex, size });
        attachmentIndex += 1;
      }
      const reference = refOf(payload['contentReference'], fhirBase);
      if (reference !== null) attachments.push({ title: reference, contentType: null, index: null, size: null });
    }
    messages.set(entry.ref, {
      ref: entry.ref,
      sender,
      recipients,
      sent: stringOf(resource['sent']) ?? stringOf(resource['received']) ?? stringOf(isRecord(resource['meta']) ? resource['meta']['lastUpdated'] : null),
      text: text.join('\n\n'),
      attachments,
      inResponseTo: parent,
      toMe: sender !== me && recipients.some((r) => r === me || myTeams.has(r)),
      pending: pendingOf(entry),
      patient: refOf(resource['subject'], fhirBase),
      topic: textOf(resource['topic']),
    });
  }
  const rootOf = (ref: string): string => {
    let current = ref;
    const seen = new Set<string>([ref]);
    for (;;) {
      const parent = messages.get(current)?.inResponseTo;
      if (parent === null || parent === undefined || !messages.has(parent) || seen.has(parent)) return current;
      seen.add(parent);
      current = parent;
    }
  };
  const grouped = new Map<string, (Message & { patient: string | null; topic: string | null })[]>();
  for (const message of messages.values()) {
    const root = rootOf(message.ref);
    grouped.set(root, [...(grouped.get(root) ?? []), message]);
  }
  const threads: Thread[] = [...grouped.entries()].map(([root, members]) => {
    const sorted = members.sort((a, b) => (timeOf(a.sent) ?? 0) - (timeOf(b.sent) ?? 0) || a.ref.localeCompare(b.ref));
    const first = messages.get(root);
    const participants = new Set<string>();
    for (const m of sorted) for (const p of [m.sender, ...m.recipients]) if (p !== null) participants.add(p);
    return {
      id: root,
      patient: first?.patient ?? sorted.find((m) => m.patient !== null)?.patient ?? null,
      topic: first?.topic ?? sorted.find((m) => m.topic !== null)?.topic ?? null,
      participants: [...participants],
      messages: sorted.map(({ patient: _p, topic: _t, ...m }) => m),
      lastAt: timeOf(sorted.at(-1)?.sent ?? null),
    };
  });
  threads.sort((a, b) => (b.lastAt ?? 0) - (a.lastAt ?? 0) || a.id.localeCompare(b.id));

  const requests = new Map(input.serviceRequests.filter((e) => e.resource).map((e) => [e.ref, e.resource as FhirResource]));
  const referrals: Referral[] = [];
  const todos: Todo[] = [];
  for (const entry of input.tasks) {
    const task = entry.resource;
    if (!task) continue;
    const status = stringOf(task['status']) ?? 'unknown';
    const requester = refOf(task['requester'], fhirBase);
    const owner = refOf(task['owner'], fhirBase);
    const patient = refOf(task['for'], fhirBase);
    const focus = refOf(task['focus'], fhirBase);
    const restriction = isRecord(task['restriction']) ? task['restriction'] : {};
    const due = stringOf(isRecord(restriction['period']) ? restriction['period']['end'] : null);
    if (focus?.startsWith('ServiceRequest/') === true) {
      const request = requests.get(focus) ?? null;
      const output = list(task['output']).map((o) => (isRecord(o) ? refOf(o['valueReference'], fhirBase) : null)).find((r) => r !== null) ?? null;
      referrals.push({
        ref: entry.ref,
        patient: patient ?? (request ? refOf(request['subject'], fhirBase) : null),
        status,
        direction: requester === me ? 'sent' : owner === me ? 'received' : 'other',
        requester,
        owner,
        request: focus,
        what: request ? textOf(request['code']) : textOf(task['code']),
        reason: request ? textOf(list(request['reasonCode'])[0]) ?? stringOf(isRecord(list(request['note'])[0]) ? (list(request['note'])[0] as Record<string, unknown>)['text'] : null) : stringOf(task['description']),
        priority: stringOf(task['priority']) ?? (request ? stringOf(request['priority']) : null),
        authoredOn: stringOf(task['authoredOn']) ?? (request ? stringOf(request['authoredOn']) : null),
        lastModified: stringOf(task['lastModified']),
        statusReason: textOf(task['statusReason']),
        answer: output,
        documents: request ? list(request['supportingInfo']).map((r) => refOf(r, fhirBase)).filter((r): r is string => r !== null) : [],
        pending: pendingOf(entry),
        task,
      });
    } else if (owner === me && (requester === null || requester === me)) {
      todos.push({ ref: entry.ref, patient, description: stringOf(task['description']) ?? textOf(task['code']) ?? '', due, status, pending: pendingOf(entry), task });
    }
  }
  referrals.sort((a, b) => (timeOf(b.lastModified ?? b.authoredOn) ?? 0) - (timeOf(a.lastModified ?? a.authoredOn) ?? 0) || a.ref.localeCompare(b.ref));
  todos.sort((a, b) => (timeOf(a.due) ?? Infinity) - (timeOf(b.due) ?? Infinity) || a.ref.localeCompare(b.ref));

  const notifications: Notification[] = [];
  for (const thread of threads) {
    for (const message of thread.messages) {
      if (message.toMe && !input.seen.has(message.ref)) notifications.push({ key: message.ref, kind: 'message', patient: thread.patient, ref: message.ref, at: timeOf(message.sent) });
    }
  }
  for (const referral of referrals) {
    const key = `${referral.ref}@${referral.status}`;
    if (input.seen.has(key)) continue;
    const at = timeOf(referral.lastModified ?? referral.authoredOn);
    if (referral.direction === 'sent' && answeredSteps.has(referral.status) && !referral.pending) notifications.push({ key, kind: 'referral-answered', patient: referral.patient, ref: referral.ref, at });
    if (referral.direction === 'received' && referral.status === 'requested') notifications.push({ key, kind: 'referral-received', patient: referral.patient, ref: referral.ref, at });
  }
  if (input.resultsSince != null) {
    const since = timeOf(input.resultsSince);
    for (const entry of input.results ?? []) {
      const resource = entry.resource;
      if (!resource || resource.resourceType !== 'Observation' || entry.syncState !== 'synced' || since === null) continue;
      const meta = isRecord(resource['meta']) ? resource['meta'] : {};
      const stored = timeOf(stringOf(meta['lastUpdated']));
      if (stored === null || stored <= since || !isAbnormal(resource)) continue;
      const key = `${entry.ref}@${stringOf(meta['versionId']) ?? stringOf(meta['lastUpdated']) ?? ''}`;
      if (input.seen.has(key)) continue;
      const what = textOf(resource['code']);
      notifications.push({ key, kind: 'result', patient: refOf(resource['subject'], fhirBase), ref: entry.ref, at: stored, ...(what !== null ? { what } : {}) });
    }
  }
  notifications.sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || a.key.localeCompare(b.key));

  const people: Record<string, string> = { ...teamNames };
  for (const entry of input.practitioners) {
    const name = entry.resource ? practitionerName(entry.resource) : null;
    if (name !== null) people[entry.ref] = name;
  }
  return { schedule, threads, referrals, todos: todos.filter((t) => activeTodo.has(t.status)), notifications, people, patients: {} };
}

/** The patients the model names, for the data side to put names on. */
export function patientsNamed(model: Coordination): string[] {
  const refs = new Set<string>();
  for (const row of model.schedule) if (row.patient !== null) refs.add(row.patient);
  for (const thread of model.threads) if (thread.patient !== null) refs.add(thread.patient);
  for (const referral of model.referrals) if (referral.patient !== null) refs.add(referral.patient);
  for (const todo of model.todos) if (todo.patient !== null) refs.add(todo.patient);
  for (const notification of model.notifications) if (notification.patient !== null) refs.add(notification.patient);
  return [...refs];
}

/** HL7 v3 ObservationInterpretation codes that say a result is outside its normal range. */
const abnormalCodes = new Set(['A', 'AA', 'H', 'HH', 'HU', 'L', 'LL', 'LU', 'POS', 'DET', 'R', '>', '<']);

/** Abnormal by its interpretation (any coding), the way the chart flags it. */
export function isAbnormal(resource: FhirResource): boolean {
  const interpretations = [...list(resource['interpretation']), ...list(resource['component']).flatMap((c) => (isRecord(c) ? list(c['interpretation']) : []))];
  return interpretations.some((concept) => isRecord(concept) && list(concept['coding']).some((coding) => isRecord(coding) && typeof coding['code'] === 'string' && abnormalCodes.has(coding['code'])));
}

/** Every key the model could show as new: what the seen marks need to keep. */
export function seenKeysInUse(model: Coordination): string[] {
  const keys: string[] = [];
  for (const thread of model.threads) for (const message of thread.messages) if (message.toMe) keys.push(message.ref);
  for (const referral of model.referrals) keys.push(`${referral.ref}@${referral.status}`);
  for (const notification of model.notifications) if (notification.kind === 'result') keys.push(notification.key);
  return keys;
}
