import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../shared/security/csp';

const directives = (csp: string) => new Map(csp.split(';').map((d) => { const [k, ...v] = d.trim().split(/\s+/); return [k, v] as const; }));

describe('contentSecurityPolicy', () => {
  it('allows scripts from self only: no inline, no eval', () => {
    const d = directives(contentSecurityPolicy());
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-(inline|eval)|\*/);
  });

  it('limits connect-src to self plus the origins given', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'"]);
    expect(directives(contentSecurityPolicy({ connectSrc: ['http://127.0.0.1:8103'] })).get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:8103']);
  });
});
