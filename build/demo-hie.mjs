// Demo mode: with no HIE configured (no policy file, no RELAIS_FHIR_BASE), `npm start` and
// `npm run demo:web` start the bundled sandbox on loopback with persistent demo data, so the
// clinician's edits survive restarts, and point Relais at it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const demoDataDir = () => join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'relais-demo-hie');

// Where Linux and macOS hold IT's policy (electron/policy/policy-store.ts); on Windows the registry's policy, when set, wins over the demo HIE anyway.
const policyFiles = ['/etc/relais/policy.json', '/Library/Managed Preferences/com.relais.app.plist'];

export const hieConfigured = () => Boolean(process.env['RELAIS_FHIR_BASE']) || policyFiles.some((f) => existsSync(f));

/** Starts the sandbox on 8787, or on a free port if 8787 is taken; resolves with its address. */
export async function startDemoHie() {
  try {
    return await startSandboxProcess(8787);
  } catch {
    return startSandboxProcess(0);
  }
}

function startSandboxProcess(port) {
  mkdirSync(demoDataDir(), { recursive: true, mode: 0o700 });
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'sandbox/cli.ts', '--port', String(port), '--data', demoDataDir(), '--json'],
    { stdio: ['ignore', 'pipe', port === 0 ? 'inherit' : 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the demo HIE stopped (exit ${code}); is port ${port} in use?`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      try {
        resolve({ ...JSON.parse(line), stop: () => child.kill('SIGTERM') });
      } catch (error) {
        reject(error);
      }
    });
  });
}

export function printDemoBanner(hie) {
  console.log(`Relais demo mode: HIE sandbox at ${hie.fhirBase} (synthetic data, kept in ${demoDataDir()})`);
  for (const login of hie.practitioners ?? []) console.log(`  demo login (demo only): ${login.username} / ${login.password} — ${login.name}`);
}
