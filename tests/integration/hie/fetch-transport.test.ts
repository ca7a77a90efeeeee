/**
 * The one HIE transport (shared/hie/fetch-transport.ts) against a real HTTP server on loopback,
 * with the same attacks in both places it runs: in Node as main runs it (through electron/hie's
 * wrapper, which adds the log), and in real Chromium as the web host runs it (the page's own
 * fetch, where a manual redirect is an opaque response, not a 3xx).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedFhirBase } from '../../../shared/hie/fhir-base';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { parsedAnswer, type TransportRequest } from '../../../shared/hie/transport';
import { createHieTransport } from '../../../electron/hie/hie-transport';
import type { Logger } from '../../../electron/log/logger';
import { bundleForBrowser } from '../../browser/bundle.ts';
import { openHarnessPage, type HarnessPage } from '../../browser/harness-page.ts';
import { remote } from '../../browser/rpc.ts';
import type { FetchTransportPageApi } from './fetch-transport.page.ts';
import { sendThrough, type Outcome, type SendOptions } from './send-through';

type Seen = { url: string; method: string; headers: IncomingMessage['headers'] };
const seen: Seen[] = [];
let server: Server;
let origin = '';
let harness: HarnessPage;
const warnings: Array<Record<string, unknown> | undefined> = [];
const log: Logger = { info: () => {}, warn: (_message, fields) => void warnings.push(fields), error: () => {} };

const accented = JSON.stringify({ resourceType: 'Patient', id: 'p2', name: [{ family: 'Kerhervé', given: ['Zoë', 'Maëlys'] }] });

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
  } else if (path.startsWith('/fhir/Streamed')) {
    // No content-length: the cap must hold while reading.
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    for (let i = 0; i < 30; i += 1) res.write('x'.repeat(10_000));
    res.end();
  } else if (path.startsWith('/fhir/Accented')) {
    // UTF-8 with a two-byte letter cut between two chunks.
    const bytes = Buffer.from(accented, 'utf8');
    const cut = bytes.indexOf(0xc3) + 1;
    res.writeHead(200, { 'content-type': 'application/fhir+json', 'transfer-encoding': 'chunked' });
    res.write(bytes.subarray(0, cut));
    setTimeout(() => res.end(bytes.subarray(cut)), 20);
  } else if (path.startsWith('/fhir/Slow')) {
    setTimeout(() => res.writeHead(200).end('{}'), 2_000);
  } else if (path.startsWith('/fhir/Redirect')) {
    res.writeHead(302, { location: `${origin}/fhir/Patient/p1` }).end();
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  harness = await openHarnessPage({ origin, script: await bundleForBrowser('tests/integration/hie/fetch-transport.page.ts') });
}, 120_000); // bundling and a Chromium start: 10 s at worst with both cores loaded
afterAll(async () => {
  await harness.close();
  await new Promise<void>((r) => server.close(() => r()));
});

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

/** One request through the transport as `runtime` runs it, with a token (and the one a refresh gives). */
type Runtime = Readonly<{ name: string; send(options: SendOptions, request: TransportRequest): Promise<Outcome> }>;

const main: Runtime = {
  name: 'main (Node)',
  send: (options, request) => sendThrough((made) => createHieTransport({ ...made, log }), options, request),
};
const page: Runtime = { name: 'web host (Chromium)', send: (options, request) => remote<FetchTransportPageApi>(harness.page).call('send', options, request) };

const base = (): string => `${origin}/fhir`;
const errorOf = (outcome: Outcome): string | null => ('error' in outcome ? outcome.error : null);
const statusOf = (outcome: Outcome): number | null => ('status' in outcome ? outcome.status : null);

