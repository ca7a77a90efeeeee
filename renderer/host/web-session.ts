import { z } from 'zod';
import { toBase64Url } from '../../shared/crypto/bytes';
import { TransportError, type FhirTransport } from '../../shared/hie/transport';
import { createFetchTransport } from '../../shared/hie/fetch-transport';
import { HostError, type HieSession } from './host';
import { callbackPath } from './web-defaults';
import { authorizeUrl, discoverSmart, exchangeCode, pkcePair, primaryClient, refreshTokens, verifiedPractitioner, type OidcClient, type SmartEndpoints, type TokenResponse } from './web-oidc';

/**
 * The web host's HIE session (dev and tests only; never packaged).
 *
 * Where the tokens live, and why: both only in this page's memory, never in web storage (which any
 * script of the origin, or anyone at the profile's files, can read). They survive the sign-in
 * redirect because the code is exchanged after it; a reload or a browser restart ends the session,
 * and then the clinician unlocks offline as usual and the sync bar asks them to sign in again — the
 * path Electron takes when a refresh token is revoked. Only the sign-in in flight (state, nonce,
 * PKCE verifier: single use, worthless without the provider's code) waits in sessionStorage across
 * the redirect. Electron keeps the tokens in main, never in the page.
 */
export type WebSessionOptions = Readonly<{
  fhirBase: string;
  window: Window;
  crypto: Crypto;
  fetch: typeof fetch;
  /**
   * A source other than the primary HIE (shared/exchange/source-policy.ts): its own client and
   * scope, and a sign-in in a window of its own (`signInPopup`), so this page — holding the
   * primary's tokens and the unlocked replica — never leaves.
   */
  source?: Readonly<{ id: string; clientId: string | null; scope: string }>;
}>;

export type WebSession = Readonly<{
  session(): Promise<HieSession | null>;
  signIn(): Promise<HieSession>;
  signOut(): Promise<void>;
  fhirTransport(): FhirTransport;
}>;

const pendingKey = 'relais.web-host.sign-in';
const sessionKey = 'relais.web-host.session';

const pendingSchema = z.object({ state: z.string().min(16), nonce: z.string().min(16), verifier: z.string().min(43), redirectUri: z.string().url() });
type Held = { practitioner: string; refreshToken: string | null };

