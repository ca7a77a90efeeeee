/**
 * `startSandbox`: the HIE sandbox in this process — FHIR server at `/fhir`, OpenID provider at
 * `/oidc`, and in test mode the control API at `/_test` — seeded with synthetic patients,
 * listening on loopback. The CLI and the tests both start it through here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirRouter } from '@medplum/fhir-router';
import { AccountDirectory } from './auth/accounts.ts';
import { createAccessTokenVerifier } from './auth/access-token.ts';
import { createIdentityProvider, isLoopbackOrigin, type IdentityProvider } from './auth/identity-provider.ts';
import { RevocationList } from './auth/revocations.ts';
import { createPopulation, type DemoPractitioner, type PopulationOptions } from './data/population.ts';
import { capabilityStatement, servedResourceTypes } from './fhir/capability.ts';
import { loadFhirDefinitions } from './fhir/definitions.ts';
import { createFhirServer } from './fhir/fhir-server.ts';
import { SnapshotCache } from './fhir/paging.ts';
import { SandboxRepository } from './fhir/repository.ts';
import { sendJson } from './http-io.ts';
import { createLogger } from './log.ts';
import { resolveOptions, type SandboxOptions } from './options.ts';
import { DataDirectory } from './persistence.ts';
import { loadPopulation } from './seed.ts';
import { FixtureError, fixtureSpanMs, loadFixtures, prepareFixtures } from './fixtures.ts';
import { createControlApi } from './test-mode/control-api.ts';
import { breakTheGlass, EmergencyGrants } from './access/emergency-access.ts';
import { currentPrincipal, runAs, systemPrincipal } from './access/principal.ts';
import { FhirRequestError } from './fhir/reply.ts';
import { FaultController } from './test-mode/faults.ts';

export type { SandboxOptions } from './options.ts';
export type { DemoPractitioner } from './data/population.ts';

export type Sandbox = Readonly<{
  /** http://127.0.0.1:<port> */
  url: string;
  /** <url>/fhir */
  fhirBase: string;
  /** <url>/oidc — the OpenID issuer */
  issuer: string;
  /** The demo logins and the patients each one sees at start. */
  practitioners: readonly DemoPractitioner[];
  /** Resources loaded at start (seed plus replayed journal). */
  resourceCount: number;
  testMode: boolean;
  /** The repository itself, for benchmarks and white-box checks (not part of the HTTP contract). */
  repository: SandboxRepository;
  close(): Promise<void>;
}>;

const log = createLogger('sandbox');

