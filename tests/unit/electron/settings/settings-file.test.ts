import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSettingsFile } from '../../../../electron/settings/settings-file';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'relais-settings-')), 'sub', 'settings.json');

describe('settings file', () => {
  it('has no language before one is chosen', async () => {
    expect(await createSettingsFile(fresh()).read()).toEqual({ language: null, session: null, sources: {}, administratorHie: null });
  });

  it('keeps the chosen language across instances, in a file only the user can read', async () => {
    const path = fresh();
    await createSettingsFile(path).update({ language: 'en' });
    expect(await createSettingsFile(path).read()).toEqual({ language: 'en', session: null, sources: {}, administratorHie: null });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ language: 'en', session: null, sources: {}, administratorHie: null });
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('treats a corrupt or foreign file as no choice, and recovers on the next write', async () => {
    const path = fresh();
    await createSettingsFile(path).update({ language: 'fr' });
    writeFileSync(path, '{"language": "klingon"');
    expect(await createSettingsFile(path).read()).toEqual({ language: null, session: null, sources: {}, administratorHie: null });
    writeFileSync(path, '{"language": "klingon"}');
    expect(await createSettingsFile(path).read()).toEqual({ language: null, session: null, sources: {}, administratorHie: null });
    await createSettingsFile(path).update({ language: 'en' });
    expect(await createSettingsFile(path).read()).toEqual({ language: 'en', session: null, sources: {}, administratorHie: null });
  });

  it('runs updates one at a time: the HIE’s session, a source’s and the language written at once all land', async () => {
    const file = createSettingsFile(fresh());
    const hie = { practitioner: 'Practitioner/p1', fhirBase: 'https://hie.example/fhir' };
    const sud = { practitioner: 'Practitioner/b7', fhirBase: 'https://ch-sud.example/fhir' };
    const nord = { practitioner: 'Practitioner/n2', fhirBase: 'https://ch-nord.example/fhir' };
    await Promise.all([
      file.update({ session: hie }),
      file.update((current) => ({ sources: { ...current.sources, 'ch-sud': sud } })),
      file.update((current) => ({ sources: { ...current.sources, 'ch-nord': nord } })),
      file.update({ language: 'en' }),
    ]);
    expect(await file.read()).toEqual({ language: 'en', session: hie, sources: { 'ch-sud': sud, 'ch-nord': nord }, administratorHie: null });
  });

  it('refuses a source id that could not be a policy’s (it would name another keychain account)', async () => {
    const path = fresh();
    await createSettingsFile(path).update({ language: 'fr' });
    writeFileSync(path, JSON.stringify({ language: 'fr', session: null, sources: { 'x@y': { practitioner: 'Practitioner/a', fhirBase: 'https://a.example' } } }));
    expect(await createSettingsFile(path).read()).toEqual({ language: null, session: null, sources: {}, administratorHie: null });
  });
});
