import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createWebSession, relaySourceCallback } from '../../../../renderer/host/web-session';
import { readOnlySourceScope } from '../../../../shared/exchange/source-policy';

const fhirBase = 'http://127.0.0.1:8787/fhir';
const issuer = 'http://127.0.0.1:8787/oidc';
const keys = await generateKeyPair('ES256');
const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256' }] };
/** The nonce of the sign-in in flight, read from the authorize URL the page went to. */
let currentNonce = '';
const idToken = (nonce = currentNonce, audience = 'relais-desktop'): Promise<string> =>
  new SignJWT({ fhirUser: 'Practitioner/doc', nonce }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setSubject('doc').setIssuedAt().setExpirationTime('1h').sign(keys.privateKey);

function storage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (k) => values.get(k) ?? null,
    key: (i) => [...values.keys()][i] ?? null,
    removeItem: (k) => void values.delete(k),
    setItem: (k, v) => void values.set(k, v),
  };
}

/** A page at `href`, with the parts of window the web session uses. */
function page(href: string) {
  const location = { href, origin: new URL(href).origin, assign: vi.fn((to: string) => void (location.href = to)) };
  const history = { replaceState: vi.fn((_s: unknown, _t: string, to: string) => void (location.href = new URL(to, location.href).href)) };
  return { location, history, sessionStorage: storage() } as unknown as Window & { location: typeof location; history: typeof history };
}

type Reply = (url: string, init: RequestInit | undefined) => Response | Promise<Response>;

function provider(tokens: Reply, fhir: Reply = () => new Response('{}')) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, init });
    if (url.endsWith('/.well-known/smart-configuration')) {
      return Response.json({ issuer, jwks_uri: `${issuer}/jwks`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, revocation_endpoint: `${issuer}/token/revocation` });
    }
    if (url.endsWith('/oidc/jwks')) return Response.json(jwks);
    if (url.endsWith('/oidc/token')) return tokens(url, init);
    return fhir(url, init);
  });
  return { fetchMock: fetchMock as unknown as typeof fetch, calls };
}

const granted = async (accessToken = 'at-1', refreshToken = 'rt-1', nonce?: string) =>
  Response.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken, id_token: await idToken(nonce) });

async function signedIn(tokens: Reply = () => granted(), fhir?: Reply) {
  const window = page('http://127.0.0.1:4179/');
  const { fetchMock, calls } = provider(tokens, fhir);
  const session = createWebSession({ fhirBase, window, crypto, fetch: fetchMock });
  void session.signIn();
  await vi.waitFor(() => expect(window.location.assign).toHaveBeenCalled());
  const state = new URL(window.location.href).searchParams.get('state') ?? '';
  currentNonce = new URL(window.location.href).searchParams.get('nonce') ?? '';
  window.location.href = `http://127.0.0.1:4179/callback?code=the-code&state=${state}&iss=x`;
  return { window, session, calls, result: await session.session() };
}

