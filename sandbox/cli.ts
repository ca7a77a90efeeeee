/**
 * `npm run sandbox` — the HIE sandbox on 127.0.0.1 with demo data. Prints the FHIR base, the
 * issuer and the demo logins, then serves until interrupted.
 *
 *   node --experimental-strip-types sandbox/cli.ts [--port 8787] [--seed N] [--patients N]
 *     [--resources-per-patient N] [--practitioners N] [--data DIR] [--test-mode] [--adversarial]
 *     [--reference-date YYYY-MM-DD] [--fixtures DIR [--fixtures-panel N]] [--twin-of SEED]
 */
import { parseArgs } from 'node:util';
import { startSandbox, type SandboxOptions } from './server.ts';

export const defaultPort = 8787;

const usage = `Usage: node --experimental-strip-types sandbox/cli.ts [options]

  --port N                   port on 127.0.0.1 (default ${defaultPort}; 0 picks a free one)
  --seed N                   generator seed (default 20261128)
  --patients N               synthetic patients (default 50)
  --resources-per-patient N  resources in each chart, at least 10 (default 100)
  --practitioners N          practitioners, each with a panel (default 3)
  --data DIR                 keep the data (and the clinician's edits) in DIR across restarts
  --test-mode                enable the /_test/ control API (never in demo use)
  --adversarial              add the adversarial patients (hostile narratives, huge strings)
  --reference-date DATE      the "today" of the data, YYYY-MM-DD (default: today, UTC)
  --fixtures DIR             also load the FHIR Bundles (*.json) in DIR (docs/SANDBOX.md)
  --fixtures-panel N         whose panel the fixture patients join: practitioner N (default 1)
  --twin-of SEED             be a second HIE (another hospital) for the patients of the sandbox
                             started with --seed SEED (same --patients, --resources-per-patient,
                             --reference-date): every second patient is shared (same INS or NHS
                             number, other ids, some records missing or different)
  --json                     print one JSON line (url, fhirBase, issuer, logins) instead of the banner
  --help                     this text`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(value)) throw new Error(`--${name} must be an integer`);
  return Number(value);
}

type CliOptions = Readonly<{ sandbox: SandboxOptions; json: boolean }>;

function parseOptions(argv: readonly string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      patients: { type: 'string' },
      'resources-per-patient': { type: 'string' },
      practitioners: { type: 'string' },
      data: { type: 'string' },
      'test-mode': { type: 'boolean', default: false },
      adversarial: { type: 'boolean', default: false },
      'reference-date': { type: 'string' },
      fixtures: { type: 'string' },
      'fixtures-panel': { type: 'string' },
      'twin-of': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const options: SandboxOptions = {
    port: integer('port', values.port) ?? defaultPort,
    testMode: values['test-mode'],
    adversarial: values.adversarial,
  };
  const seed = integer('seed', values.seed);
  const patients = integer('patients', values.patients);
  const perPatient = integer('resources-per-patient', values['resources-per-patient']);
  const practitioners = integer('practitioners', values.practitioners);
  const fixturesPanel = integer('fixtures-panel', values['fixtures-panel']);
  const twinOf = integer('twin-of', values['twin-of']);
  const sandbox: SandboxOptions = {
    ...options,
    ...(seed !== undefined ? { seed } : {}),
    ...(patients !== undefined ? { patients } : {}),
    ...(perPatient !== undefined ? { resourcesPerPatient: perPatient } : {}),
    ...(practitioners !== undefined ? { practitioners } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values['reference-date'] !== undefined ? { referenceDate: values['reference-date'] } : {}),
    ...(values.fixtures !== undefined ? { fixtures: values.fixtures } : {}),
    ...(fixturesPanel !== undefined ? { fixturesPanel } : {}),
    ...(twinOf !== undefined ? { twinOf } : {}),
  };
  return { sandbox, json: values.json };
}

async function main(): Promise<void> {
  let cli: CliOptions | undefined;
  try {
    cli = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  if (!cli) {
    console.log(usage);
    return;
  }
  const options = cli.sandbox;
  const sandbox = await startSandbox(options);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (cli.json) {
    // For tools that start the sandbox (npm start in demo mode): one line, then serve.
    console.log(JSON.stringify({
      url: sandbox.url,
      fhirBase: sandbox.fhirBase,
      issuer: sandbox.issuer,
      clientId: 'relais-desktop',
      testMode: sandbox.testMode,
      practitioners: sandbox.practitioners.map((p) => ({ id: p.id, name: p.name, username: p.username, password: p.password })),
    }));
    return;
  }
  const width = Math.max(...sandbox.practitioners.map((p) => p.name.length));
  console.log(`Relais HIE sandbox — synthetic data only
  FHIR base   ${sandbox.fhirBase}
  Issuer      ${sandbox.issuer}
  SMART       ${sandbox.fhirBase}/.well-known/smart-configuration
  Client      relais-desktop (public, PKCE S256), redirect http://127.0.0.1:<any port>/callback
  Resources   ${sandbox.resourceCount}${options.dataDir ? `  (data kept in ${options.dataDir})` : ''}${sandbox.testMode ? '\n  Test mode   control API at ' + sandbox.url + '/_test/' : ''}

Demo logins (DEMO ONLY — public passwords, synthetic patients):`);
  for (const p of sandbox.practitioners) {
    console.log(`  ${p.name.padEnd(width)}  ${p.username.padEnd(10)}  ${p.password.padEnd(16)}  ${p.patients.length} patients`);
  }
  console.log('\nCtrl-C to stop.');
}

await main();
