/**
 * SMART App Launch scopes (v2 `user/Observation.rs`, v1 `user/*.read`), as the FHIR side
 * enforces them. Only the `user/` context is honoured: `patient/` needs a launch context and
 * `system/` a backend client, neither of which the sandbox issues.
 * See https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html
 */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export type ScopeGrant = Readonly<{ resourceType: string; permissions: ReadonlySet<Permission> }>;

const order: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];
const resourceTypePattern = /^(\*|[A-Z][A-Za-z]+)$/;

function permissionsOf(text: string): ReadonlySet<Permission> | undefined {
  if (text === 'read') return new Set(['r', 's']);
  if (text === 'write') return new Set(['c', 'u', 'd']);
  if (text === '*') return new Set(order);
  // v2: a non-empty subsequence of "cruds", in that order.
  let position = 0;
  const found = new Set<Permission>();
  for (const char of text) {
    const index = order.indexOf(char as Permission, position);
    if (index < 0) return undefined;
    found.add(order[index] as Permission);
    position = index + 1;
  }
  return found.size > 0 ? found : undefined;
}

/** One scope string, or undefined when it is not a `user/` resource scope we understand. */
export function parseResourceScope(scope: string): ScopeGrant | undefined {
  const match = /^user\/([^.?]+)\.([a-z*]+)$/.exec(scope);
  if (!match) return undefined;
  const [, resourceType = '', permissionText = ''] = match;
  if (!resourceTypePattern.test(resourceType)) return undefined;
  const permissions = permissionsOf(permissionText);
  return permissions ? { resourceType, permissions } : undefined;
}

export function parseScopes(scope: string): ScopeGrant[] {
  return scope.split(/\s+/).flatMap((s) => {
    const grant = parseResourceScope(s);
    return grant ? [grant] : [];
  });
}

export function scopeAllows(grants: readonly ScopeGrant[], resourceType: string, permission: Permission): boolean {
  return grants.some((g) => (g.resourceType === '*' || g.resourceType === resourceType) && g.permissions.has(permission));
}

/**
 * Every resource scope the authorization server accepts for the FHIR audience: v1 and v2 forms,
 * for all types and for each listed type. oidc-provider filters requested scopes against this.
 */
export function acceptedResourceScopes(resourceTypes: readonly string[]): string[] {
  const permissionSets: string[] = ['read', 'write', '*'];
  for (let mask = 1; mask < 32; mask++) {
    permissionSets.push(order.filter((_, i) => (mask & (1 << i)) !== 0).join(''));
  }
  return ['*', ...resourceTypes].flatMap((type) => permissionSets.map((p) => `user/${type}.${p}`));
}