function readJson<T>(storage: Storage, key: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(storage.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The `state` of another source's sign-in starts with this: the window the provider sends back to hands the answer to its opener (relaySourceCallback). */
const sourceStatePrefix = 'src.';
/** The message a sign-in window sends its opener. */
const callbackMessage = 'relais/source-sign-in';

/**
 * At start, in a window the provider sent back to /callback: if it is another source's sign-in
 * (its `state`) and this window was opened by the app, hand the provider's answer to the opener —
 * to its origin only — and close. True when the window did so (the app does not start in it). The
 * code is worthless without the PKCE verifier, which only the opener holds.
 */
export function relaySourceCallback(page: Window): boolean {
  const url = new URL(page.location.href);
  if (url.pathname !== callbackPath) return false;
  const state = url.searchParams.get('state') ?? '';
  if (!state.startsWith(sourceStatePrefix)) return false;
  const opener = page.opener as Window | null;
  if (opener === null) return false;
  opener.postMessage({ kind: callbackMessage, state, code: url.searchParams.get('code'), error: url.searchParams.get('error') }, page.location.origin);
  page.close();
  return true;
}

const messageSchema = z.object({ kind: z.literal(callbackMessage), state: z.string(), code: z.string().nullable(), error: z.string().nullable() });

/** How often an open sign-in window is checked for having been closed by the clinician. */
const popupCheckMs = 500;

export function createWebSession(options: WebSessionOptions): WebSession {
  const { window: page, fhirBase } = options;
  const client: OidcClient = options.source === undefined ? primaryClient : { id: options.source.clientId ?? primaryClient.id, scope: options.source.scope };
  const storage = page.sessionStorage;
  let endpoints: SmartEndpoints | null = null;
  let accessToken: { value: string; expiresAt: number } | null = null;
  let callbackHandled: Promise<HieSession | null> | null = null;
  let refreshing: Promise<boolean> | null = null;
  /** The signed-in clinician and the refresh token: in memory only. */
  let held: Held | null = null;
  // What older builds kept in sessionStorage is dropped on sight.
  storage.removeItem(sessionKey);

  const smart = async (): Promise<SmartEndpoints> => (endpoints ??= await discoverSmart(fhirBase, options.fetch));

  const remember = (tokens: TokenResponse, practitioner: string): HieSession => {
    accessToken = { value: tokens.access_token, expiresAt: Date.now() + (tokens.expires_in ?? 300) * 1000 };
    held = { practitioner, refreshToken: tokens.refresh_token ?? held?.refreshToken ?? null };
    return { practitioner, fhirBase };
  };

  const forget = (): void => {
    accessToken = null;
    held = null;
  };

  /** The provider sent the browser back to /callback: check the state, exchange the code, clean the URL. */
  async function completeSignIn(): Promise<HieSession | null> {
    const url = new URL(page.location.href);
    const pending = readJson(storage, pendingKey, pendingSchema);
    storage.removeItem(pendingKey);
    page.history.replaceState(null, '', '/');
    const code = url.searchParams.get('code');
    if (url.searchParams.has('error') || code === null) throw new HostError('SIGN_IN_CANCELLED');
    if (pending === null || url.searchParams.get('state') !== pending.state) throw new HostError('SIGN_IN_FAILED');
    const endpoints = await smart();
    const tokens = await exchangeCode(endpoints, { code, verifier: pending.verifier, redirectUri: pending.redirectUri }, options.fetch);
    const practitioner = await verifiedPractitioner(endpoints, tokens, { nonce: pending.nonce }, options.fetch);
    return remember(tokens, practitioner);
  }

  /**
   * Another source's sign-in, in a window of its own: this page waits for that window's answer
   * (relaySourceCallback) from its own origin, for this very sign-in (state), then exchanges the
   * code with the verifier it kept in memory. The clinician closing the window cancels.
   */
  async function signInPopup(sourceId: string): Promise<HieSession> {
    const endpoints = await smart();
    const { verifier, challenge } = await pkcePair(options.crypto);
    const state = `${sourceStatePrefix}${sourceId}.${toBase64Url(options.crypto.getRandomValues(new Uint8Array(16)))}`;
    const nonce = toBase64Url(options.crypto.getRandomValues(new Uint8Array(16)));
    const redirectUri = new URL(callbackPath, page.location.origin).href;
    const popup = page.open(authorizeUrl(endpoints, { fhirBase, redirectUri, state, nonce, challenge }, client), `relais-sign-in-${sourceId}`, 'popup,width=520,height=720');
    if (popup === null) throw new HostError('SIGN_IN_BLOCKED');
    const answer = await new Promise<z.infer<typeof messageSchema>>((resolve, reject) => {
      const done = (): void => {
        page.removeEventListener('message', onMessage);
        clearInterval(watch);
      };
      const onMessage = (event: MessageEvent): void => {
        if (event.origin !== page.location.origin) return;
        const parsed = messageSchema.safeParse(event.data);
        if (!parsed.success || parsed.data.state !== state) return;
        done();
        resolve(parsed.data);
      };
      const watch = setInterval(() => {
        if (!popup.closed) return;
        done();
        reject(new HostError('SIGN_IN_CANCELLED'));
      }, popupCheckMs);
      page.addEventListener('message', onMessage);
    });
    if (answer.error !== null || answer.code === null) throw new HostError('SIGN_IN_CANCELLED');
    const tokens = await exchangeCode(endpoints, { code: answer.code, verifier, redirectUri }, options.fetch, client);
    const practitioner = await verifiedPractitioner(endpoints, tokens, { nonce }, options.fetch, client);
    return remember(tokens, practitioner);
  }

  /** One refresh at a time; false when there is no grant any more (the clinician must sign in). */
  function refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const stored = held;
      if (stored === null || stored.refreshToken === null) return false;
      let answer: TokenResponse | 'refused';
      try {
        answer = await refreshTokens(await smart(), stored.refreshToken, options.fetch, client);
      } catch (error: unknown) {
        if (error instanceof HostError && error.code === 'HIE_UNREACHABLE') throw new TransportError('offline');
        throw error;
      }
      if (answer === 'refused') {
        forget();
        return false;
      }
      // A refreshed ID token, if any, is not read: the clinician is the one verified at sign-in.
      remember(answer, stored.practitioner);
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  const inner = createFetchTransport({ fhirBase, tokens: { accessToken: () => accessToken?.value ?? null, refresh }, fetch: options.fetch });
  // A token about to expire is renewed first; a 401 gets one refresh and one retry (the shared transport), as in Electron.
  const fresh = async (): Promise<void> => {
    if ((accessToken === null || accessToken.expiresAt - Date.now() < 30_000) && held?.refreshToken != null) await refresh();
  };
  const transport: FhirTransport = {
    async send(request) {
      await fresh();
      return inner.send(request);
    },
    async sendText(request) {
      await fresh();
      return inner.sendText(request);
    },
    async sendBytes(request) {
      await fresh();
      return inner.sendBytes(request);
    },
  };

  return {
    async session() {
      if (options.source === undefined && new URL(page.location.href).pathname === callbackPath) {
        callbackHandled ??= completeSignIn();
        return callbackHandled;
      }
      return held === null ? null : { practitioner: held.practitioner, fhirBase };
    },
    async signIn() {
      if (options.source !== undefined) return signInPopup(options.source.id);
      const endpoints = await smart();
      const { verifier, challenge } = await pkcePair(options.crypto);
      const state = toBase64Url(options.crypto.getRandomValues(new Uint8Array(16)));
      const nonce = toBase64Url(options.crypto.getRandomValues(new Uint8Array(16)));
      const redirectUri = new URL(callbackPath, page.location.origin).href;
      storage.setItem(pendingKey, JSON.stringify({ state, nonce, verifier, redirectUri }));
      page.location.assign(authorizeUrl(endpoints, { fhirBase, redirectUri, state, nonce, challenge }));
      // The page is leaving; session() reports the outcome after the provider sends the browser back.
      return new Promise<HieSession>(() => undefined);
    },
    async signOut() {
      const stored = held;
      forget();
      const revocation = endpoints?.revocation ?? null;
      if (stored === null || stored.refreshToken === null || revocation === null) return;
      try {
        await options.fetch(revocation, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ client_id: client.id, token: stored.refreshToken, token_type_hint: 'refresh_token' }).toString(),
          credentials: 'omit',
        });
      } catch {
        // Offline: the token is forgotten here; it expires on the provider.
      }
    },
    fhirTransport: () => transport,
  };
}
