import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { FhirTransport, TransportRequest } from '../../../../shared/hie/transport';
import { hostContract } from '../../../../shared/ipc/host-contract';
import { createPortClient } from '../../../../shared/ipc/port-rpc';
import { serveHost, type HostServices } from '../../../../renderer/app/serve-host';
import { transportOver } from '../../../../renderer/data/host-transport';
import { webPort } from '../../../support/web-port';

/** The page serving a worker's HIE requests (the web host, or Electron's page when main offers no port). */
function served(transport: FhirTransport) {
  const channel = new MessageChannel();
  const host: HostServices = {
    fhirTransport: () => transport,
    auditAnchor: () => ({ read: async () => null, extend: async () => Promise.reject(new Error('unused')) }),
    eraseDeviceSecrets: async () => undefined,
    eraseLocalData: async () => undefined,
  };
  const stop = serveHost(host, webPort(channel.port1));
  const client = createPortClient(hostContract, webPort(channel.port2));
  return {
    client,
    close: () => {
      stop();
      channel.port1.close();
      channel.port2.close();
    },
  };
}

const get: TransportRequest = { method: 'GET', target: 'Observation?_count=2' };

describe('the page’s HIE service to a worker', () => {
  it('hands over the HIE’s text unparsed when its transport answers as text', async () => {
    const text = '{"resourceType":"Bundle","type":"searchset","entry":[]}';
    let parsed = 0;
    const { client, close } = served({
      send: async () => {
        parsed += 1;
        return { status: 200, headers: {}, body: JSON.parse(text) as unknown };
      },
      sendText: async () => ({ status: 200, headers: { etag: 'W/"3"' }, text }),
    });
    expect(await client.call('hieSend', get)).toEqual({ status: 200, headers: { etag: 'W/"3"' }, text });
    expect(parsed).toBe(0);
    close();
  });

  it('hands over the HIE’s bytes, not even decoded, when its transport has them (the web host), and the worker’s side parses them', async () => {
    const text = '{"resourceType":"Patient","id":"p1","name":[{"family":"Kerhervé"}]}';
    let decoded = 0;
    const { client, close } = served({
      send: async () => ({ status: 200, headers: {}, body: JSON.parse(text) as unknown }),
      sendText: async () => {
        decoded += 1;
        return { status: 200, headers: {}, text };
      },
      sendBytes: async () => ({ status: 200, headers: { etag: 'W/"4"' }, bytes: new TextEncoder().encode(text) }),
    });
    const answer = await client.call('hieSend', get);
    expect('bytes' in answer && new TextDecoder().decode(answer.bytes)).toBe(text);
    expect(decoded).toBe(0);
    const worker = transportOver((request) => client.call('hieSend', request));
    expect(await worker.send(get)).toEqual({ status: 200, headers: { etag: 'W/"4"' }, body: JSON.parse(text) });
    close();
    // Bytes that are not bytes are off the contract: the page does not send them (its side checks its answers too).
    const odd = served({ send: async () => ({ status: 200, headers: {}, body: null }), sendBytes: async () => ({ status: 200, headers: {}, bytes: [123, 125] as unknown as Uint8Array }) });
    await expect(odd.client.call('hieSend', get)).rejects.toMatchObject({ code: 'INTERNAL' });
    odd.close();
  });

  it('turns a parsed answer back into text when its transport only parses (Electron’s page, reaching main by IPC)', async () => {
    const { client, close } = served({ send: async () => ({ status: 201, headers: {}, body: { resourceType: 'Observation', id: 'o1' } }) });
    expect(await client.call('hieSend', get)).toEqual({ status: 201, headers: {}, text: '{"resourceType":"Observation","id":"o1"}' });
    close();
    const empty = served({ send: async () => ({ status: 204, headers: {}, body: null }) });
    expect(await empty.client.call('hieSend', get)).toEqual({ status: 204, headers: {}, text: '' });
    empty.close();
  });
});
