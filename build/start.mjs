// `npm start`: launches Electron on the built app. The Electron binary is fetched by the electron
// package on first run; where that cannot happen (a machine without internet access), say so and
// point to the web host instead of failing with a stack trace.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  electronBinary = require('electron');
} catch (error) {
  console.error(`Relais: the Electron runtime is not available on this machine (${error.message.split('\n')[0]}).`);
  console.error('Run the same app in a browser instead: npm run demo:web');
  process.exit(1);
}
const child = spawn(electronBinary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('error', (error) => {
  console.error(`Relais: could not start Electron (${error.message}). Try: npm run demo:web`);
  process.exit(1);
});
child.on('exit', (code) => process.exit(code ?? 0));
