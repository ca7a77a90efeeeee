// Lint, including the process boundaries of docs/ARCHITECTURE.md as a rule
// (compare VS Code's code-layering rule). tests/unit/lint/ proves each boundary fails when broken.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const isNode = (spec) => spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0]);
const pkg = (...names) => (spec) => names.some((n) => spec === n || spec.startsWith(`${n}/`));
const isElectron = pkg('electron');
const isUiOrDb = pkg('react', 'react-dom', 'react-i18next', 'zustand', 'rxdb', 'dexie', 'i18next');
const isKeytar = pkg('keytar');
/** What the data worker cannot load: React and what is bound to it (zustand's vanilla store is fine). */
const isPageOnly = (spec) => pkg('react', 'react-dom', 'react-i18next', 'i18next')(spec) || spec === 'zustand';
/** The folders the data worker loads (renderer/data/data-worker.ts and below): no page-only code, and host/ for its types only. */
const workerFolders = ['renderer/data/', 'renderer/db/', 'renderer/sync/'];
/** Other worker code outside those folders: the passphrase-strength worker and what it loads (no React, no i18next either). */
const workerFiles = new Set(['renderer/features/unlock/strength-worker.ts', 'renderer/features/unlock/strength-core.ts']);
/**
 * The page (renderer/app/, features/, main.tsx) reaches the data side over the port only: from the
 * worker's folders it may take types, and values from these files alone (errors the port's codes
 * become, the status store it keeps as a read model, the contract), so the page never loads RxDB.
 */
const pageMayLoad = new Set(['renderer/db/errors', 'renderer/db/storage-full', 'renderer/sync/sync-status', 'renderer/data/contract', 'renderer/data/locked-contract']);
const isPageFile = (path) => path.startsWith('renderer/app/') || path.startsWith('renderer/features/') || path === 'renderer/main.tsx';

/** Which process a file belongs to, from its path under the repository. */
function layerOf(file) {
  const path = relative(root, file).split(sep).join('/');
  if (path.startsWith('electron/preload/')) return 'preload';
  for (const layer of ['shared', 'renderer', 'electron', 'sandbox']) {
    if (path.startsWith(`${layer}/`)) return layer;
  }
  return null;
}

/** What each process may not import: packages, and other processes' folders. */
const forbidden = {
  shared: { folders: ['electron', 'renderer', 'sandbox'], packages: [isNode, isElectron, isUiOrDb, isKeytar] },
  renderer: { folders: ['electron', 'sandbox'], packages: [isNode, isElectron, isKeytar] },
  preload: { folders: ['renderer', 'sandbox'], packages: [isNode, isUiOrDb, isKeytar] },
  electron: { folders: ['renderer', 'sandbox'], packages: [isUiOrDb] },
  sandbox: { folders: ['electron', 'renderer'], packages: [isElectron, isUiOrDb, isKeytar] },
};

/**
 * Layers inside each process folder, lowest first: a folder may import its own files and lower
 * tiers, never a folder of its tier or above, so imports run one way (docs/ARCHITECTURE.md,
 * 'Layers'). `.` is the process folder's own files. A folder not listed here is an error: a new
 * folder is placed in a tier when it is made. `mutual` marks a tier whose folders still import
 * each other (debt, named in docs/ARCHITECTURE.md); no other tier may.
 */
const tiers = {
  shared: [{ folders: ['.'] }, { folders: ['crypto', 'fhir', 'security', 'ipc'] }, { folders: ['medication'] }, { folders: ['hie'] }, { folders: ['audit'] }, { folders: ['sync'] }, { folders: ['clinical'] }, { folders: ['exchange'] }],
  electron: [
    { folders: ['log'] },
    { folders: ['secrets', 'settings', 'security', 'hie', 'preload', 'updates'] },
    { folders: ['audit', 'auth', 'windows'] },
    { folders: ['sources', 'policy'] },
    { folders: ['ipc'] },
    { folders: ['.'] },
  ],
  renderer: [
    { folders: ['i18n', 'host', 'db'] },
    { folders: ['sync'] },
    { folders: ['data'] },
    { folders: ['app', 'features'], mutual: true },
    { folders: ['.'] },
  ],
};

/** The folder of a path inside its process folder (`.` for the process folder's own files). */
function folderIn(process, path) {
  const rest = path.slice(process.length + 1).split('/');
  return rest.length > 1 ? rest[0] : '.';
}

function tierOf(process, folder) {
  const index = tiers[process].findIndex((tier) => tier.folders.includes(folder));
  return index < 0 ? null : { index, mutual: tiers[process][index].mutual === true };
}

