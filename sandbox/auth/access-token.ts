/**
 * The FHIR side's check of a Bearer token: a JWT signed by the sandbox's identity provider, for
 * the FHIR audience, not expired, not revoked, naming a practitioner (`fhirUser`).
 */
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { parseScopes, type ScopeGrant } from '../access/smart-scopes.ts';
import type { RevocationList } from './revocations.ts';

export type VerifiedToken = Readonly<{ practitionerId: string; scopes: readonly ScopeGrant[]; jti: string; expiresAt: number }>;

export type TokenCheck = Readonly<{ ok: true; token: VerifiedToken }> | Readonly<{ ok: false; description: string }>;

const claimsSchema = z.object({
  sub: z.string().min(1),
  jti: z.string().min(1),
  exp: z.number(),
  scope: z.string().default(''),
  fhirUser: z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/),
  grant_id: z.string().optional(),
});

export type AccessTokenVerifierOptions = Readonly<{
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  revocations: RevocationList;
}>;

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): (authorization: string | undefined) => Promise<TokenCheck> {
  return async (authorization) => {
    const match = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i.exec(authorization ?? '');
    if (!match?.[1]) return { ok: false, description: authorization ? 'Malformed Authorization header' : 'Missing bearer token' };
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256'],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, description: 'The access token has expired' };
      return { ok: false, description: 'The access token is not valid' };
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, description: 'The access token does not name a practitioner' };
    if (options.revocations.isRevoked(claims.data.jti, claims.data.grant_id)) {
      return { ok: false, description: 'The access token has been revoked' };
    }
    return {
      ok: true,
      token: {
        practitionerId: claims.data.fhirUser.slice('Practitioner/'.length),
        scopes: parseScopes(claims.data.scope),
        jti: claims.data.jti,
        expiresAt: claims.data.exp,
      },
    };
  };
}