const corsHeaders = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match, If-None-Match, If-None-Exist, Prefer',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Location, Retry-After, WWW-Authenticate',
  'Access-Control-Max-Age': '600',
};

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const startedMs = Date.now();
  const resolved = resolveOptions(options);
  loadFhirDefinitions();

  const requestedPopulation: PopulationOptions = {
    seed: resolved.seed,
    patients: resolved.patients,
    resourcesPerPatient: resolved.resourcesPerPatient,
    practitioners: resolved.practitioners,
    adversarial: resolved.adversarial,
    referenceDate: resolved.referenceDate,
    ...(resolved.twinOf === undefined ? {} : { twinOf: resolved.twinOf }),
  };
  const dataDirectory = resolved.dataDir ? new DataDirectory(resolved.dataDir) : undefined;
  const state = dataDirectory?.open(requestedPopulation, startedMs) ?? { epochMs: startedMs, population: requestedPopulation };
  const population = createPopulation(state.population);

  const repo = new SandboxRepository({ validateWrites: resolved.validateWrites });
  const router = new FhirRouter();
  const snapshots = new SnapshotCache();
  // Fixtures are read (and refused, with the file and the reason) before anything listens.
  const fixtures = resolved.fixtures === undefined ? [] : prepareFixtures(resolved.fixtures);
  const fixtureMs = fixtures.length === 0 ? 0 : fixtureSpanMs(fixtures);
  const panelGroupId = population.panelGroupIds[resolved.fixturesPanel - 1];
  if (fixtures.length > 0 && panelGroupId === undefined) throw new FixtureError(resolved.fixtures ?? '', `there is no practitioner ${resolved.fixturesPanel} to give the fixture patients to`);
  /** The generated data, then the fixtures (stamped after it), in the order the change log needs. */
  const loadData = async (fhirBase: string): Promise<number> => {
    let count = await loadPopulation(repo, population, state.epochMs - fixtureMs);
    if (fixtures.length > 0) count += (await loadFixtures(repo, fixtures, { fhirBase, firstMs: state.epochMs - fixtureMs, panelGroupId })).resources;
    return count;
  };

  // The server must listen before the issuer URL (with its port) is known; requests that arrive
  // before the routes are in place get a 503.
  const routes: { handle?: (request: IncomingMessage, response: ServerResponse) => Promise<void> } = {};
  const server = createServer((request, response) => {
    const handler = routes.handle;
    if (!handler) {
      sendJson(response, 503, { error: 'starting' });
      return;
    }
    handler(request, response).catch((error: unknown) => {
      log.error('unhandled request error', { error: String(error) });
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${resolved.host}:${address.port}`;
  const fhirBase = `${origin}/fhir`;
  let resourceCount = await loadData(fhirBase);
  if (dataDirectory) {
    resourceCount += await dataDirectory.replay(repo);
    dataDirectory.record(repo);
  }

  const accounts = new AccountDirectory(population.practitioners.map((p) => ({
    practitionerId: p.id, name: p.name, username: p.username, password: p.password,
  })));
  const revocations = new RevocationList();
  /** Practitioners whose access the HIE revoked with a wipe order (test mode: POST /_test/wipe). */
  const wiped = new Set<string>();
  const grants = new EmergencyGrants();
  const identity: IdentityProvider = await createIdentityProvider({
    origin,
    fhirBase,
    accounts,
    revocations,
    accessTokenTtlSeconds: resolved.accessTokenTtlSeconds,
    resourceTypes: servedResourceTypes(),
    ...(resolved.redirectUris ? { redirectUris: resolved.redirectUris } : {}),
  });
  const verify = createAccessTokenVerifier({ issuer: identity.issuer, audience: fhirBase, keys: identity.keys, revocations });
  const faults = new FaultController();
  const startedAt = new Date(startedMs).toISOString();
  const urls = {
    base: fhirBase,
    authorize: `${identity.issuer}/auth`,
    token: `${identity.issuer}/token`,
    revoke: `${identity.issuer}/token/revocation`,
    smartConfiguration: `${fhirBase}/.well-known/smart-configuration`,
  };
  let capability: ReturnType<typeof capabilityStatement> | undefined;
  const fhir = createFhirServer({
    base: fhirBase,
    repo,
    router,
    snapshots,
    capability: () => (capability ??= capabilityStatement(urls, startedAt)),
    smartConfiguration: () => identity.smartConfiguration(),
    authenticate: async (authorization) => {
      const check = await verify(authorization);
      if (!check.ok) return check;
      const { practitionerId, scopes } = check.token;
      if (wiped.has(practitionerId)) return { ok: false, description: 'Access revoked: this device must erase its copy of the records', wipe: true };
      // The panel is read on every request: moving a patient out takes effect immediately.
      const patients = repo.index.patientsOf(practitionerId);
      for (const granted of grants.activeFor(practitionerId)) patients.add(granted);
      return { ok: true, principal: { kind: 'practitioner', practitionerId, scopes, patients } };
    },
    ...(resolved.testMode ? { faults } : {}),
    breakTheGlass: async (body) => {
      const principal = currentPrincipal();
      if (principal.kind !== 'practitioner') throw new FhirRequestError(403, 'forbidden', 'Only a practitioner may break the glass');
      return runAs(systemPrincipal, () => breakTheGlass(repo, grants, principal.practitionerId, body, 60));
    },
  });
  const control = resolved.testMode
    ? createControlApi({
        repo,
        accounts,
        identity,
        faults,
        wipe: (practitionerId: string) => wiped.add(practitionerId),
        expireEmergencyAccess: (practitionerId?: string) => grants.expireAll(practitionerId),
        reset: async () => {
          wiped.clear();
          grants.expireAll();
          dataDirectory?.pause();
          dataDirectory?.truncate();
          repo.reset();
          snapshots.clear();
          await loadData(fhirBase);
          dataDirectory?.resume();
        },
      })
    : undefined;

  routes.handle = async (request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const { pathname } = url;
    const requestOrigin = request.headers.origin;
    if (typeof requestOrigin === 'string' && isLoopbackOrigin(requestOrigin) && (pathname === '/fhir' || pathname.startsWith('/fhir/'))) {
      // The web host (dev/test builds of the renderer) calls the FHIR API from another loopback origin.
      response.setHeader('Access-Control-Allow-Origin', requestOrigin);
      response.setHeader('Vary', 'Origin');
      if (request.method === 'OPTIONS') {
        response.writeHead(204, corsHeaders);
        response.end();
        return;
      }
      response.setHeader('Access-Control-Expose-Headers', corsHeaders['Access-Control-Expose-Headers']);
    }
    if (pathname === '/fhir' || pathname.startsWith('/fhir/')) {
      await fhir(request, response, pathname.slice('/fhir'.length), url.search.slice(1));
    } else if (pathname === '/oidc' || pathname.startsWith('/oidc/')) {
      await identity.handle(request, response, pathname);
    } else if (control && (pathname === '/_test' || pathname.startsWith('/_test/'))) {
      await control(request, response, pathname);
    } else if (pathname === '/' && request.method === 'GET') {
      sendJson(response, 200, { fhirBase, issuer: identity.issuer, smartConfiguration: urls.smartConfiguration, testMode: resolved.testMode });
    } else {
      sendJson(response, 404, { error: 'not found' });
    }
  };

  log.info('sandbox ready', { url: origin, resources: resourceCount, ms: Date.now() - startedMs });
  return {
    url: origin,
    fhirBase,
    issuer: identity.issuer,
    practitioners: population.practitioners,
    resourceCount,
    testMode: resolved.testMode,
    repository: repo,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
