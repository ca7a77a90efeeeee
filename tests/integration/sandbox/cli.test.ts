/**
 * The command the npm script runs: `node --experimental-strip-types sandbox/cli.ts`, started as
 * a real process. It prints the FHIR base, the issuer and the demo logins, serves, and stops on
 * SIGTERM.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const nodeArgs = ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'sandbox/cli.ts'];

function run(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...nodeArgs, ...args], { cwd: process.cwd(), env: { ...process.env, RELAIS_SANDBOX_LOG: 'warn' } });
}

async function outputUntil(child: ChildProcessWithoutNullStreams, marker: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${marker}" within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(marker)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!output.includes(marker)) reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

async function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('sandbox CLI', () => {
  it('starts, prints the FHIR base, issuer and demo logins, serves, and stops on SIGTERM', async () => {
    const child = run(['--port', '0', '--patients', '4', '--resources-per-patient', '12', '--test-mode']);
    try {
      const output = await outputUntil(child, 'Ctrl-C to stop.', 30_000);
      const fhirBase = /FHIR base\s+(http:\/\/127\.0\.0\.1:\d+\/fhir)/.exec(output)?.[1];
      const issuer = /Issuer\s+(http:\/\/127\.0\.0\.1:\d+\/oidc)/.exec(output)?.[1];
      expect(fhirBase).toBeDefined();
      expect(issuer).toBe(fhirBase?.replace(/\/fhir$/, '/oidc'));
      expect(output).toMatch(/DEMO ONLY/);
      expect(output).toMatch(/cmartin\s+demo-cmartin/);
      expect(output).toContain('/_test/');
      const metadata = await fetch(`${fhirBase}/metadata`);
      expect(metadata.status).toBe(200);
      const discovery = await fetch(`${issuer}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('prints one JSON line with --json, for tools that start it', async () => {
    const child = run(['--port', '0', '--patients', '3', '--resources-per-patient', '12', '--json']);
    try {
      const line = (await outputUntil(child, '\n', 30_000)).trim();
      const info = JSON.parse(line) as { fhirBase: string; issuer: string; clientId: string; practitioners: { username: string; password: string }[] };
      expect(info.clientId).toBe('relais-desktop');
      expect(info.practitioners[0]).toMatchObject({ username: 'cmartin', password: 'demo-cmartin' });
      expect((await fetch(`${info.fhirBase}/metadata`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitCode(child)).toBe(0);
  });

  it('prints usage for --help and exits 0', async () => {
    const child = run(['--help']);
    const output = await outputUntil(child, '--resources-per-patient', 15_000);
    expect(output).toContain('--data DIR');
    expect(await exitCode(child)).toBe(0);
  });

  it('refuses an unknown option with exit code 2', async () => {
    const child = run(['--frobnicate']);
    expect(await exitCode(child)).toBe(2);
  });
});
