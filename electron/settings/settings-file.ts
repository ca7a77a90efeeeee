import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { languageSchema, sourceIdSchema } from '../../shared/ipc/contract';

/** The user's own preferences (not policy, not secrets): a small JSON file in userData. */
const sessionSchema = z.object({ practitioner: z.string(), fhirBase: z.string() }).strict();
const settingsSchema = z.object({
  language: languageSchema.nullable().default(null),
  /** Who is signed in to which HIE: not a secret (the tokens are in memory and in the keychain). */
  session: sessionSchema.nullable().default(null),
  /** Who is signed in to each other FHIR source the policy names, by source id (electron/sources/source-services.ts). */
  sources: z.record(sourceIdSchema, sessionSchema).default({}),
  /**
   * Which store holds the secrets now (electron/secrets/secret-store-choice.ts), written once a move
   * between them is complete. Absent in older files: those releases always used the keychain.
   */
  secretStore: z.enum(['keychain', 'safeStorage']).optional(),
  /**
   * The HIE an administrator entered and confirmed on the setup screen (electron/policy/hie-setup.ts),
   * used only while IT's policy allows setup and names no HIE itself.
   */
  administratorHie: z.object({ fhirBase: z.string().url(), confirmedAt: z.string() }).strict().nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;

export type SettingsFile = Readonly<{
  read(): Promise<Settings>;
  /** A change, or a change worked out from the settings as they are then: updates run one at a time, so none is lost to another. */
  update(change: Partial<Settings> | ((current: Settings) => Partial<Settings>)): Promise<Settings>;
}>;

export function createSettingsFile(path: string): SettingsFile {
  const read = async (): Promise<Settings> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return settingsSchema.parse({});
    }
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(text) as unknown);
      return parsed.success ? parsed.data : settingsSchema.parse({});
    } catch {
      // A corrupt preferences file costs the user their language choice, nothing more.
      return settingsSchema.parse({});
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  const write = async (change: Partial<Settings> | ((current: Settings) => Partial<Settings>)): Promise<Settings> => {
    const current = await read();
    const next = settingsSchema.parse({ ...current, ...(typeof change === 'function' ? change(current) : change) });
    await mkdir(dirname(path), { recursive: true });
    // Write then rename, so a crash mid-write leaves the old file, never half a file.
    const temporary = `${path}.tmp`;
    await writeFile(temporary, JSON.stringify(next), { mode: 0o600 });
    await rename(temporary, path);
    return next;
  };
  return {
    read,
    update(change) {
      const next = queue.then(() => write(change));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
