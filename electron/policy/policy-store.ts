import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import plist from 'plist';

/**
 * Where IT's policy lives on each OS, the way each OS manages machines (issue 16, point 3):
 *   Windows  the registry, HKLM\Software\Policies\Relais (Group Policy or Intune, with the ADMX
 *            template in build/policy/); read with the system's own reg.exe, by its full path
 *   macOS    managed preferences, /Library/Managed Preferences/com.relais.app.plist (written by
 *            the MDM from a configuration profile, build/policy/com.relais.app.mobileconfig);
 *            binary plists are converted by the system's own /usr/bin/plutil
 *   Linux    /etc/relais/policy.json
 * Each is writable by an administrator only. Nothing a user can write is read: not HKCU, not
 * ~/Library/Preferences, not %ProgramData% (any user may create a folder there), not a variable.
 * A store that is there but cannot be read or parsed is an error, never taken as "no policy".
 */
export type PolicyStore =
  | Readonly<{ kind: 'file'; path: string }>
  | Readonly<{ kind: 'registry'; key: string }>
  | Readonly<{ kind: 'managed-preferences'; path: string }>;

export const windowsPolicyKey = 'HKLM\\Software\\Policies\\Relais';
export const macPolicyDomain = 'com.relais.app';
const regExe = 'C:\\Windows\\System32\\reg.exe';
const plutil = '/usr/bin/plutil';

export function policyStoreFor(platform: string): PolicyStore {
  if (platform === 'win32') return { kind: 'registry', key: windowsPolicyKey };
  if (platform === 'darwin') return { kind: 'managed-preferences', path: `/Library/Managed Preferences/${macPolicyDomain}.plist` };
  return { kind: 'file', path: '/etc/relais/policy.json' };
}

/** The OS calls a store needs (the real ones by default; tests give their own). */
export type PolicyStoreDeps = Readonly<{
  /** The file's bytes, or null when there is no such file. */
  readFile(path: string): Promise<Buffer | null>;
  /** Runs a program by its full path: its exit code and output. */
  run(program: string, args: readonly string[]): Promise<Readonly<{ code: number; stdout: string }>>;
}>;

export class PolicyStoreError extends Error {
  constructor(readonly reason: 'unreadable' | 'malformed') {
    super(`the policy store could not be read (${reason})`);
    this.name = 'PolicyStoreError';
  }
}

export const systemPolicyDeps: PolicyStoreDeps = {
  readFile: async (path) => {
    try {
      return await readFile(path);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new PolicyStoreError('unreadable');
    }
  },
  run: (program, args) =>
    new Promise((resolve) => {
      execFile(program, [...args], { encoding: 'utf8', windowsHide: true, timeout: 10_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout });
      });
    }),
};

/** The policy as the store holds it (an object, not yet checked), or null when the store holds none. */
export async function readPolicyDocument(store: PolicyStore, deps: PolicyStoreDeps = systemPolicyDeps): Promise<unknown> {
  if (store.kind === 'file') {
    const bytes = await deps.readFile(store.path);
    if (bytes === null) return null;
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw new PolicyStoreError('malformed');
    }
  }
  if (store.kind === 'managed-preferences') {
    const bytes = await deps.readFile(store.path);
    if (bytes === null) return null;
    let xml = bytes.toString('utf8');
    if (bytes.subarray(0, 8).toString('latin1') === 'bplist00') {
      // An MDM usually writes binary plists: the system's plutil turns them into XML.
      const converted = await deps.run(plutil, ['-convert', 'xml1', '-o', '-', store.path]);
      if (converted.code !== 0) throw new PolicyStoreError('malformed');
      xml = converted.stdout;
    }
    return plistPolicy(xml);
  }
  const answer = await deps.run(regExe, ['query', store.key, '/s']);
  // reg.exe answers 1 when the key does not exist: no policy there.
  if (answer.code === 1 && answer.stdout.trim() === '') return null;
  if (answer.code !== 0) throw new PolicyStoreError('unreadable');
  return registryPolicy(answer.stdout, store.key);
}

/** A managed preferences plist (XML) as the policy's object: its top-level dictionary, nothing else. */
export function plistPolicy(xml: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = plist.parse(xml);
  } catch {
    throw new PolicyStoreError('malformed');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PolicyStoreError('malformed');
  // macOS adds its own bookkeeping keys to managed preferences (PayloadUUID …, the forced flag): not Relais' policy.
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('Payload') && key !== 'forced'));
}

/** Keys held as a list: each a subkey whose values (named 1, 2, … by the ADMX list element) are the items, in name order. */
const listKeys = new Set(['externalOrigins', 'linkIdentifierSystems']);
/** Keys whose value is JSON in a string (a structure ADMX has no element for). */
const jsonKeys = new Set(['identifierPriority', 'sources', 'updates']);
/** Keys that are on or off: a REG_DWORD of 1 or 0, as an ADMX policy without elements writes it. */
const booleanKeys = new Set(['allowAdminSetup']);

/**
 * `reg query <key> /s` as the policy's object. Values of the key itself: REG_SZ and REG_EXPAND_SZ
 * as text (never expanded), REG_DWORD and REG_QWORD as numbers, REG_MULTI_SZ as a list; the list
 * keys from their subkeys; the JSON keys parsed; the on/off keys from a DWORD of 1 or 0. Any other subkey, or a value of another type, is
 * an error: a policy IT wrote that Relais would not read must not pass as read.
 */
export function registryPolicy(output: string, key: string): Record<string, unknown> {
  const root = key.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').toLowerCase();
  const policy: Record<string, unknown> = {};
  const lists = new Map<string, Array<[string, string]>>();
  let current: string | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      const name = line.toLowerCase();
      if (name === root) current = '';
      else if (name.startsWith(`${root}\\`)) {
        const sub = line.slice(root.length + 1);
        const listName = [...listKeys].find((k) => k.toLowerCase() === sub.toLowerCase());
        if (listName === undefined) throw new PolicyStoreError('malformed');
        current = listName;
        lists.set(listName, []);
      } else throw new PolicyStoreError('malformed');
      continue;
    }
    const match = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (match === null || current === null) throw new PolicyStoreError('malformed');
    const [, name = '', type = '', data = ''] = match;
    const value = registryValue(type, data);
    if (current !== '') {
      if (typeof value !== 'string') throw new PolicyStoreError('malformed');
      lists.get(current)?.push([name, value]);
    } else if (name === '(Default)') continue;
    else if (jsonKeys.has(name)) {
      if (typeof value !== 'string') throw new PolicyStoreError('malformed');
      try {
        policy[name] = JSON.parse(value) as unknown;
      } catch {
        throw new PolicyStoreError('malformed');
      }
    } else if (booleanKeys.has(name)) {
      if (value !== 0 && value !== 1) throw new PolicyStoreError('malformed');
      policy[name] = value === 1;
    } else policy[name] = value;
  }
  for (const [name, items] of lists) {
    policy[name] = items.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([, value]) => value);
  }
  return policy;
}

function registryValue(type: string, data: string): string | number | string[] {
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return data;
    case 'REG_DWORD':
    case 'REG_QWORD': {
      if (!/^0x[0-9a-f]+$/i.test(data)) throw new PolicyStoreError('malformed');
      return Number.parseInt(data.slice(2), 16);
    }
    case 'REG_MULTI_SZ':
      return data === '' ? [] : data.split('\\0').filter((item) => item !== '');
    default:
      throw new PolicyStoreError('malformed');
  }
}
