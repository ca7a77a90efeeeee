/**
 * Access tokens are signed JWTs the FHIR side verifies on its own, so revoking one means
 * remembering it until it would have expired anyway: by token id (jti), or by grant when the
 * refresh token of the grant is revoked (RFC 7009 §2.1: revoke the tokens of the same grant).
 */
export class RevocationList {
  readonly #tokens = new Map<string, number>();
  readonly #grants = new Set<string>();

  revokeToken(jti: string, expiresAtSeconds: number): void {
    this.#tokens.set(jti, expiresAtSeconds);
    const now = Date.now() / 1000;
    for (const [id, expiry] of this.#tokens) if (expiry < now) this.#tokens.delete(id);
  }

  revokeGrant(grantId: string): void {
    this.#grants.add(grantId);
  }

  isRevoked(jti: string, grantId: string | undefined): boolean {
    return this.#tokens.has(jti) || (grantId !== undefined && this.#grants.has(grantId));
  }
}
