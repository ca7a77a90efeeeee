/**
 * oidc-provider's storage (sessions, interactions, codes, refresh tokens, grants) in memory, one
 * store per sandbox. The library's own memory adapter is shared by every provider in the process
 * and capped at 1000 entries; tests start many sandboxes.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

type Stored = { payload: AdapterPayload; expiresAt: number };

export function createProviderStore(): (model: string) => Adapter {
  const entries = new Map<string, Stored>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();

  const live = (key: string): AdapterPayload | undefined => {
    const stored = entries.get(key);
    if (!stored) return undefined;
    if (stored.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return stored.payload;
  };

  return (model) => {
    const keyOf = (id: string): string => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.uid) byUid.set(payload.uid, id);
        if (payload.userCode) byUserCode.set(payload.userCode, id);
        if (payload.grantId) {
          let members = byGrant.get(payload.grantId);
          if (!members) {
            members = new Set();
            byGrant.set(payload.grantId, members);
          }
          members.add(key);
        }
      },
      async find(id) {
        return live(keyOf(id));
      },
      async findByUid(uid) {
        const id = byUid.get(uid);
        return id === undefined ? undefined : live(keyOf(id));
      },
      async findByUserCode(userCode) {
        const id = byUserCode.get(userCode);
        return id === undefined ? undefined : live(keyOf(id));
      },
      async consume(id) {
        const payload = live(keyOf(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
        byGrant.delete(grantId);
      },
    };
  };
}
