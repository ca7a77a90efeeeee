import { describe, expect, it } from 'vitest';
import { acceptedResourceScopes, parseResourceScope, parseScopes, scopeAllows } from '../../../../sandbox/access/smart-scopes.ts';

describe('SMART scopes', () => {
  it('parses v2 permissions in cruds order and refuses other orders', () => {
    expect([...(parseResourceScope('user/Observation.rs')?.permissions ?? [])]).toEqual(['r', 's']);
    expect(parseResourceScope('user/Observation.sr')).toBeUndefined();
    expect(parseResourceScope('user/Observation.x')).toBeUndefined();
  });

  it('maps v1 read/write/* to v2 permissions', () => {
    expect([...(parseResourceScope('user/*.read')?.permissions ?? [])]).toEqual(['r', 's']);
    expect([...(parseResourceScope('user/*.write')?.permissions ?? [])]).toEqual(['c', 'u', 'd']);
    expect(parseResourceScope('user/*.*')?.permissions.size).toBe(5);
  });

  it('honours only user/ scopes', () => {
    expect(parseResourceScope('patient/*.read')).toBeUndefined();
    expect(parseResourceScope('system/*.read')).toBeUndefined();
    expect(parseScopes('openid fhirUser user/Patient.r')).toHaveLength(1);
  });

  it('allows by type or wildcard, per permission', () => {
    const grants = parseScopes('user/Patient.rs user/Observation.c');
    expect(scopeAllows(grants, 'Patient', 's')).toBe(true);
    expect(scopeAllows(grants, 'Patient', 'u')).toBe(false);
    expect(scopeAllows(grants, 'Observation', 'c')).toBe(true);
    expect(scopeAllows(grants, 'Condition', 'r')).toBe(false);
    expect(scopeAllows(parseScopes('user/*.cruds'), 'Condition', 'd')).toBe(true);
  });

  it('lists every accepted scope for the authorization server', () => {
    const accepted = acceptedResourceScopes(['Patient']);
    expect(accepted).toEqual(expect.arrayContaining(['user/*.cruds', 'user/*.rs', 'user/Patient.r', 'user/*.read', 'user/Patient.write']));
    expect(accepted.every((s) => parseResourceScope(s) !== undefined)).toBe(true);
  });
});
