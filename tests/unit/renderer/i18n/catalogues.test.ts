import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues, preferredLanguage } from '../../../../renderer/i18n/i18n';

type Tree = { readonly [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

describe('FR/EN catalogues', () => {
  const fr = leaves(catalogues.fr);
  const en = leaves(catalogues.en);

  it('have exactly the same keys, none empty', () => {
    expect([...en.keys()].sort()).toEqual([...fr.keys()].sort());
    for (const [key, text] of [...fr, ...en]) expect(text.trim(), key).not.toBe('');
  });

  it('are actually translated (only proper nouns and words spelled alike in both languages may read the same)', () => {
    const same = [...fr.keys()].filter((k) => fr.get(k) === en.get(k));
    // Each one checked by a person: the French and English words are spelled identically.
    const properNouns = ['app.name', 'language.en', 'language.fr'];
    const cognates = [
      'chart.allergy.substance', 'charting.allergy.substance', 'chart.col.actions', 'chart.encounters.date', 'chart.results.date',
      'conflicts.field.date', 'chart.flag.N', 'chart.type.Communication', 'chart.type.DocumentReference', 'chart.type.MedicationRequest',
      'conflicts.absent', 'conflicts.field.description', 'sync.initial.patients', 'import.identity.trait',
      'messages.text', 'messages.title', 'nav.messages', 'nav.notifications', 'notifications.title', 'referrals.urgent',
      'chart.fact.bodySite', 'chart.fact.code', 'chart.fact.description', 'chart.fact.lot', 'chart.fact.note', 'chart.dosage.per.min', 'chart.timeline.type',
      // Units and dose forms written alike (mg, g, mL; a gel, a lotion, a sachet, an application, a patch).
      'charting.medication.form.gel', 'charting.medication.form.lotion', 'charting.medication.unit.application_one', 'charting.medication.unit.application_other',
      'charting.medication.unit.g_one', 'charting.medication.unit.g_other', 'charting.medication.unit.mL_one', 'charting.medication.unit.mL_other',
      'charting.medication.unit.mg_one', 'charting.medication.unit.mg_other', 'charting.medication.unit.patch_one', 'charting.medication.unit.sachet_one', 'charting.medication.unit.sachet_other',
    ];
    expect(same.sort()).toEqual([...properNouns, ...cognates].sort());
  });

  it('contain every key the renderer asks for', () => {
    const used = new Set<string>();
    for (const file of sourceFiles('renderer')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] ?? '');
      for (const m of readFileSync(file, 'utf8').matchAll(/setError\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] ?? '');
    }
    expect(used.size).toBeGreaterThan(5);
    // A key asked with a count resolves to its plural forms (key_one, key_other), as i18next does.
    const has = (catalogue: Map<string, string>, key: string): boolean => catalogue.has(key) || (catalogue.has(`${key}_one`) && catalogue.has(`${key}_other`));
    for (const key of used) {
      expect(has(fr, key), `fr: ${key}`).toBe(true);
      expect(has(en, key), `en: ${key}`).toBe(true);
    }
  });
});

describe('preferredLanguage', () => {
  it('keeps a saved choice over the system language', () => {
    expect(preferredLanguage('fr', ['en-US'])).toBe('fr');
    expect(preferredLanguage('en', ['fr-FR'])).toBe('en');
  });
  it('follows an English system, and is French otherwise (French-first product)', () => {
    expect(preferredLanguage(null, ['en-GB', 'fr'])).toBe('en');
    expect(preferredLanguage(null, ['fr-FR'])).toBe('fr');
    expect(preferredLanguage(null, ['de-DE'])).toBe('fr');
    expect(preferredLanguage(null, [])).toBe('fr');
  });
});

describe('sync error sentences', () => {
  it('every sync error code has a sentence in both languages that says what to do', async () => {
    const { syncErrorCodes, syncErrorSentence } = await import('../../../../renderer/sync/sync-status');
    const fr = leaves(catalogues.fr);
    const en = leaves(catalogues.en);
    for (const code of syncErrorCodes) {
      expect(fr.get(syncErrorSentence(code)), code).toMatch(/\.$/);
      expect(en.get(syncErrorSentence(code)), code).toMatch(/\.$/);
    }
  });
});
