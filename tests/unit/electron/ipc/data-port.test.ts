import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { hostContract } from '../../../../shared/ipc/host-contract';
import { createPortClient } from '../../../../shared/ipc/port-rpc';
import { CodedError } from '../../../../electron/ipc/coded-error';
import { serveDataPort, type MessagePortMainLike, type PortHandlers } from '../../../../electron/ipc/data-port';
import type { Logger } from '../../../../electron/log/logger';
import { webPort } from '../../../support/web-port';

/**
 * Main's end of a data worker's port (Electron's MessagePortMain, played here by Node's
 * MessagePort in its shape): the host contract served with the IPC channels' own handlers, their
 * codes turned into the contract's, nothing of an exception's text crossing or logged.
 */
const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

/** Node's MessagePort in MessagePortMain's shape: message events are `{ data }` objects. */
function mainShaped(port: MessagePort): MessagePortMainLike {
  const wrapped = new Map<(event: { data: unknown }) => void, (data: unknown) => void>();
  return {
    on: (_event, listener) => {
      const fn = (data: unknown): void => listener({ data });
      wrapped.set(listener, fn);
      return port.on('message', fn);
    },
    off: (_event, listener) => port.off('message', wrapped.get(listener) ?? (() => undefined)),
    postMessage: (message) => port.postMessage(message),
    start: () => port.start(),
  };
}

function setup(handlers: Partial<PortHandlers>) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const lines: string[] = [];
  const push = (message: string, fields?: object): void => void lines.push(JSON.stringify({ message, ...fields }));
  const log: Logger = { info: push, warn: push, error: push };
  const unused = async (): Promise<never> => {
    throw new Error('not used here');
  };
  serveDataPort(
    mainShaped(port1),
    { hieText: unused, getAuditAnchor: unused, anchorAudit: unused, eraseDeviceSecrets: unused, eraseLocalData: unused, ...handlers },
    log,
  );
  const worker = webPort(port2);
  return { worker, client: createPortClient(hostContract, worker), lines };
}

describe('main’s end of the data worker’s port', () => {
  it('answers an HIE request with main’s transport answer as text, for the worker to parse', async () => {
    const { client } = setup({ hieText: async (request) => ({ status: 200, headers: { etag: 'W/"1"' }, text: `{"resourceType":"Bundle","total":${request.target.length}}` }) });
    expect(await client.call('hieSend', { method: 'GET', target: 'Patient?_count=1' })).toEqual({ status: 200, headers: { etag: 'W/"1"' }, text: '{"resourceType":"Bundle","total":16}' });
    const empty = setup({ hieText: async () => ({ status: 204, headers: {}, text: '' }) });
    expect(await empty.client.call('hieSend', { method: 'DELETE', target: 'Observation/o1' })).toEqual({ status: 204, headers: {}, text: '' });
  });

  it('keeps what a failed request means: refused, not configured, offline, an anchor refused', async () => {
    const failing = (code: ConstructorParameters<typeof CodedError>[0]) => async (): Promise<never> => {
      throw new CodedError(code);
    };
    for (const [code, expected] of [
      ['HIE_REFUSED', 'TRANSPORT_refused'],
      ['HIE_NOT_CONFIGURED', 'TRANSPORT_not-configured'],
      ['HIE_OFFLINE', 'TRANSPORT_offline'],
      ['HIE_TIMEOUT', 'TRANSPORT_timeout'],
    ] as const) {
      const { client } = setup({ hieText: failing(code) });
      await expect(client.call('hieSend', { method: 'GET', target: 'metadata' })).rejects.toMatchObject({ code: expected });
    }
    const { client } = setup({ anchorAudit: failing('AUDIT_ANCHOR_REFUSED') });
    const link = { seq: 1, previous: '0'.repeat(64), hash: 'a'.repeat(64), event: { resourceType: 'AuditEvent' } };
    await expect(client.call('anchorExtend', { replica: 'relais-0123456789abcdef', links: [link] })).rejects.toMatchObject({ code: 'AUDIT_ANCHOR_REFUSED' });
  });

  it('a handler’s exception crosses as HOST_FAILED, its text neither sent nor logged', async () => {
    const { worker, lines } = setup({
      hieText: async () => {
        throw new Error('DUPONT Marie, né le 12/03/1950');
      },
    });
    const seen: unknown[] = [];
    worker.addEventListener('message', (event) => seen.push(event.data));
    const client = createPortClient(hostContract, worker);
    await expect(client.call('hieSend', { method: 'GET', target: 'Patient/p1' })).rejects.toMatchObject({ code: 'HOST_FAILED' });
    expect(JSON.stringify(seen)).not.toContain('DUPONT');
    expect(lines.join('\n')).not.toContain('DUPONT');
  });

  it('refuses what is off the contract (an IPC channel that is not a port method, a bad target) before any handler runs, logging a code only', async () => {
    let ran = 0;
    const { worker, lines } = setup({
      hieText: async () => {
        ran += 1;
        return { status: 200, headers: {}, text: '' };
      },
    });
    const answers: unknown[] = [];
    worker.addEventListener('message', (event) => answers.push(event.data));
    worker.postMessage({ kind: 'call', id: 1, method: 'deriveVaultKey', request: {} });
    worker.postMessage({ kind: 'call', id: 2, method: 'hieSend', request: { method: 'PATCH', target: 'Patient/p1' } });
    await expect.poll(() => answers.length).toBe(2);
    expect(answers).toEqual([1, 2].map((id) => ({ kind: 'answer', id, ok: false, code: 'BAD_REQUEST' })));
    expect(ran).toBe(0);
    expect(lines.every((line) => line.includes('BAD_REQUEST') && !line.includes('Patient/p1'))).toBe(true);
  });
});