describe('web host session', () => {
  it('signs in with a redirect and back: the code and PKCE verifier are exchanged, the URL cleaned', async () => {
    const { window, calls, result } = await signedIn();
    expect(result).toEqual({ practitioner: 'Practitioner/doc', fhirBase });
    expect(window.location.href).toBe('http://127.0.0.1:4179/');
    const exchange = new URLSearchParams(String(calls.find((c) => c.url.endsWith('/oidc/token'))?.init?.body));
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('code')).toBe('the-code');
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.get('redirect_uri')).toBe('http://127.0.0.1:4179/callback');
  });

  it('refuses a callback whose state is not the one it sent', async () => {
    const window = page('http://127.0.0.1:4179/callback?code=c&state=forged');
    const { fetchMock } = provider(() => granted());
    const session = createWebSession({ fhirBase, window, crypto, fetch: fetchMock });
    await expect(session.session()).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
  });

  it('refuses an ID token minted for another sign-in (its nonce), even with the right state', async () => {
    await expect(signedIn(() => granted('at-1', 'rt-1', 'a-nonce-from-another-sign-in'))).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
  });

  it('keeps both tokens out of web storage (attack: read every key script of the origin can read)', async () => {
    const { window, session } = await signedIn();
    const everything = JSON.stringify(Array.from({ length: window.sessionStorage.length }, (_, i) => window.sessionStorage.getItem(window.sessionStorage.key(i) ?? '')));
    expect(everything).not.toContain('rt-1');
    expect(everything).not.toContain('at-1');
    expect(await session.session()).toEqual({ practitioner: 'Practitioner/doc', fhirBase });
  });

  it('a reload (a new page on the same storage) has no session: the clinician signs in again', async () => {
    const { window } = await signedIn();
    const reloaded = page('http://127.0.0.1:4179/');
    Object.assign(reloaded, { sessionStorage: window.sessionStorage });
    const { fetchMock } = provider(() => granted());
    expect(await createWebSession({ fhirBase, window: reloaded, crypto, fetch: fetchMock }).session()).toBeNull();
  });

  it('drops a refresh token an older build left in sessionStorage', () => {
    const window = page('http://127.0.0.1:4179/');
    window.sessionStorage.setItem('relais.web-host.session', JSON.stringify({ practitioner: 'Practitioner/doc', fhirBase, refreshToken: 'old-rt' }));
    createWebSession({ fhirBase, window, crypto, fetch: provider(() => granted()).fetchMock });
    expect(window.sessionStorage.getItem('relais.web-host.session')).toBeNull();
  });

  it('sends the bearer token; on a 401 refreshes once and retries with the new one', async () => {
    const seen: (string | null)[] = [];
    let tokenCalls = 0;
    const { session } = await signedIn(
      () => ((tokenCalls += 1) === 1 ? granted() : granted('at-2', 'rt-2')),
      (_url, init) => {
        const auth = new Headers(init?.headers).get('authorization');
        seen.push(auth);
        return new Response('{}', { status: auth === 'Bearer at-2' ? 200 : 401 });
      },
    );
    expect((await session.fhirTransport().send({ method: 'GET', target: 'Patient' })).status).toBe(200);
    expect(seen).toEqual(['Bearer at-1', 'Bearer at-2']);
  });

  it('when the refresh is refused, the 401 goes to sync (which asks for a sign-in) and the session is over', async () => {
    let tokenCalls = 0;
    const { session } = await signedIn(
      () => ((tokenCalls += 1) === 1 ? granted() : new Response('{"error":"invalid_grant"}', { status: 400 })),
      () => new Response('{}', { status: 401 }),
    );
    expect((await session.fhirTransport().send({ method: 'GET', target: 'Patient' })).status).toBe(401);
    expect(tokenCalls).toBe(2);
    expect(await session.session()).toBeNull();
  });
});

/** A page that can open a sign-in window and hear messages: the window's answer is delivered with `answer`. */
function popupPage(href: string) {
  const base = page(href);
  const listeners = new Set<(event: MessageEvent) => void>();
  const popup = { closed: false, url: '' };
  const open = vi.fn((url: string) => {
    popup.url = url;
    return popup;
  });
  const window = Object.assign(base, {
    open,
    addEventListener: (type: string, listener: (event: MessageEvent) => void) => void (type === 'message' && listeners.add(listener)),
    removeEventListener: (type: string, listener: (event: MessageEvent) => void) => void (type === 'message' && listeners.delete(listener)),
  });
  const answer = (origin: string, data: unknown): void => {
    for (const listener of [...listeners]) listener({ origin, data } as MessageEvent);
  };
  return { window: window as unknown as Window & typeof base & { open: typeof open }, popup, answer, listening: () => listeners.size };
}

