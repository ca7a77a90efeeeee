import 'fake-indexeddb/auto';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVault, importDeviceSecret, localKekSource, newDeviceSecret } from '../../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { TransportError, type FhirTransport } from '../../../../shared/hie/transport';
import { createPortClient, PortError, servePort } from '../../../../shared/ipc/port-rpc';
import { openWorkspace, type DataSide, type Workspace } from '../../../../renderer/app/workspace';
import { hostContract } from '../../../../shared/ipc/host-contract';
import { dataContract } from '../../../../renderer/data/contract';
import { serveDataSide } from '../../../../renderer/data/serve-data-side';
import { LocalEditRefusedError } from '../../../../renderer/db/errors';
import { newReplicaName, type VaultEntry } from '../../../../renderer/features/unlock/vault-store';
import { localAuditAnchor } from '../../../../renderer/host/local-audit-anchor';
import { createSyncStatusStore } from '../../../../renderer/sync/sync-status';
import { inProcessDataSide } from '../../../support/in-process-data-side';
import { webPort } from '../../../support/web-port';

/**
 * The page's client of the data side and the data side itself (serveDataSide), over real
 * MessageChannels: the vault's keys cross by structured clone, every call and event is parsed on
 * arrival, failures cross as codes and come back as the page's errors. The browser walks run the
 * same code in a real module Worker (tests/e2e/data-worker.spec.ts).
 */
const webCrypto = crypto as unknown as WebCrypto;
const owner = { practitioner: 'Practitioner/doc', fhirBase: 'http://127.0.0.1:8787/fhir' };
const opened: Workspace[] = [];
afterEach(async () => {
  for (const workspace of opened.splice(0)) await workspace.close();
});

function fakeWindow(online: boolean): Window {
  const target = new EventTarget() as EventTarget & Record<string, unknown>;
  Object.assign(target, { navigator: { onLine: online } });
  return target as unknown as Window;
}

const offline: FhirTransport = {
  send: async () => {
    throw new TransportError('offline');
  },
};

async function vaultAndEntry(): Promise<{ vault: Awaited<ReturnType<typeof createVault>>['vault']; entry: VaultEntry }> {
  const secret = importDeviceSecret(webCrypto, newDeviceSecret(webCrypto));
  const { record, vault } = await createVault(webCrypto, localKekSource(webCrypto, () => secret), 'Marée haute sur le sillon de Saint-Malo');
  return { vault, entry: { format: 1, record, owner, replicaName: newReplicaName(crypto), createdAt: new Date().toISOString(), lastSyncAt: null, initialSyncDone: false } };
}

async function open(options: { transport?: FhirTransport; online?: boolean; dataSide?: DataSide } = {}) {
  const { vault, entry } = await vaultAndEntry();
  const values = new Map<string, string>();
  const anchor = localAuditAnchor({ getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) } as unknown as Storage, webCrypto);
  const status = createSyncStatusStore();
  const stopped = vi.fn();
  const dataSide = options.dataSide ?? inProcessDataSide(webCrypto);
  const workspace = await openWorkspace({
    dataSide,
    host: { fhirTransport: () => options.transport ?? offline, auditAnchor: () => anchor, eraseDeviceSecrets: async () => undefined, eraseLocalData: async () => undefined },
    vault,
    entry,
    status,
    window: fakeWindow(options.online ?? false),
    onInitialSyncDone: () => undefined,
    onWiped: () => undefined,
    onStopped: stopped,
    pollMs: 50,
  });
  opened.push(workspace);
  return { workspace, status, stopped, dataSide };
}

const note = (id: string) => ({ resourceType: 'Observation', id, status: 'final', code: { text: 'Tension' }, subject: { reference: 'Patient/p1' } });

