/**
 * The test-mode control API under `/_test/` (only with --test-mode): lets the client's tests,
 * running outside, list practitioners and their patients, mint and revoke tokens, move patients
 * between panels, post a message or answer a referral as another practitioner, inject faults and
 * reset the data. JSON in, JSON out; no authentication (the
 * sandbox listens on loopback only, and test mode is never the default).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WithId } from '@medplum/core';
import type { CareTeam, Communication, DocumentReference, Group, ServiceRequest, Task } from '@medplum/fhirtypes';
import { z } from 'zod';
import { runAs } from '../access/principal.ts';
import { parseResourceScope, parseScopes } from '../access/smart-scopes.ts';
import type { AccountDirectory } from '../auth/accounts.ts';
import type { IdentityProvider } from '../auth/identity-provider.ts';
import type { SandboxRepository } from '../fhir/repository.ts';
import { resourceKey } from '../fhir/resource-index.ts';
import { readBody, sendJson } from '../http-io.ts';
import { faultSpecSchema, type FaultController } from './faults.ts';

const tokenRequestSchema = z.object({
  practitioner: z.string().min(1),
  scope: z.string().min(1).optional(),
  /** Not in the issue's contract: lets a test get a token that expires in a few seconds. */
  expiresIn: z.number().int().min(1).max(86_400).optional(),
}).strict();
const revokeRequestSchema = z.object({ token: z.string().min(1) }).strict();
const wipeRequestSchema = z.object({ practitioner: z.string().min(1) }).strict();
const panelRequestSchema = z.object({ patient: z.string().min(1), practitioner: z.string().min(1), member: z.boolean() }).strict();

const messageRequestSchema = z.union([
  z.object({ as: z.string().min(1), replyTo: z.string().min(1), text: z.string().min(1).max(10_000) }).strict(),
  z.object({ as: z.string().min(1), patient: z.string().min(1), to: z.string().min(1), topic: z.string().min(1).max(200), text: z.string().min(1).max(10_000) }).strict(),
]);
const referralRequestSchema = z.object({
  as: z.string().min(1),
  task: z.string().min(1),
  status: z.enum(['accepted', 'in-progress', 'completed', 'rejected']),
  /** The answer letter (completed) or the reason (rejected). */
  text: z.string().min(1).max(10_000).optional(),
}).strict();

const identityScopes = new Set(['openid', 'fhirUser', 'profile', 'offline_access']);

export type ControlApiOptions = Readonly<{
  repo: SandboxRepository;
  accounts: AccountDirectory;
  identity: IdentityProvider;
  faults: FaultController;
  reset: () => Promise<void>;
  /** Revokes a practitioner with a wipe order: their FHIR requests get 401 + the wipe signal. */
  wipe: (practitionerId: string) => void;
  /** Ends emergency (break-the-glass) access now, for one practitioner or all. */
  expireEmergencyAccess: (practitionerId?: string) => void;
}>;

class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ControlError';
    this.status = status;
  }
}

