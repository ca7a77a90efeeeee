// `npm run demo:web`: the same renderer in a browser (the web host: development and demos only,
// never packaged), against the demo HIE sandbox, for a machine where Electron cannot run.
import { spawn, spawnSync } from 'node:child_process';
import { hieConfigured, printDemoBanner, startDemoHie } from './demo-hie.mjs';

const port = Number(process.env['RELAIS_WEB_PORT'] ?? 4173);
let demo = null;
let fhirBase = process.env['RELAIS_FHIR_BASE'];
if (!hieConfigured() || !fhirBase) {
  demo = await startDemoHie();
  printDemoBanner(demo);
  fhirBase = demo.fhirBase;
}
const env = { ...process.env, VITE_RELAIS_FHIR_BASE: fhirBase, RELAIS_WEB_CONNECT_SRC: new URL(fhirBase).origin };
const build = spawnSync('vite', ['build', '--mode', 'web', '--logLevel', 'warn'], { stdio: 'inherit', env });
if (build.status !== 0) {
  demo?.stop();
  process.exit(build.status ?? 1);
}
console.log(`Relais (web host) on http://127.0.0.1:${port}/`);
const preview = spawn('vite', ['preview', '--mode', 'web', '--port', String(port)], { stdio: 'inherit', env });
const stop = (code) => {
  demo?.stop();
  process.exit(code ?? 0);
};
preview.on('exit', stop);
process.on('SIGINT', () => preview.kill('SIGINT'));
