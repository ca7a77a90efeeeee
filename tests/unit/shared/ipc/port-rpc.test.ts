import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPortClient, PortError, servePort, type PortLike } from '../../../../shared/ipc/port-rpc';
import { webPort } from '../../../support/web-port';

/**
 * The UI ↔ data-worker protocol over a real MessageChannel (structured clone, asynchronous
 * delivery): each rule of the contract, attacked from the side that must enforce it.
 */
const contract = {
  methods: {
    read: { request: z.object({ ref: z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/) }).strict(), response: z.object({ family: z.string() }).strict() },
    fail: { request: z.object({ how: z.enum(['coded', 'uncoded', 'foreign-code', 'bad-answer']) }).strict(), response: z.null() },
  },
  events: { status: z.object({ phase: z.enum(['idle', 'pull']), received: z.number().int().nonnegative() }).strict() },
  codes: ['NOT_FOUND', 'LOCKED'],
} as const;

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** Node's MessagePort as the web's: message events carry `data`. */
function pair(): { ui: PortLike & { raw: MessagePort }; worker: PortLike & { raw: MessagePort }; seenByUi: unknown[] } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const seenByUi: unknown[] = [];
  port1.on('message', (data: unknown) => seenByUi.push(data));
  return { ui: { ...webPort(port1), raw: port1 }, worker: { ...webPort(port2), raw: port2 }, seenByUi };
}

const families = new Map([['Patient/p1', 'Dupont']]);
function serve(worker: PortLike, problems: string[] = []) {
  return servePort(
    contract,
    worker,
    {
      read: async ({ ref }) => {
        const family = families.get(ref);
        if (family === undefined) throw new PortError('NOT_FOUND');
        return { family };
      },
      fail: async ({ how }) => {
        if (how === 'coded') throw new PortError('LOCKED');
        if (how === 'foreign-code') throw new PortError('DROP_TABLES');
        if (how === 'bad-answer') return { family: 'Dupont' } as unknown as null;
        throw new Error('cannot decrypt Observation/o1 of Patient/p1 (Dupont, Jeanne)');
      },
    },
    (code, method) => problems.push(`${code} ${method ?? '-'}`),
  );
}

