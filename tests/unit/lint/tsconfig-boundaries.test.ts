/**
 * Each process has its own tsconfig: shared/ sees neither DOM nor Node types, renderer/ sees the
 * DOM but not Node, electron/ sees Node. Prove it by compiling probe files under each project's
 * real compiler options.
 */
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

function compile(project: string, probePath: string, source: string): string[] {
  const configPath = resolve(project, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const probe = resolve(probePath);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (resolve(f) === probe ? source : readFile(f));
  host.fileExists = (f) => resolve(f) === probe || fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang) => (resolve(f) === probe ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang));
  const program = ts.createProgram([probe], config.options, host);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file && resolve(d.file.fileName) === probe).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// Each probe builds a TypeScript program over a whole project: 6.7 s at worst in a loaded fresh-clone
// CI run (two CPU hogs), so 60 s keeps three times that and more.
describe('per-process tsconfig projects', { timeout: 60_000 }, () => {
  it('shared/ cannot use the DOM', () => {
    expect(compile('shared', 'shared/probe-dom.ts', 'export const t = document.title;').join('\n')).toMatch(/Cannot find name 'document'/);
  });
  it('shared/ cannot use Node globals', () => {
    expect(compile('shared', 'shared/probe-node.ts', 'export const e = process.env;').join('\n')).toMatch(/Cannot find name 'process'/);
  });
  it('renderer/ can use the DOM but not Node', () => {
    expect(compile('renderer', 'renderer/probe-ok.ts', 'export const t = document.title;')).toEqual([]);
    expect(compile('renderer', 'renderer/probe-node.ts', 'export const e = process.env; export const b = Buffer.from("x");').join('\n')).toMatch(/Cannot find name 'process'/);
  });
  it('electron/ can use Node', () => {
    expect(compile('electron', 'electron/probe-ok.ts', 'export const e = process.env;')).toEqual([]);
  });
  it('every project is strict', () => {
    for (const project of ['shared', 'renderer', 'electron', 'sandbox', 'tests']) {
      const config = ts.getParsedCommandLineOfConfigFile(join(project, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      expect(config?.options.strict, project).toBe(true);
      expect(dirname(config?.options.configFilePath as string)).toBe(resolve(project));
    }
  });
});
