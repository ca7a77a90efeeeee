import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appSchemePrivileges, createAppProtocolHandler } from '../../../../electron/security/app-protocol';

let serve: (request: Request) => Promise<Response>;
let outside: string;

beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'relais-protocol-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Relais</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  outside = join(base, 'secret.json');
  writeFileSync(outside, '{"secret":true}');
  writeFileSync(join(root, 'notes.txt'), 'unknown type');
  serve = createAppProtocolHandler(root);
});

describe('app:// protocol handler', () => {
  it('serves index.html with the strict CSP and nosniff', async () => {
    const response = await serve(new Request('relais://app/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Relais</title>');
  });

  it('serves a script with a JavaScript type', async () => {
    const response = await serve(new Request('relais://app/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
  });

  it('never serves a file outside its root, however the path is spelled', async () => {
    for (const path of ['/../secret.json', '/%2e%2e/secret.json', '/assets/..%2f..%2fsecret.json', '/..%5csecret.json', '/%00index.html']) {
      const response = await serve(new Request(`relais://app${path}`));
      expect(response.status, path).not.toBe(200);
    }
  });

  it('refuses other hosts, other methods, unknown types and missing files', async () => {
    expect((await serve(new Request('relais://other/index.html'))).status).toBe(404);
    expect((await serve(new Request('relais://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await serve(new Request('relais://app/notes.txt'))).status).toBe(404);
    expect((await serve(new Request('relais://app/missing.js'))).status).toBe(404);
  });

  it('registers the scheme as standard and secure, without CSP bypass', () => {
    expect(appSchemePrivileges.scheme).toBe('relais');
    expect(appSchemePrivileges.privileges.standard).toBe(true);
    expect(appSchemePrivileges.privileges.secure).toBe(true);
    expect(appSchemePrivileges.privileges).not.toHaveProperty('bypassCSP');
    expect(appSchemePrivileges.privileges).not.toHaveProperty('corsEnabled');
  });
});