const processBoundaries = {
  meta: {
    type: 'problem',
    messages: {
      folder: "{{layer}}/ may not import from {{target}}/ (see docs/ARCHITECTURE.md, 'Process boundaries').",
      package: "{{layer}}/ may not import '{{spec}}' (see docs/ARCHITECTURE.md, 'Process boundaries').",
      keytar: "Only electron/secrets/ may touch keytar: go through the SecretStore port.",
      ipcMain: "Only electron/ipc/ may touch ipcMain: register handlers through the contract wrapper.",
      layer: "{{process}}/{{from}}/ may not import from {{process}}/{{to}}/: layers run one way (see docs/ARCHITECTURE.md, 'Layers').",
      unlisted: "{{process}}/{{folder}}/ is in no layer: place it in eslint.config.mjs `tiers` (see docs/ARCHITECTURE.md, 'Layers').",
      worker: "A worker loads this file (the data worker, or the passphrase-strength worker): it may not import '{{spec}}' (page-only; see docs/ARCHITECTURE.md, 'The data worker').",
      workerHost: "The data worker loads this file: it may take only types from renderer/host/ (the platform is reached over the host port).",
      pageData: "The page reaches the data side over its port: from {{target}} it may import types only (values only from db/errors, db/storage-full, sync/sync-status, data/contract, data/locked-contract; see docs/ARCHITECTURE.md, 'The data worker').",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    if (layer === null) return {};
    const path = relative(root, file).split(sep).join('/');
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = layerOf(resolve(dirname(file), spec) + '/');
        const targetName = target === 'preload' ? 'electron' : target;
        const ownName = layer === 'preload' ? 'electron' : layer;
        if (targetName !== null && targetName !== ownName && forbidden[layer].folders.includes(targetName)) {
          context.report({ node, messageId: 'folder', data: { layer: ownName, target: targetName } });
        }
        if (targetName === ownName && tiers[ownName] !== undefined) checkLayer(node, relative(root, resolve(dirname(file), spec)).split(sep).join('/'));
        return;
      }
      if (isKeytar(spec) && !path.startsWith('electron/secrets/')) {
        context.report({ node, messageId: 'keytar' });
        return;
      }
      if (forbidden[layer].packages.some((test) => test(spec))) {
        context.report({ node, messageId: 'package', data: { layer, spec } });
      }
    };
    const checkLayer = (node, targetPath) => {
      const process = layer === 'preload' ? 'electron' : layer;
      const from = folderIn(process, path);
      const to = folderIn(process, targetPath);
      if (from === to) return;
      for (const folder of [from, to]) {
        if (tierOf(process, folder) === null) {
          context.report({ node, messageId: 'unlisted', data: { process, folder } });
          return;
        }
      }
      const own = tierOf(process, from);
      const target = tierOf(process, to);
      if (target.index < own.index || (target.index === own.index && own.mutual)) return;
      context.report({ node, messageId: 'layer', data: { process, from, to } });
    };
    const inIpc = path.startsWith('electron/ipc/');
    const inWorker = workerFolders.some((folder) => path.startsWith(folder)) || workerFiles.has(path);
    const onPage = isPageFile(path);
    const checkWorker = (node, spec, typeOnly) => {
      if (onPage && typeof spec === 'string' && spec.startsWith('.') && !typeOnly) {
        const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/').replace(/\.tsx?$/, '');
        if (workerFolders.some((folder) => target.startsWith(folder)) && !pageMayLoad.has(target)) context.report({ node, messageId: 'pageData', data: { target } });
      }
      if (!inWorker || typeof spec !== 'string') return;
      if (isPageOnly(spec)) context.report({ node, messageId: 'worker', data: { spec } });
      if (spec.startsWith('.') && !typeOnly) {
        const target = relative(root, resolve(dirname(file), spec)).split(sep).join('/');
        if (target.startsWith('renderer/host/') || target.startsWith('renderer/i18n/')) context.report({ node, messageId: 'workerHost' });
      }
    };
    return {
      ImportDeclaration(node) {
        check(node, node.source.value);
        checkWorker(node, node.source.value, node.importKind === 'type');
        if (!inIpc && node.source.value === 'electron') {
          for (const s of node.specifiers) {
            if (s.type === 'ImportSpecifier' && (s.imported.name ?? s.imported.value) === 'ipcMain') {
              context.report({ node: s, messageId: 'ipcMain' });
            }
          }
        }
      },
      ExportNamedDeclaration(node) {
        if (node.source) {
          check(node, node.source.value);
          checkWorker(node, node.source.value, node.exportKind === 'type');
        }
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') {
          check(node, node.source.value);
          checkWorker(node, node.source.value, false);
        }
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
      MemberExpression(node) {
        if (!inIpc && node.property.type === 'Identifier' && node.property.name === 'ipcMain' && !node.computed) {
          context.report({ node, messageId: 'ipcMain' });
        }
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    plugins: { relais: { rules: { 'process-boundaries': processBoundaries } } },
    rules: {
      'relais/process-boundaries': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['renderer/vite-env.d.ts'],
    rules: { '@typescript-eslint/consistent-type-definitions': 'off' },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    // The test runner and build scripts report to the terminal.
    files: ['tests/**', 'build/**', 'sandbox/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