// Each runtime: a Chromium round trip per request, with both cores loaded.
describe.each([main, page])('HIE transport, $name', { timeout: 30_000 }, (runtime) => {
  it('attaches its own token and drops any Authorization or cookie the caller tries to set', async () => {
    const outcome = await runtime.send({ fhirBase: base(), token: 'main-token' }, { method: 'GET', target: 'Patient/p1', headers: { Authorization: 'Bearer stolen', cookie: 'x=1', 'if-match': 'W/"1"' } });
    expect(outcome).toMatchObject({ status: 200, body: { resourceType: 'Patient', id: 'p1' } });
    const last = seen.at(-1);
    expect(last?.headers.authorization).toBe('Bearer main-token');
    expect(last?.headers.cookie).toBeUndefined();
    expect(last?.headers['if-match']).toBe('W/"1"');
  });

  it('refuses a next link to another origin, and a path outside the FHIR base, before sending', async () => {
    const before = seen.length;
    for (const target of ['https://evil.example/fhir/Patient', `${origin.replace('127.0.0.1', 'localhost')}/fhir/Patient`, '../admin', `${origin}/other/Patient`, '//evil.example/fhir/x']) {
      expect(errorOf(await runtime.send({ fhirBase: base(), token: 't' }, { method: 'GET', target })), target).toBe('refused');
    }
    expect(seen.length).toBe(before);
  });

  it('sends only the operations the sync needs: no encoded slash or dot, no conditional write across a type, no other operation', async () => {
    const before = seen.length;
    const refused: TransportRequest[] = [
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
      expect(errorOf(await runtime.send({ fhirBase: base(), token: 't' }, request)), `${request.method} ${request.target}`).toBe('refused');
    }
    expect(seen.length).toBe(before);
    // The engine's own shapes still pass.
    const allowed: TransportRequest[] = [
      { method: 'GET', target: 'metadata' },
      { method: 'GET', target: 'Observation?_sort=_lastUpdated&_count=50' },
      { method: 'GET', target: 'Patient/p1' },
      { method: 'GET', target: '_history?_since=2026-01-01T00:00:00Z&_count=50' },
      { method: 'GET', target: 'Patient/p1/$everything?_count=50' },
      { method: 'PUT', target: 'Observation/o1', body: {} },
      { method: 'DELETE', target: 'Observation/o1' },
      { method: 'POST', target: '', body: { resourceType: 'Bundle', type: 'transaction' } },
      { method: 'POST', target: 'Patient/$break-the-glass', body: {} },
      { method: 'POST', target: 'AuditEvent', body: {} },
    ];
    for (const request of allowed) {
      expect(statusOf(await runtime.send({ fhirBase: base(), token: 't' }, request)), `${request.method} ${request.target}`).toBeGreaterThanOrEqual(200);
    }
    expect(seen.length).toBe(before + allowed.length);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    expect(await runtime.send({ fhirBase: base(), token: 'stale', refreshed: 'fresh' }, { method: 'GET', target: 'Protected' })).toMatchObject({ status: 200, refreshes: 1 });
  });

  it('returns the 401 when refresh is impossible, so the app asks for a sign-in', async () => {
    expect(await runtime.send({ fhirBase: base(), token: 'stale', refreshed: null }, { method: 'GET', target: 'Protected' })).toMatchObject({ status: 401, refreshes: 1 });
  });

  it('refuses an answer over the size limit, declared or streamed', async () => {
    for (const target of ['Huge', 'Streamed']) {
      expect(errorOf(await runtime.send({ fhirBase: base(), token: 't', maxResponseBytes: 100_000 }, { method: 'GET', target })), target).toBe('refused');
    }
  });

  it('gives up after the time limit', async () => {
    expect(errorOf(await runtime.send({ fhirBase: base(), token: 't', timeoutMs: 300 }, { method: 'GET', target: 'Slow' }))).toBe('timeout');
  });

  it('never follows a redirect, even to the HIE itself', async () => {
    const before = seen.length;
    expect(errorOf(await runtime.send({ fhirBase: base(), token: 't' }, { method: 'GET', target: 'Redirect' }))).toBe('refused');
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/fhir/Redirect']);
  });

  it('reports an unreachable HIE as offline', async () => {
    expect(errorOf(await runtime.send({ fhirBase: 'http://127.0.0.1:9/fhir', token: 't' }, { method: 'GET', target: 'Patient' }))).toBe('offline');
  });

  it('refuses a base that is not https (outside loopback) before anything is sent', async () => {
    const outcome = await runtime.send({ fhirBase: 'http://hie.example.fr/fhir', token: 't' }, { method: 'GET', target: 'Patient' }).catch((error: unknown) => ({ error: String(error), refreshes: 0 }));
    expect(errorOf(outcome)).toMatch(/HTTPS/);
  });
});

describe('the same request answered as text (what crosses to the data worker)', () => {
  const transport = (maxResponseBytes?: number) =>
    createFetchTransport({ fhirBase: base(), tokens: { accessToken: () => 't', refresh: async () => false }, fetch, ...(maxResponseBytes ? { maxResponseBytes } : {}) });

  it('gives the HIE’s text unparsed, where send gives it parsed (and no body for text that is not JSON)', async () => {
    expect(await transport().sendText({ method: 'GET', target: 'Patient/p1' })).toMatchObject({ status: 200, text: '{"resourceType":"Patient","id":"p1"}' });
    const streamed = await transport().sendText({ method: 'GET', target: 'Streamed' });
    expect(streamed.text).toBe('x'.repeat(300_000));
    expect((await transport().send({ method: 'GET', target: 'Streamed' })).body).toBeNull();
  });

  it('gives the bytes as they came, not decoded (the web host’s page), which parse to the same answer', async () => {
    const answer = await transport().sendBytes({ method: 'GET', target: 'Accented' });
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.bytes).equals(Buffer.from(accented, 'utf8'))).toBe(true);
    expect(parsedAnswer(answer).body).toEqual(JSON.parse(accented));
    expect((await transport().sendText({ method: 'GET', target: 'Accented' })).text).toBe(accented);
    expect((await transport().sendBytes({ method: 'GET', target: 'Streamed' })).bytes.byteLength).toBe(300_000);
    await expect(transport(100_000).sendBytes({ method: 'GET', target: 'Streamed' })).rejects.toMatchObject({ kind: 'refused' });
    await expect(transport().sendBytes({ method: 'GET', target: 'Redirect' })).rejects.toMatchObject({ kind: 'refused' });
  });

  it('keeps every limit of send: pinned to the base, size-capped, no redirect', async () => {
    await expect(transport().sendText({ method: 'GET', target: `http://127.0.0.1:9/fhir/Patient` })).rejects.toMatchObject({ kind: 'refused' });
    await expect(transport(100_000).sendText({ method: 'GET', target: 'Streamed' })).rejects.toMatchObject({ kind: 'refused' });
    await expect(transport().sendText({ method: 'GET', target: 'Redirect' })).rejects.toMatchObject({ kind: 'refused' });
  });
});

describe('main’s log of a refusal', () => {
  it('says why, never where', async () => {
    warnings.length = 0;
    await main.send({ fhirBase: base(), token: 't' }, { method: 'GET', target: 'https://evil.example/fhir/Patient?name=Dupont' });
    await main.send({ fhirBase: base(), token: 't' }, { method: 'GET', target: 'Redirect' });
    expect(warnings).toEqual([{ reason: 'outside-base' }, { reason: 'redirect' }]);
  });
});