async function jsonBody<T>(request: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const raw = (await readBody(request, 64 * 1024)).toString('utf8');
  let value: unknown;
  try {
    value = raw.length === 0 ? {} : JSON.parse(raw);
  } catch {
    throw new ControlError(400, 'The body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ControlError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

function referencesPractitioner(reference: string | undefined, practitionerId: string): boolean {
  return reference === `Practitioner/${practitionerId}`;
}

/** Adds the patient to the practitioner's panel Group, or takes them out of it and of their CareTeams. */
async function changePanel(repo: SandboxRepository, patientId: string, practitionerId: string, member: boolean): Promise<void> {
  const panels = [...repo.index.panelKeys()];
  const groups: WithId<Group>[] = [];
  const careTeams: WithId<CareTeam>[] = [];
  for (const key of panels) {
    const [resourceType, id] = key.split('/');
    if (resourceType === 'Group' && id) {
      const group = await repo.readUnchecked<WithId<Group>>('Group', id);
      if (referencesPractitioner(group.managingEntity?.reference, practitionerId)) groups.push(group);
    } else if (resourceType === 'CareTeam' && id && !member) {
      const team = await repo.readUnchecked<WithId<CareTeam>>('CareTeam', id);
      if (team.subject?.reference === `Patient/${patientId}` && (team.participant ?? []).some((p) => referencesPractitioner(p.member?.reference, practitionerId))) careTeams.push(team);
    }
  }
  const patientReference = `Patient/${patientId}`;
  if (member) {
    const group = groups[0];
    if (!group) {
      await repo.createResource<Group>({
        resourceType: 'Group',
        type: 'person',
        actual: true,
        name: 'Patientèle',
        managingEntity: { reference: `Practitioner/${practitionerId}` },
        member: [{ entity: { reference: patientReference } }],
        quantity: 1,
      });
      return;
    }
    if ((group.member ?? []).some((m) => m.entity.reference === patientReference && m.inactive !== true)) return;
    const members = (group.member ?? []).filter((m) => m.entity.reference !== patientReference).concat({ entity: { reference: patientReference } });
    await repo.updateResource<Group>({ ...group, member: members, quantity: members.length });
    return;
  }
  for (const group of groups) {
    if (!(group.member ?? []).some((m) => m.entity.reference === patientReference)) continue;
    const members = (group.member ?? []).filter((m) => m.entity.reference !== patientReference);
    await repo.updateResource<Group>({ ...group, member: members, quantity: members.length });
  }
  for (const team of careTeams) {
    const participant = (team.participant ?? []).filter((p) => !referencesPractitioner(p.member?.reference, practitionerId));
    await repo.updateResource<CareTeam>({ ...team, participant });
  }
}

/**
 * Runs `work` as the practitioner would through the FHIR API (their panel, every scope), so what
 * the test posts for them is refused exactly as their own client would be.
 */
function asPractitioner<T>(repo: SandboxRepository, practitionerId: string, work: () => Promise<T>): Promise<T> {
  return runAs({ kind: 'practitioner', practitionerId, patients: repo.index.patientsOf(practitionerId), scopes: parseScopes('user/*.cruds') }, work);
}

function controlStatus(error: unknown): never {
  // The repository's refusals (403 for a recipient outside the patient's care) keep their status.
  if (error instanceof ControlError) throw error;
  const outcome = (error as { outcome?: { id?: string; issue?: { details?: { text?: string } }[] } }).outcome;
  if (outcome?.id === 'forbidden') throw new ControlError(403, outcome.issue?.[0]?.details?.text ?? 'Forbidden');
  if (outcome?.id === 'not-found') throw new ControlError(404, 'Not found');
  throw error;
}

/** A message posted as another practitioner: a reply to a thread, or a new thread about a patient. */
async function postMessage(repo: SandboxRepository, body: z.infer<typeof messageRequestSchema>): Promise<Communication> {
  const now = new Date().toISOString();
  const sender = { reference: `Practitioner/${body.as}` };
  if ('replyTo' in body) {
    const original = await repo.readUnchecked<WithId<Communication>>('Communication', body.replyTo).catch(() => {
      throw new ControlError(404, `No Communication ${body.replyTo}`);
    });
    const others = [original.sender, ...(original.recipient ?? [])].filter((r) => r !== undefined && r.reference !== sender.reference);
    return asPractitioner(repo, body.as, () => repo.createResource<Communication>({
      resourceType: 'Communication',
      status: 'completed',
      ...(original.category ? { category: original.category } : {}),
      ...(original.subject ? { subject: original.subject } : {}),
      ...(original.topic ? { topic: original.topic } : {}),
      inResponseTo: [{ reference: `Communication/${original.id}` }],
      sent: now,
      sender,
      recipient: others.map((r) => ({ reference: r?.reference ?? '' })),
      payload: [{ contentString: body.text }],
    })).catch(controlStatus);
  }
  return asPractitioner(repo, body.as, () => repo.createResource<Communication>({
    resourceType: 'Communication',
    status: 'completed',
    subject: { reference: `Patient/${body.patient}` },
    topic: { text: body.topic },
    sent: now,
    sender,
    recipient: [{ reference: `Practitioner/${body.to}` }],
    payload: [{ contentString: body.text }],
  })).catch(controlStatus);
}

/**
 * The referred-to practitioner answers a referral: the Task moves on (only its owner may), and a
 * completed one gets the answer letter as a DocumentReference in its output, its ServiceRequest completed.
 */
async function answerReferral(repo: SandboxRepository, body: z.infer<typeof referralRequestSchema>): Promise<Task> {
  const task = await repo.readUnchecked<WithId<Task>>('Task', body.task).catch(() => {
    throw new ControlError(404, `No Task ${body.task}`);
  });
  if (task.owner?.reference !== `Practitioner/${body.as}`) throw new ControlError(403, `Practitioner ${body.as} does not own Task ${body.task}`);
  const now = new Date().toISOString();
  // All or nothing: a refusal of the Task's update leaves no letter and no closed request behind.
  return asPractitioner(repo, body.as, () => repo.withTransaction(async () => {
    const output: Task['output'] = [...(task.output ?? [])];
    if (body.status === 'completed') {
      const letter = await repo.createResource<DocumentReference>({
        resourceType: 'DocumentReference',
        status: 'current',
        docStatus: 'final',
        type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }], text: 'Courrier de consultation' },
        ...(task.for?.reference ? { subject: { reference: task.for.reference } } : {}),
        date: now,
        author: [{ reference: `Practitioner/${body.as}` }],
        description: body.text ?? 'Réponse à l\'adressage',
        content: [{ attachment: { contentType: 'text/plain', language: 'fr-FR', data: Buffer.from(body.text ?? '', 'utf8').toString('base64'), title: 'Courrier de consultation', creation: now } }],
        ...(task.focus?.reference ? { context: { related: [{ reference: task.focus.reference }] } } : {}),
      });
      output.push({ type: { text: 'Réponse' }, valueReference: { reference: `DocumentReference/${letter.id}` } });
    }
    const focus = /^ServiceRequest\/(.+)$/.exec(task.focus?.reference ?? '')?.[1];
    if (focus !== undefined && (body.status === 'completed' || body.status === 'rejected')) {
      const request = await repo.readUnchecked<WithId<ServiceRequest>>('ServiceRequest', focus).catch(() => undefined);
      // The requester's own record: only the system may close it on the owner's behalf here.
      if (request) await runAs({ kind: 'system' }, () => repo.updateResource<ServiceRequest>({ ...request, status: body.status === 'completed' ? 'completed' : 'revoked' }));
    }
    return repo.updateResource<Task>({
      ...task,
      status: body.status,
      lastModified: now,
      ...(body.status === 'rejected' && body.text !== undefined ? { statusReason: { text: body.text } } : {}),
      ...(output.length > 0 ? { output } : {}),
    });
  })).catch(controlStatus);
}

