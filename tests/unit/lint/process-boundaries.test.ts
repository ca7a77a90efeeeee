/**
 * The process boundaries of docs/ARCHITECTURE.md are a lint rule; these tests feed it files that
 * break each boundary (and files that respect them) and check that lint says so.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: process.cwd(),
  // Type information is not needed by this rule; turn it off so virtual files can be linted.
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/switch-exhaustiveness-check': 'off' },
    },
  ],
});

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'relais/process-boundaries').map((m) => m.message);
}

const violations: Array<[string, string, RegExp]> = [
  ['shared/fhir/probe.ts', "import { app } from 'electron';", /shared\/ may not import 'electron'/],
  ['shared/fhir/probe.ts', "import { readFile } from 'node:fs/promises';", /may not import 'node:fs\/promises'/],
  ['shared/fhir/probe.ts', "import path from 'path';", /may not import 'path'/],
  ['shared/fhir/probe.ts', "import { useState } from 'react';", /may not import 'react'/],
  ['shared/fhir/probe.ts', "import { createRxDatabase } from 'rxdb';", /may not import 'rxdb'/],
  ['shared/fhir/probe.ts', "import { x } from 'rxdb/plugins/core';", /may not import 'rxdb\/plugins\/core'/],
  ['shared/fhir/probe.ts', "import { x } from '../../electron/main';", /shared\/ may not import from electron\//],
  ['shared/fhir/probe.ts', "export { x } from '../../renderer/app/App';", /shared\/ may not import from renderer\//],
  ['shared/fhir/probe.ts', "const m = await import('../../renderer/main');", /shared\/ may not import from renderer\//],
  ['renderer/app/probe.ts', "import { ipcRenderer } from 'electron';", /renderer\/ may not import 'electron'/],
  ['renderer/app/probe.ts', "import fs from 'node:fs';", /renderer\/ may not import 'node:fs'/],
  ['renderer/app/probe.ts', "import fs from 'fs';", /renderer\/ may not import 'fs'/],
  ['renderer/app/probe.ts', "import keytar from 'keytar';", /Only electron\/secrets\//],
  ['renderer/app/probe.ts', "import { registerIpcHandlers } from '../../electron/ipc/register';", /renderer\/ may not import from electron\//],
  ['renderer/app/probe.ts', "const k = require('keytar');", /Only electron\/secrets\//],
  ['electron/windows/probe.ts', "import { ipcMain } from 'electron';", /Only electron\/ipc\//],
  ['electron/windows/probe.ts', "import * as electron from 'electron'; electron.ipcMain.handle('x', () => 1);", /Only electron\/ipc\//],
  ['electron/main.ts', "import { ipcMain } from 'electron';", /Only electron\/ipc\//],
  ['electron/auth/probe.ts', "import keytar from 'keytar';", /Only electron\/secrets\//],
  ['electron/auth/probe.ts', "const k = await import('keytar');", /Only electron\/secrets\//],
  ['electron/windows/probe.ts', "import { App } from '../../renderer/app/App';", /electron\/ may not import from renderer\//],
  ['electron/preload/probe.ts', "import fs from 'node:fs';", /preload\/ may not import 'node:fs'/],
  ['sandbox/probe.ts', "import { app } from 'electron';", /sandbox\/ may not import 'electron'/],
  // Layers inside a process folder: imports run one way.
  ['shared/hie/probe.ts', "import { synchronize } from '../sync/engine';", /shared\/hie\/ may not import from shared\/sync\//],
  ['shared/audit/probe.ts', "import type { ReplicaStore } from '../sync/ports';", /shared\/audit\/ may not import from shared\/sync\//],
  ['shared/hie/probe.ts', "export { uploadAudit } from '../audit/upload';", /shared\/hie\/ may not import from shared\/audit\//],
  ['shared/crypto/probe.ts', "import type { FhirResource } from '../fhir/resource';", /shared\/crypto\/ may not import from shared\/fhir\//],
  ['shared/result.ts', "import { exchange } from './hie/exchange';", /shared\/\.\/ may not import from shared\/hie\//],
  ['shared/novel/probe.ts', "import type { FhirResource } from '../fhir/resource';", /shared\/novel\/ is in no layer/],
  ['renderer/db/probe.ts', "import { useWorkspace } from '../app/workspace';", /renderer\/db\/ may not import from renderer\/app\//],
  ['renderer/i18n/probe.ts', "const m = await import('../features/record/dosage-text');", /renderer\/i18n\/ may not import from renderer\/features\//],
  ['renderer/db/probe.ts', "import { createSyncRunner } from '../sync/sync-runner';", /renderer\/db\/ may not import from renderer\/sync\//],
  ['electron/log/probe.ts', "import { createSessionManager } from '../auth/session';", /electron\/log\/ may not import from electron\/auth\//],
  ['electron/auth/probe.ts', "import { registerIpcHandlers } from '../ipc/register';", /electron\/auth\/ may not import from electron\/ipc\//],
  ['electron/auth/probe.ts', "import { createSourceServices } from '../sources/source-services';", /electron\/auth\/ may not import from electron\/sources\//],
  ['electron/sources/probe.ts', "import { createIpcHandlers } from '../ipc/handlers';", /electron\/sources\/ may not import from electron\/ipc\//],
  // What the data worker loads knows nothing of React, and reaches the platform only over its host port.
  ['renderer/data/probe.ts', "import { useState } from 'react';", /worker loads this file \(the data worker, or the passphrase-strength worker\): it may not import 'react'/],
  ['renderer/db/probe.ts', "import { create } from 'zustand';", /worker loads this file \(the data worker, or the passphrase-strength worker\): it may not import 'zustand'/],
  ['renderer/sync/probe.ts', "import i18next from 'i18next';", /worker loads this file \(the data worker, or the passphrase-strength worker\): it may not import 'i18next'/],
  ['renderer/features/unlock/strength-worker.ts', "import { useState } from 'react';", /worker loads this file \(the data worker, or the passphrase-strength worker\): it may not import 'react'/],
  ['renderer/features/unlock/strength-core.ts', "import i18next from 'i18next';", /worker loads this file \(the data worker, or the passphrase-strength worker\): it may not import 'i18next'/],
  ['renderer/data/probe.ts', "import { createHost } from '../host/web-host';", /may take only types from renderer\/host\//],
  ['renderer/data/probe.ts', "import { useWorkspace } from '../app/workspace';", /renderer\/data\/ may not import from renderer\/app\//],
  ['renderer/sync/probe.ts', "import { openDataSession } from '../data/data-session';", /renderer\/sync\/ may not import from renderer\/data\//],
  // The page takes the data side's types, and values only from the files it needs for the port.
  ['renderer/features/chart/probe.ts', "import { openReplica } from '../../db/replica';", /from renderer\/db\/replica it may import types only/],
  ['renderer/app/probe.ts', "import { startSyncSession } from '../sync/sync-session';", /from renderer\/sync\/sync-session it may import types only/],
  ['renderer/main.tsx', "import { serveDataSide } from './data/serve-data-side';", /from renderer\/data\/serve-data-side it may import types only/],
];

// Each probe runs typed ESLint (and one lints the whole tree: 6 s with both cores loaded).
describe('process boundaries lint rule', { timeout: 30_000 }, () => {
  for (const [file, code, expected] of violations) {
    it(`fails ${file}: ${code}`, async () => {
      const errors = await boundaryErrors(file, code);
      expect(errors.length, errors.join('\n')).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(expected);
    });
  }

  it('passes the imports each process is allowed', async () => {
    const allowed: Array<[string, string]> = [
      ['shared/fhir/probe.ts', "import { z } from 'zod'; import { ok } from '../result';"],
      ['renderer/app/probe.ts', "import { create } from 'zustand'; import { useState } from 'react'; import { ok } from '../../shared/result';"],
      ['electron/ipc/probe.ts', "import { ipcMain } from 'electron'; import { readFile } from 'node:fs/promises';"],
      ['electron/secrets/probe.ts', "const k = await import('keytar');"],
      ['electron/preload/probe.ts', "import { contextBridge } from 'electron'; import { wireChannel } from '../../shared/ipc/wire';"],
      ['electron/windows/probe.ts', "import { BrowserWindow } from 'electron'; import { join } from 'node:path';"],
      ['shared/sync/probe.ts', "import { exchange } from '../hie/exchange'; import { uploadAudit } from '../audit/upload'; import { ok } from '../result';"],
      ['shared/audit/probe.ts', "import { exchange } from '../hie/exchange'; import { sealedBytes } from '../crypto/sealed-value';"],
      ['renderer/sync/probe.ts', "import { isStorageFull } from '../db/storage-full';"],
      ['renderer/data/probe.ts', "import type { AuditAnchorPort } from '../host/host'; import { createStore } from 'zustand/vanilla'; import { openReplica } from '../db/replica';"],
      ['renderer/app/probe.ts', "import { dataContract } from '../data/contract'; import type { Replica } from '../db/replica'; import { LocalEditRefusedError } from '../db/errors'; import { createSyncStatusStore } from '../sync/sync-status';"],
      ['renderer/features/probe.ts', "import { useWorkspace } from '../app/workspace';"],
      ['electron/ipc/probe.ts', "import { createSessionManager } from '../auth/session';"],
      ['electron/sources/probe.ts', "import { createSessionManager } from '../auth/session'; import { createAuditAnchorService } from '../audit/audit-anchor';"],
      ['electron/ipc/probe.ts', "import { createSourceServices } from '../sources/source-services';"],
      ['electron/main.ts', "import { registerIpcHandlers } from './ipc/register';"],
    ];
    for (const [file, code] of allowed) expect(await boundaryErrors(file, code), `${file}: ${code}`).toEqual([]);
  });

  it('the real tree has no boundary violation (the same rule CI runs)', async () => {
    // The boundary rule alone (no type information): the full lint step runs everything else.
    const results = await eslint.lintFiles(['shared', 'renderer', 'electron', 'sandbox']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'relais/process-boundaries').map((m) => `${r.filePath}: ${m.message}`));
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
  }, 120_000); // 32 s at worst with both cores loaded and a benchmark beside them
});
