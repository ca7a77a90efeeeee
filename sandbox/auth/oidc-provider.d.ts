/**
 * The part of oidc-provider 9's API the sandbox uses (the package ships no types). Kept narrow:
 * values the library hands back are `unknown` until the sandbox checks them.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  };

  export type Adapter = {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  };

  export type InteractionDetails = {
    uid: string;
    prompt: { name: string; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  };

  export type InteractionResult = Record<string, unknown>;

  export type ClientInstance = { clientId: string; grantTypeAllowed(type: string): boolean };

  export type GrantInstance = {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  };

  export type ResourceServerInfo = {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  };

  export type ResourceServerInstance = { identifier(): string };

  export type AccessTokenInstance = {
    accountId?: string;
    grantId?: string;
    kind: string;
    resourceServer?: ResourceServerInstance;
    save(): Promise<string>;
  };

  export type RefreshTokenInstance = { grantId?: string; clientId?: string; destroy(): Promise<void> };

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    proxy: boolean;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    Client: { find(id: string): Promise<ClientInstance | undefined> };
    Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
      adapter: Adapter;
    };
    AccessToken: {
      new (properties: {
        accountId: string;
        client: ClientInstance;
        grantId: string;
        scope: string;
        gty: string;
        expiresIn?: number;
      }): AccessTokenInstance & { resourceServer?: ResourceServerInstance };
    };
    RefreshToken: { find(value: string): Promise<RefreshTokenInstance | undefined> };
    ResourceServer: new (identifier: string, info: ResourceServerInfo) => ResourceServerInstance;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };
}