describe('another source’s sign-in (issue 15: several sources)', () => {
  const source = { id: 'ch-b', clientId: 'relais-ch-b', scope: readOnlySourceScope };

  it('signs in in a window of its own, with the source’s client and a read-only scope; this page never leaves', async () => {
    const { window, popup, answer } = popupPage('http://127.0.0.1:4179/');
    let nonce = '';
    const { fetchMock, calls } = provider(() => granted('at-b', 'rt-b', nonce).then(async (r) => Response.json({ ...(await r.json()), id_token: await idToken(nonce, 'relais-ch-b') })));
    const session = createWebSession({ fhirBase, window, crypto, fetch: fetchMock, source });
    const signingIn = session.signIn();
    await vi.waitFor(() => expect(window.open).toHaveBeenCalled());
    const authorize = new URL(popup.url);
    expect(authorize.searchParams.get('client_id')).toBe('relais-ch-b');
    expect(authorize.searchParams.get('scope')).toBe(readOnlySourceScope);
    const state = authorize.searchParams.get('state') ?? '';
    expect(state).toMatch(/^src\.ch-b\./);
    nonce = authorize.searchParams.get('nonce') ?? '';
    answer('http://127.0.0.1:4179', { kind: 'relais/source-sign-in', state, code: 'code-b', error: null });
    expect(await signingIn).toEqual({ practitioner: 'Practitioner/doc', fhirBase });
    expect(window.location.assign).not.toHaveBeenCalled();
    const exchange = new URLSearchParams(String(calls.find((c) => c.url.endsWith('/oidc/token'))?.init?.body));
    expect([exchange.get('client_id'), exchange.get('code')]).toEqual(['relais-ch-b', 'code-b']);
    expect(await session.session()).toEqual({ practitioner: 'Practitioner/doc', fhirBase });
  });

  it('takes an answer only from its own origin and for this very sign-in; the clinician closing the window cancels', async () => {
    const { window, popup, answer, listening } = popupPage('http://127.0.0.1:4179/');
    const { fetchMock, calls } = provider(() => granted());
    const session = createWebSession({ fhirBase, window, crypto, fetch: fetchMock, source });
    const signingIn = session.signIn();
    await vi.waitFor(() => expect(window.open).toHaveBeenCalled());
    const state = new URL(popup.url).searchParams.get('state') ?? '';
    // Attacks: a code posted by a page of another origin, and one for another sign-in.
    answer('http://evil.example', { kind: 'relais/source-sign-in', state, code: 'stolen', error: null });
    answer('http://127.0.0.1:4179', { kind: 'relais/source-sign-in', state: `${state}x`, code: 'other', error: null });
    popup.closed = true;
    await expect(signingIn).rejects.toMatchObject({ code: 'SIGN_IN_CANCELLED' });
    expect(calls.some((c) => c.url.endsWith('/oidc/token'))).toBe(false);
    expect(listening()).toBe(0);
  });

  it('a blocked window is said so; a provider’s refusal cancels', async () => {
    const blocked = popupPage('http://127.0.0.1:4179/');
    blocked.window.open.mockReturnValue(null as never);
    await expect(createWebSession({ fhirBase, window: blocked.window, crypto, fetch: provider(() => granted()).fetchMock, source }).signIn()).rejects.toMatchObject({ code: 'SIGN_IN_BLOCKED' });
    const refused = popupPage('http://127.0.0.1:4179/');
    const signingIn = createWebSession({ fhirBase, window: refused.window, crypto, fetch: provider(() => granted()).fetchMock, source }).signIn();
    await vi.waitFor(() => expect(refused.window.open).toHaveBeenCalled());
    refused.answer('http://127.0.0.1:4179', { kind: 'relais/source-sign-in', state: new URL(refused.popup.url).searchParams.get('state'), code: null, error: 'access_denied' });
    await expect(signingIn).rejects.toMatchObject({ code: 'SIGN_IN_CANCELLED' });
  });

  it('the window the provider sends back hands the answer to its opener’s origin only, and closes; the primary’s own callback is left to the page', () => {
    const postMessage = vi.fn();
    const close = vi.fn();
    const relayed = Object.assign(page('http://127.0.0.1:4179/callback?code=c1&state=src.ch-b.abc'), { opener: { postMessage }, close });
    expect(relaySourceCallback(relayed)).toBe(true);
    expect(postMessage).toHaveBeenCalledWith({ kind: 'relais/source-sign-in', state: 'src.ch-b.abc', code: 'c1', error: null }, 'http://127.0.0.1:4179');
    expect(close).toHaveBeenCalled();
    // The primary's redirect (no prefix), a window nobody opened, another path: not relayed.
    expect(relaySourceCallback(Object.assign(page('http://127.0.0.1:4179/callback?code=c&state=abc'), { opener: { postMessage }, close }))).toBe(false);
    expect(relaySourceCallback(Object.assign(page('http://127.0.0.1:4179/callback?code=c&state=src.x.1'), { opener: null, close }))).toBe(false);
    expect(relaySourceCallback(Object.assign(page('http://127.0.0.1:4179/?code=c&state=src.x.1'), { opener: { postMessage }, close }))).toBe(false);
    expect(postMessage).toHaveBeenCalledTimes(1);
  });
});
