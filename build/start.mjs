// `npm start`: launches Electron on the built app. With no HIE configured, starts the demo HIE
// sandbox first and points Relais at it. The Electron binary is fetched by the electron package on
// first run; where that cannot happen (a machine without internet access), say so and point to
// the web host instead of failing with a stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { hieConfigured, printDemoBanner, startDemoHie } from './demo-hie.mjs';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron');
} catch (error) {
  console.error(`Relais: the Electron runtime is not available on this machine (${error.message.split('\n')[0]}).`);
  console.error('Run the same app in a browser instead: npm run demo:web');
  process.exit(1);
}

const env = { ...process.env };
let demo = null;
if (!hieConfigured()) {
  demo = await startDemoHie();
  printDemoBanner(demo);
  env['RELAIS_FHIR_BASE'] = demo.fhirBase;
}
const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env });
const stop = (code) => {
  demo?.stop();
  process.exit(code ?? 0);
};
child.on('error', (error) => {
  console.error(`Relais: could not start Electron (${error.message}). Try: npm run demo:web`);
  stop(1);
});
child.on('exit', stop);
