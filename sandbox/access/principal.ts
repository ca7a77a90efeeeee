/**
 * Who is asking. Every FHIR request runs inside `runAs(principal, ...)`; the repository and the
 * handlers read it back with `currentPrincipal()` to decide what the caller may see and change.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AccessTag } from './access-tag.ts';
import { scopeAllows, type Permission, type ScopeGrant } from './smart-scopes.ts';

export type Principal =
  | Readonly<{ kind: 'system' }>
  | Readonly<{
      kind: 'practitioner';
      practitionerId: string;
      /** The patients visible on this request: computed from the panels when it arrives. */
      patients: ReadonlySet<string>;
      scopes: readonly ScopeGrant[];
    }>;

export const systemPrincipal: Principal = Object.freeze({ kind: 'system' });

const storage = new AsyncLocalStorage<Principal>();

export function runAs<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
  return storage.run(principal, work);
}

/** Outside any request (seeding, test control) the caller is the system itself. */
export function currentPrincipal(): Principal {
  return storage.getStore() ?? systemPrincipal;
}

export function canSee(principal: Principal, tag: AccessTag, resourceType: string): boolean {
  if (principal.kind === 'system') return true;
  switch (tag.kind) {
    case 'shared':
      return true;
    case 'patient':
    case 'compartment':
      return tag.patients.some((id) => principal.patients.has(id));
    case 'panel':
      // A Group shows who is in a practitioner's panel: only its manager sees it. A CareTeam is
      // also part of its patient's chart.
      return tag.practitioners.includes(principal.practitionerId) ||
        (resourceType === 'CareTeam' && tag.patients.some((id) => principal.patients.has(id)));
    case 'participants':
      return tag.practitioners.includes(principal.practitionerId);
  }
}

/** Whether the caller may store `after` (a new version): every patient it names must be theirs. */
export function canStore(principal: Principal, after: AccessTag, resourceType: string): boolean {
  if (principal.kind === 'system') return true;
  switch (after.kind) {
    case 'shared':
      return true;
    case 'patient':
    case 'compartment':
      return after.patients.every((id) => principal.patients.has(id));
    case 'panel':
      return after.patients.every((id) => principal.patients.has(id)) &&
        (after.practitioners.includes(principal.practitionerId) || resourceType === 'CareTeam');
    case 'participants':
      return after.practitioners.includes(principal.practitionerId);
  }
}

export function hasScope(principal: Principal, resourceType: string, permission: Permission): boolean {
  return principal.kind === 'system' || scopeAllows(principal.scopes, resourceType, permission);
}
