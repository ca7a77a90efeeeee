import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsFile } from '../../../../electron/settings/settings-file';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'relais-settings-')), 'sub', 'settings.json');

describe('settings file', () => {
  it('has no language before one is chosen', async () => {
    expect(await createSettingsFile(fresh()).read()).toEqual({ language: null, session: null });
  });

  it('keeps the chosen language across instances, in a file only the user can read', async () => {
    const path = fresh();
    await createSettingsFile(path).update({ language: 'en' });
    expect(await createSettingsFile(path).read()).toEqual({ language: 'en', session: null });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ language: 'en', session: null });
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('treats a corrupt or foreign file as no choice, and recovers on the next write', async () => {
    const path = fresh();
    await createSettingsFile(path).update({ language: 'fr' });
    writeFileSync(path, '{"language": "klingon"');
    expect(await createSettingsFile(path).read()).toEqual({ language: null, session: null });
    writeFileSync(path, '{"language": "klingon"}');
    expect(await createSettingsFile(path).read()).toEqual({ language: null, session: null });
    await createSettingsFile(path).update({ language: 'en' });
    expect(await createSettingsFile(path).read()).toEqual({ language: 'en', session: null });
  });
});
