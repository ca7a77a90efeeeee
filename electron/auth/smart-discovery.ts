import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { checkedFhirBase } from '../../shared/hie/fhir-base';
import { isLoopbackHttp, isSecureOrLoopback } from '../../shared/security/secure-url';
import { LoginError } from './login-error';

/**
 * Finds the HIE's identity provider from the FHIR base, as SMART App Launch v2 says
 * (`<fhir base>/.well-known/smart-configuration`), then reads that provider's own OpenID metadata
 * and checks the two agree on the issuer. PKCE S256 must be offered.
 */
const smartConfigurationSchema = z
  .object({
    issuer: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    code_challenge_methods_supported: z.array(z.string()),
  })
  .loose();

export type SmartServer = Readonly<{ as: oauth.AuthorizationServer; fhirBase: URL; insecureLoopback: boolean }>;

/** Where main may send the browser or a code: https, or http on this computer only (never file:, javascript:, a custom scheme). */
const endpointAllowed = (value: string | undefined): boolean => value !== undefined && isSecureOrLoopback(value);

export async function discoverSmartServer(fhirBaseValue: string, fetchImpl: typeof fetch = fetch): Promise<SmartServer> {
  const fhirBase = checkedFhirBase(fhirBaseValue);
  let smart: z.infer<typeof smartConfigurationSchema>;
  try {
    const response = await fetchImpl(new URL('.well-known/smart-configuration', fhirBase), { headers: { accept: 'application/json' }, redirect: 'error' });
    smart = smartConfigurationSchema.parse(await response.json());
  } catch {
    throw new LoginError('DISCOVERY_FAILED');
  }
  if (!smart.code_challenge_methods_supported.includes('S256')) throw new LoginError('DISCOVERY_FAILED');
  // The authorization endpoint reaches shell.openExternal: only a web address may get there.
  if (!endpointAllowed(smart.authorization_endpoint) || !endpointAllowed(smart.token_endpoint)) throw new LoginError('DISCOVERY_FAILED');
  const issuer = new URL(smart.issuer);
  if (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer)) throw new LoginError('DISCOVERY_FAILED');
  const insecureLoopback = isLoopbackHttp(issuer);
  let as: oauth.AuthorizationServer;
  try {
    const response = await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: insecureLoopback, [oauth.customFetch]: fetchImpl });
    as = await oauth.processDiscoveryResponse(issuer, response);
  } catch (error: unknown) {
    throw new LoginError(error instanceof oauth.OperationProcessingError && /issuer/i.test(error.message) ? 'ISSUER_MISMATCH' : 'DISCOVERY_FAILED');
  }
  // The endpoints the HIE advertises must be the provider's own.
  if (as.authorization_endpoint !== smart.authorization_endpoint || as.token_endpoint !== smart.token_endpoint) {
    throw new LoginError('ISSUER_MISMATCH');
  }
  return { as, fhirBase, insecureLoopback };
}
