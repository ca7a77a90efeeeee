import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Where a string lies in a directory's files on disk, byte for byte: every regular file under
 * `dir` (IndexedDB's LevelDB .log and .ldb files, blob files, caches, anything), searched as
 * UTF-8 and as UTF-16LE (V8's serializer stores a string with any non-Latin-1 character in
 * two-byte form). Symlinks and sockets (Chromium's Singleton* entries) are not followed.
 */
export type DiskHit = Readonly<{ file: string; encoding: 'utf8' | 'utf16le' }>;

export async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

export async function findOnDisk(dir: string, text: string): Promise<DiskHit[]> {
  const needles = [
    { encoding: 'utf8', bytes: Buffer.from(text, 'utf8') },
    { encoding: 'utf16le', bytes: Buffer.from(text, 'utf16le') },
  ] as const;
  const hits: DiskHit[] = [];
  for (const file of await filesUnder(dir)) {
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      continue; // a file Chromium removed while we walked
    }
    for (const needle of needles) {
      if (content.includes(needle.bytes)) hits.push({ file: relative(dir, file), encoding: needle.encoding });
    }
  }
  return hits;
}
