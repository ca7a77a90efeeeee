import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { languageSchema } from '../../shared/ipc/contract';

/** The user's own preferences (not policy, not secrets): a small JSON file in userData. */
const sessionSchema = z.object({ practitioner: z.string(), fhirBase: z.string() }).strict();
const settingsSchema = z.object({
  language: languageSchema.nullable().default(null),
  /** Who is signed in to which HIE: not a secret (the tokens are in memory and in the keychain). */
  session: sessionSchema.nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;

export type SettingsFile = Readonly<{
  read(): Promise<Settings>;
  update(change: Partial<Settings>): Promise<Settings>;
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
  return {
    read,
    async update(change) {
      const next = settingsSchema.parse({ ...(await read()), ...change });
      await mkdir(dirname(path), { recursive: true });
      // Write then rename, so a crash mid-write leaves the old file, never half a file.
      const temporary = `${path}.tmp`;
      await writeFile(temporary, JSON.stringify(next), { mode: 0o600 });
      await rename(temporary, path);
      return next;
    },
  };
}
