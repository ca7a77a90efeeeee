// Type-checks every process's project on its own: a DOM type in shared/ or electron/, or a Node
// type in renderer/, is a compile error in that project. Exit code = number of failing projects.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['tsconfig.json', 'shared', 'renderer', 'electron', 'sandbox', 'tests'];
let failed = 0;
for (const project of projects) {
  const path = project.endsWith('.json') ? project : `${project}/tsconfig.json`;
  if (!existsSync(path)) continue;
  const run = spawnSync('tsc', ['-p', path, '--noEmit'], { stdio: 'inherit', shell: false });
  const ok = run.status === 0;
  if (!ok) failed += 1;
  console.log(`typecheck ${path}: ${ok ? 'ok' : 'FAILED'}`);
}
process.exit(failed);