export function createControlApi(options: ControlApiOptions): (request: IncomingMessage, response: ServerResponse, pathname: string) => Promise<void> {
  const { repo, accounts, identity, faults } = options;

  async function handle(method: string, path: string, request: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_test/practitioners':
        return {
          status: 200,
          body: accounts.all().map((account) => ({
            id: account.practitionerId,
            name: account.name,
            username: account.username,
            patients: [...repo.index.patientsOf(account.practitionerId)]
              .filter((id) => repo.index.current(resourceKey('Patient', id)) !== undefined)
              .sort(),
          })),
        };
      case 'POST /_test/token': {
        const body = await jsonBody(request, tokenRequestSchema);
        if (!accounts.byPractitioner(body.practitioner)) throw new ControlError(404, `No practitioner ${body.practitioner}`);
        const scope = body.scope ?? 'user/*.cruds';
        const resourceScopes = scope.split(/\s+/).filter((s) => !identityScopes.has(s));
        if (resourceScopes.some((s) => parseResourceScope(s) === undefined)) throw new ControlError(400, 'Unsupported scope; use SMART user/ scopes such as user/*.cruds');
        const token = await identity.issueAccessToken(body.practitioner, resourceScopes.join(' '), body.expiresIn);
        return { status: 200, body: { ...token, fhirUser: `Practitioner/${body.practitioner}` } };
      }
      case 'POST /_test/revoke': {
        const body = await jsonBody(request, revokeRequestSchema);
        if (!(await identity.revoke(body.token))) throw new ControlError(400, 'Not a token issued by this sandbox');
        return { status: 204 };
      }
      case 'POST /_test/wipe': {
        const body = await jsonBody(request, wipeRequestSchema);
        if (!accounts.byPractitioner(body.practitioner)) throw new ControlError(404, `No practitioner ${body.practitioner}`);
        options.wipe(body.practitioner);
        return { status: 204 };
      }
      case 'POST /_test/emergency-access/expire': {
        const body = await jsonBody(request, z.object({ practitioner: z.string().min(1).optional() }).strict());
        options.expireEmergencyAccess(body.practitioner);
        return { status: 204 };
      }
      case 'POST /_test/panel': {
        const body = await jsonBody(request, panelRequestSchema);
        if (!accounts.byPractitioner(body.practitioner)) throw new ControlError(404, `No practitioner ${body.practitioner}`);
        if (!repo.index.current(resourceKey('Patient', body.patient))) throw new ControlError(404, `No patient ${body.patient}`);
        await repo.mutex.exclusive(() => changePanel(repo, body.patient, body.practitioner, body.member));
        return { status: 204 };
      }
      case 'POST /_test/message': {
        const body = await jsonBody(request, messageRequestSchema);
        if (!accounts.byPractitioner(body.as)) throw new ControlError(404, `No practitioner ${body.as}`);
        const message = await repo.mutex.exclusive(() => postMessage(repo, body));
        return { status: 201, body: message };
      }
      case 'POST /_test/referral': {
        const body = await jsonBody(request, referralRequestSchema);
        if (!accounts.byPractitioner(body.as)) throw new ControlError(404, `No practitioner ${body.as}`);
        const task = await repo.mutex.exclusive(() => answerReferral(repo, body));
        return { status: 200, body: task };
      }
      case 'POST /_test/faults':
        faults.set(await jsonBody(request, faultSpecSchema));
        return { status: 204 };
      case 'DELETE /_test/faults':
        faults.clear();
        return { status: 204 };
      case 'POST /_test/reset':
        await repo.mutex.exclusive(() => options.reset());
        return { status: 204 };
      default:
        throw new ControlError(404, `No test control endpoint ${route}`);
    }
  }

  return async (request, response, pathname) => {
    try {
      const result = await handle(request.method ?? 'GET', pathname.replace(/\/+$/, ''), request);
      sendJson(response, result.status, result.body);
    } catch (error) {
      const status = error instanceof ControlError ? error.status : 500;
      sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
    }
  };
}
