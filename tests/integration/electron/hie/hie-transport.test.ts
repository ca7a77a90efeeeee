/** main's HIE transport against a real HTTP server on loopback. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedFhirBase } from '../../../../electron/hie/hie-origin';
import { createHieTransport, type TokenSource } from '../../../../electron/hie/hie-transport';
import type { Logger } from '../../../../electron/log/logger';

type Seen = { url: string; method: string; headers: IncomingMessage['headers'] };
const seen: Seen[] = [];
let server: Server;
let origin = '';
const log: Logger = { info: () => {}, warn: () => {}, error: () => {} };

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers });
  const path = req.url ?? '';
  if (path.startsWith('/fhir/Patient/p1')) {
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Patient', id: 'p1' }));
  } else if (path.startsWith('/fhir/Protected')) {
    const ok = req.headers.authorization === 'Bearer fresh';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
  } else if (path.startsWith('/fhir/Huge')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: 'x'.repeat(300_000) }));
  } else if (path.startsWith('/fhir/Slow')) {
    setTimeout(() => res.writeHead(200).end('{}'), 2_000);
  } else if (path.startsWith('/fhir/Redirect')) {
    res.writeHead(302, { location: 'https://evil.example/fhir/Patient' }).end();
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const tokens = (initial: string | null, refreshed: string | null = null): TokenSource & { refreshes: number } => {
  let token = initial;
  const source = {
    refreshes: 0,
    accessToken: () => token,
    refresh: async () => {
      source.refreshes += 1;
      if (refreshed === null) return false;
      token = refreshed;
      return true;
    },
  };
  return source;
};

describe('HIE base address', () => {
  it('requires https, except on loopback', () => {
    expect(checkedFhirBase('https://hie.example.fr/fhir').href).toBe('https://hie.example.fr/fhir/');
    expect(checkedFhirBase('http://127.0.0.1:8103/fhir/').href).toBe('http://127.0.0.1:8103/fhir/');
    expect(checkedFhirBase('http://localhost:8103/fhir').href).toBe('http://localhost:8103/fhir/');
    for (const bad of ['http://hie.example.fr/fhir', 'http://127.0.0.1.evil.example/fhir', 'ftp://hie/fhir', 'https://u:p@hie.example.fr/fhir', 'https://hie.example.fr/fhir?x=1', 'nonsense']) {
      expect(() => checkedFhirBase(bad), bad).toThrow(expect.objectContaining({ code: 'HIE_URL_REFUSED' }));
    }
  });
});

describe('HIE transport', () => {
  it('attaches main’s token and ignores any Authorization or cookie the page tries to set', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('main-token'), log });
    const response = await transport.send({ method: 'GET', target: 'Patient/p1', headers: { Authorization: 'Bearer stolen', cookie: 'x=1', 'if-match': 'W/"1"' } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ resourceType: 'Patient', id: 'p1' });
    const last = seen.at(-1);
    expect(last?.headers.authorization).toBe('Bearer main-token');
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers['if-match']).toBe('W/"1"');
  });

  it('refuses a next link to another origin, and a path outside the FHIR base', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('t'), log });
    const before = seen.length;
    for (const target of ['https://evil.example/fhir/Patient', `${origin.replace('127.0.0.1', 'localhost')}/fhir/Patient`, '../admin', `${origin}/other/Patient`, '//evil.example/fhir/x']) {
      await expect(transport.send({ method: 'GET', target }), target).rejects.toMatchObject({ kind: 'refused' });
    }
    expect(seen.length).toBe(before);
  });

  it('sends only the operations the sync needs: no encoded slash or dot, no conditional write across a type, no other operation', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('t'), log });
    const before = seen.length;
    const refused: Array<{ method: 'GET' | 'PUT' | 'POST' | 'DELETE'; target: string; body?: unknown }> = [
      { method: 'GET', target: 'Patient%2F..%2F..%2Foauth%2Ftoken' },
      { method: 'GET', target: 'Patient/p1%2F_history' },
      { method: 'GET', target: 'Patient/%2e%2e/admin' },
      { method: 'GET', target: 'Patient\\..\\admin' },
      { method: 'DELETE', target: 'Observation?code=8480-6' },
      { method: 'PUT', target: 'Patient?identifier=123' },
      { method: 'POST', target: 'Patient/_search', body: {} },
      { method: 'POST', target: '$process-message', body: {} },
      { method: 'GET', target: 'Patient/$export' },
      { method: 'POST', target: '', body: { resourceType: 'Bundle', type: 'collection' } },
      { method: 'DELETE', target: 'Patient' },
      { method: 'PUT', target: 'Patient/p1?_cascade=delete', body: {} },
    ];
    for (const request of refused) {
      await expect(transport.send(request), `${request.method} ${request.target}`).rejects.toMatchObject({ kind: 'refused' });
    }
    expect(seen.length).toBe(before);
    // The engine's own shapes still pass.
    for (const request of [
      { method: 'GET' as const, target: 'metadata' },
      { method: 'GET' as const, target: 'Observation?_sort=_lastUpdated&_count=50' },
      { method: 'GET' as const, target: 'Patient/p1' },
      { method: 'GET' as const, target: '_history?_since=2026-01-01T00:00:00Z&_count=50' },
      { method: 'GET' as const, target: 'Patient/p1/$everything?_count=50' },
      { method: 'PUT' as const, target: 'Observation/o1', body: {} },
      { method: 'DELETE' as const, target: 'Observation/o1' },
      { method: 'POST' as const, target: '', body: { resourceType: 'Bundle', type: 'transaction' } },
      { method: 'POST' as const, target: 'Patient/$break-the-glass', body: {} },
      { method: 'POST' as const, target: 'AuditEvent', body: {} },
    ]) {
      expect((await transport.send(request)).status, `${request.method} ${request.target}`).toBeGreaterThanOrEqual(200);
    }
    expect(seen.length).toBe(before + 10);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const source = tokens('stale', 'fresh');
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: source, log });
    const response = await transport.send({ method: 'GET', target: 'Protected' });
    expect(response.status).toBe(200);
    expect(source.refreshes).toBe(1);
  });

  it('returns the 401 when refresh is impossible, so the page asks for sign-in', async () => {
    const source = tokens('stale', null);
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: source, log });
    expect((await transport.send({ method: 'GET', target: 'Protected' })).status).toBe(401);
    expect(source.refreshes).toBe(1);
  });

  it('refuses a response over the size limit', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('t'), log, maxResponseBytes: 100_000 });
    await expect(transport.send({ method: 'GET', target: 'Huge' })).rejects.toMatchObject({ kind: 'refused' });
  });

  it('gives up after the time limit', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('t'), log, timeoutMs: 300 });
    await expect(transport.send({ method: 'GET', target: 'Slow' })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('never follows a redirect', async () => {
    const transport = createHieTransport({ fhirBase: `${origin}/fhir`, tokens: tokens('t'), log });
    await expect(transport.send({ method: 'GET', target: 'Redirect' })).rejects.toMatchObject({ kind: 'refused' });
  });

  it('reports an unreachable HIE as offline', async () => {
    const transport = createHieTransport({ fhirBase: 'http://127.0.0.1:9/fhir', tokens: tokens('t'), log });
    await expect(transport.send({ method: 'GET', target: 'Patient' })).rejects.toMatchObject({ kind: 'offline' });
  });
});