describe('the page’s client of the data side', { timeout: 20_000 }, () => {
  it('an edit saved from the page is stored by the data side, reads back pending, and the status read model counts it', async () => {
    const { workspace, status } = await open();
    const entry = await workspace.saveEdit({ ref: 'Observation/o1', op: 'create', resource: note('o1'), patient: 'Patient/p1' });
    expect(entry).toMatchObject({ ref: 'Observation/o1', op: 'create', state: 'ready' });
    const chart = await workspace.replica.resourcesOfPatient('Patient/p1');
    expect(chart).toEqual([{ ref: 'Observation/o1', resourceType: 'Observation', syncState: 'pending', resource: note('o1') }]);
    await vi.waitFor(() => expect(status.getState().pendingEdits).toBe(1));
    expect(status.getState().network).toBe('offline');
    // The trail holds the create, and the page reads it through the contract.
    const trail = await workspace.replica.audit.trail();
    expect(trail.map((link) => link.seq)).toEqual([1]);
    // The list's rows are built by the data side: no Patient is stored yet, so none.
    expect(await workspace.replica.patientRows(new Date(), null)).toEqual([]);
  });

  it('after an unlock the patient list is served first: the coordination model waits for its first rows', async () => {
    const { workspace } = await open();
    const answered: string[] = [];
    const coordination = workspace.replica.coordination(new Date()).then(() => answered.push('coordination'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = workspace.replica.patientRows(new Date(), null).then(() => answered.push('rows'));
    await Promise.all([coordination, rows]);
    expect(answered).toEqual(['rows', 'coordination']);
    // Then it answers at once.
    const started = Date.now();
    await workspace.replica.coordination(new Date());
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('coordination is built by the data side from my point of view; a message seen stays seen, and the marks keep only what is still in use', async () => {
    const { workspace } = await open();
    const me = workspace.owner.practitioner;
    const message = {
      resourceType: 'Communication', id: 'm1', status: 'completed', subject: { reference: 'Patient/p1' }, sent: '2026-12-04T08:00:00Z',
      sender: { reference: 'Practitioner/colleague' }, recipient: [{ reference: me }], payload: [{ contentString: 'Bonjour' }],
    };
    await workspace.saveEdit({ ref: 'Communication/m1', op: 'create', resource: message, patient: 'Patient/p1' });
    const before = await workspace.replica.coordination(new Date('2026-12-04T09:00:00Z'));
    expect(before.threads.map((t) => t.id)).toEqual(['Communication/m1']);
    expect(before.notifications.map((n) => n.key)).toEqual(['Communication/m1']);
    await workspace.replica.markSeen(['Communication/m1']);
    expect(await workspace.replica.seenMarks()).toEqual(['Communication/m1']);
    expect((await workspace.replica.coordination(new Date())).notifications).toEqual([]);
    // Marks no longer in use are dropped when the page says which are.
    await workspace.replica.markSeen(['Task/t1@completed'], ['Communication/m1']);
    expect([...(await workspace.replica.seenMarks())].sort()).toEqual(['Communication/m1', 'Task/t1@completed']);
    await workspace.replica.markSeen([], []);
    expect(await workspace.replica.seenMarks()).toEqual([]);
    // Two marks at once (two quick clicks): neither erases the other.
    await Promise.all([workspace.replica.markSeen(['Communication/a']), workspace.replica.markSeen(['Communication/b'])]);
    expect([...(await workspace.replica.seenMarks())].sort()).toEqual(['Communication/a', 'Communication/b']);
  });

  it('a refused edit crosses as its code and is the page’s LocalEditRefusedError again', async () => {
    const { workspace } = await open();
    await workspace.saveEdit({ ref: 'Observation/o1', op: 'create', resource: note('o1'), patient: 'Patient/p1' });
    const again = workspace.saveEdit({ ref: 'Observation/o1', op: 'create', resource: note('o1'), patient: 'Patient/p1' });
    await expect(again).rejects.toBeInstanceOf(LocalEditRefusedError);
    await expect(again).rejects.toMatchObject({ reason: 'exists' });
  });

  it('the HIE requests the data side makes go through the page’s host, and a refused address stays "refused", never "offline"', async () => {
    const seen: string[] = [];
    const refusing: FhirTransport = {
      send: async (request) => {
        seen.push(request.target);
        throw new TransportError('refused');
      },
    };
    const { status } = await open({ transport: refusing, online: true });
    await vi.waitFor(() => expect(status.getState().error).toBe('HIE_REFUSED'));
    expect(status.getState().network).toBe('online');
    expect(seen.length).toBeGreaterThan(0);
  });

  it('the data side dying under an open session ends it, tells the session, and the status read model keeps only the last success', async () => {
    const inner = inProcessDataSide(webCrypto);
    const died: Array<() => void> = [];
    const dataSide: DataSide = { ...inner, onDied: (listener) => void died.push(listener) };
    const { workspace, status, stopped } = await open({ dataSide });
    await vi.waitFor(() => expect(status.getState().pendingEdits).toBe(0));
    expect(died).toHaveLength(1);
    died[0]?.();
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(inner.ended()).toBe(true);
    await expect(workspace.replica.getResource('Observation/o1')).rejects.toMatchObject({ code: 'PORT_CLOSED' });
  });
});

describe('the data side’s port', { timeout: 20_000 }, () => {
  /** A bare data side and a raw client, to send what the page's client never would. */
  function bare() {
    const calls = new MessageChannel();
    const host = new MessageChannel();
    serveDataSide({ port: webPort(calls.port1), host: webPort(host.port2), crypto: webCrypto, newId: () => crypto.randomUUID() });
    // A host with nothing anchored and no network.
    servePort(hostContract, webPort(host.port1), {
      hieSend: async () => {
        throw new PortError('TRANSPORT_offline');
      },
      anchorRead: async () => null,
      anchorExtend: async () => {
        throw new PortError('HOST_FAILED');
      },
      eraseDeviceSecrets: async () => null,
      eraseLocalData: async () => null,
    });
    const port = webPort(calls.port2);
    const client = createPortClient(dataContract, port);
    return {
      port,
      client,
      close: () => [calls.port1, calls.port2, host.port1, host.port2].forEach((p) => p.close()),
    };
  }

  it('refuses calls off the contract (unknown method, a ref that is not one, extra fields) without touching the replica', async () => {
    const side = bare();
    const answers: unknown[] = [];
    side.port.addEventListener('message', (event) => answers.push(event.data));
    side.port.postMessage({ kind: 'call', id: 1, method: 'eval', request: { code: '1' } });
    side.port.postMessage({ kind: 'call', id: 2, method: 'getResource', request: { ref: '../../etc/passwd' } });
    side.port.postMessage({ kind: 'call', id: 3, method: 'resourcesOfType', request: { type: 'Patient', selector: { $where: '1' } } });
    await vi.waitFor(() => expect(answers).toHaveLength(3));
    expect(answers).toEqual([1, 2, 3].map((id) => ({ kind: 'answer', id, ok: false, code: 'BAD_REQUEST' })));
    side.close();
  });

  it('answers NOT_OPEN before open and after close (the keys are gone with the replica), and ALREADY_OPEN to a second open', async () => {
    const side = bare();
    await expect(side.client.call('getResource', { ref: 'Patient/p1' })).rejects.toEqual(new PortError('NOT_OPEN'));
    const { vault, entry } = await vaultAndEntry();
    const request = { vault: { replicaKey: vault.replicaKey, indexKey: vault.indexKey }, replicaName: entry.replicaName, owner, initialSyncDone: false, lastSyncAt: null, online: false };
    const first = await side.client.call('open', request);
    expect(first.auditIntegrity).toMatchObject({ intact: true });
    await expect(side.client.call('open', request)).rejects.toMatchObject({ code: 'ALREADY_OPEN' });
    expect(await side.client.call('getResource', { ref: 'Patient/p1' })).toBeNull();
    await side.client.call('close', {});
    await expect(side.client.call('getResource', { ref: 'Patient/p1' })).rejects.toMatchObject({ code: 'NOT_OPEN' });
    side.close();
  });

  it('a vault key that is not a CryptoKey (its raw bytes, say) is refused at the port', async () => {
    const side = bare();
    const { entry } = await vaultAndEntry();
    const bytes = new Uint8Array(32);
    await expect(
      side.client.call('open', { vault: { replicaKey: bytes as never, indexKey: bytes as never }, replicaName: entry.replicaName, owner, initialSyncDone: false, lastSyncAt: null, online: false }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    side.close();
  });
});