describe('port protocol (UI ↔ data worker)', () => {
  it('answers a call with the value its schema allows', async () => {
    const { ui, worker } = pair();
    serve(worker);
    const client = createPortClient(contract, ui);
    await expect(client.call('read', { ref: 'Patient/p1' })).resolves.toEqual({ family: 'Dupont' });
    await expect(client.call('read', { ref: 'Patient/p2' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a failure crosses as its code only: no message, no stack, no patient data', async () => {
    const { ui, worker, seenByUi } = pair();
    const problems: string[] = [];
    serve(worker, problems);
    const client = createPortClient(contract, ui);
    await expect(client.call('fail', { how: 'uncoded' })).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(client.call('fail', { how: 'coded' })).rejects.toMatchObject({ code: 'LOCKED' });
    // A code the contract does not declare is not passed on as if it were one.
    await expect(client.call('fail', { how: 'foreign-code' })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(JSON.stringify(seenByUi)).not.toMatch(/Dupont|Jeanne|Observation|decrypt|stack|DROP_TABLES/);
    expect(problems).toEqual(['INTERNAL fail', 'INTERNAL fail']);
  });

  it('the serving side refuses a request off the contract, even one the client did not send', async () => {
    const { ui, worker, seenByUi } = pair();
    const problems: string[] = [];
    serve(worker, problems);
    const forged: unknown[] = [
      { kind: 'call', id: 1, method: 'read', request: { ref: '../../etc' } },
      { kind: 'call', id: 2, method: 'read', request: { ref: 'Patient/p1', extra: true } },
      { kind: 'call', id: 3, method: 'drop', request: {} },
      { kind: 'call', id: 4, method: 'constructor', request: {} },
      { kind: 'call', id: 5, method: 'toString', request: {} },
    ];
    for (const message of forged) ui.postMessage(message);
    ui.postMessage({ kind: 'call', id: -1, method: 'read' }); // not even a call: no answer
    await expect.poll(() => seenByUi.length).toBe(5);
    expect(seenByUi).toEqual([1, 2, 3, 4, 5].map((id) => ({ kind: 'answer', id, ok: false, code: 'BAD_REQUEST' })));
    expect(problems).toHaveLength(6);
    // The client refuses to send one in the first place.
    const client = createPortClient(contract, ui);
    await expect(client.call('read', { ref: 'no slash' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('the serving side never sends an answer off its own contract', async () => {
    const { ui, worker, seenByUi } = pair();
    serve(worker);
    const client = createPortClient(contract, ui);
    await expect(client.call('fail', { how: 'bad-answer' })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(JSON.stringify(seenByUi)).not.toContain('Dupont');
  });

  it('the calling side refuses an answer or an event off the contract (a confused or compromised worker)', async () => {
    const { ui, worker } = pair();
    const problems: string[] = [];
    const client = createPortClient(contract, ui, { onProblem: (code, name) => problems.push(`${code} ${name ?? '-'}`) });
    worker.addEventListener('message', ({ data }) => {
      const { id } = data as { id: number };
      worker.postMessage({ kind: 'answer', id, ok: true, value: { family: 42 } });
    });
    await expect(client.call('read', { ref: 'Patient/p1' })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    const seen: unknown[] = [];
    client.on('status', (payload) => seen.push(payload));
    worker.postMessage({ kind: 'event', name: 'status', payload: { phase: 'exfiltrate', received: 1 } });
    worker.postMessage({ kind: 'event', name: 'nothing', payload: {} });
    worker.postMessage({ kind: 'event', name: 'status', payload: { phase: 'pull', received: 3 } });
    await expect.poll(() => seen).toEqual([{ phase: 'pull', received: 3 }]);
    expect(problems).toEqual(['BAD_RESPONSE read', 'BAD_RESPONSE status', 'BAD_RESPONSE -']);
  });

  it('events reach every listener until it unsubscribes; the worker cannot emit off the contract', async () => {
    const { ui, worker } = pair();
    const server = serve(worker);
    const client = createPortClient(contract, ui);
    const seen: number[] = [];
    const stop = client.on('status', ({ received }) => seen.push(received));
    server.emit('status', { phase: 'pull', received: 1 });
    await expect.poll(() => seen).toEqual([1]);
    stop();
    server.emit('status', { phase: 'idle', received: 2 });
    await client.call('read', { ref: 'Patient/p1' }); // after the event, in order
    expect(seen).toEqual([1]);
    expect(() => server.emit('status', { phase: 'pull', received: -1 })).toThrow(PortError);
  });

  it('a worker that dies fails every waiting call with a code, and later calls at once', async () => {
    const { ui } = pair(); // nothing serves: the worker "died"
    const client = createPortClient(contract, ui);
    const waiting = client.call('read', { ref: 'Patient/p1' });
    client.fail('PORT_CLOSED');
    await expect(waiting).rejects.toMatchObject({ code: 'PORT_CLOSED' });
    await expect(client.call('read', { ref: 'Patient/p1' })).rejects.toMatchObject({ code: 'PORT_CLOSED' });
  });

  it('a call with no answer in time fails with TIMEOUT', async () => {
    const { ui } = pair();
    const client = createPortClient(contract, ui, { timeoutMs: 50 });
    await expect(client.call('read', { ref: 'Patient/p1' })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('a value structured clone refuses fails its call at once (BAD_REQUEST going out, INTERNAL coming back), and nothing is left waiting', async () => {
    const loose = { methods: { echo: { request: z.object({ value: z.unknown() }).strict(), response: z.unknown() } }, events: {}, codes: [] } as const;
    const { ui, worker } = pair();
    const problems: string[] = [];
    servePort(loose, worker, { echo: async ({ value }) => (value === 'proxy' ? { back: () => 'not cloneable' } : value) }, (code, method) => problems.push(`${code} ${method ?? ''}`));
    const client = createPortClient(loose, ui);
    // A function (as an RxDB proxy would be) cannot leave: the call fails without reaching the other side.
    await expect(client.call('echo', { value: { run: () => 1 } })).rejects.toEqual(new PortError('BAD_REQUEST'));
    // An answer that cannot be posted is replaced by INTERNAL, and the server says so.
    await expect(client.call('echo', { value: 'proxy' })).rejects.toEqual(new PortError('INTERNAL'));
    expect(problems).toEqual(['INTERNAL echo']);
    // The port still works after both.
    expect(await client.call('echo', { value: { plain: [1, 2] } })).toEqual({ plain: [1, 2] });
  });
});
