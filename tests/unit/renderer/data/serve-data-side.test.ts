import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../../shared/hie/transport';
import { PortError } from '../../../../shared/ipc/port-rpc';
import { transportOver } from '../../../../renderer/data/host-transport';

/** The worker's transport over the host port: what a failed request meant survives the crossing, and a fault stays a fault. */
describe('the data worker’s HIE transport (transportOver)', () => {
  const failingWith = (code: string) =>
    transportOver(async () => {
      throw new PortError(code);
    });

  it('passes the host’s answer through, its text parsed here in the worker (empty or not JSON: no body)', async () => {
    const answering = (text: string) => transportOver(async () => ({ status: 412, headers: { etag: 'W/"2"' }, text }));
    expect(await answering('').send({ method: 'PUT', target: 'Observation/o1' })).toEqual({ status: 412, headers: { etag: 'W/"2"' }, body: null });
    expect(await answering('{"resourceType":"OperationOutcome"}').send({ method: 'PUT', target: 'Observation/o1' })).toEqual({ status: 412, headers: { etag: 'W/"2"' }, body: { resourceType: 'OperationOutcome' } });
    expect(await answering('<html>proxy error</html>').send({ method: 'PUT', target: 'Observation/o1' })).toEqual({ status: 412, headers: { etag: 'W/"2"' }, body: null });
  });

  it('turns each TRANSPORT_<kind> back into that TransportError', async () => {
    for (const kind of ['offline', 'timeout', 'aborted', 'refused', 'not-configured'] as const) {
      await expect(failingWith(`TRANSPORT_${kind}`).send({ method: 'GET', target: 'metadata' })).rejects.toEqual(new TransportError(kind));
    }
  });

  it('a host that is gone (closed port, no answer in time) is offline; anything else is a fault, never "offline"', async () => {
    await expect(failingWith('PORT_CLOSED').send({ method: 'GET', target: 'metadata' })).rejects.toEqual(new TransportError('offline'));
    await expect(failingWith('TIMEOUT').send({ method: 'GET', target: 'metadata' })).rejects.toEqual(new TransportError('offline'));
    for (const code of ['BAD_REQUEST', 'BAD_RESPONSE', 'HOST_FAILED']) {
      const failure = failingWith(code).send({ method: 'GET', target: 'metadata' });
      await expect(failure).rejects.toBeInstanceOf(PortError);
      await expect(failure).rejects.toMatchObject({ code });
    }
  });
});
