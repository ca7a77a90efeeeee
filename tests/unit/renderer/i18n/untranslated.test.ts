import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../../../../renderer/i18n/i18n';

/**
 * The two ways a string escapes translation: a catalogue key written in a lookup table rather
 * than in `t('…')` (the catalogue test only sees the latter), and words typed straight into JSX.
 */
type Tree = { readonly [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): Set<string> => {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.add(key);
    else for (const kk of leaves(v, key)) out.add(kk);
  }
  return out;
};

const sourceFiles = (dir: string, pattern: RegExp): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path, pattern) : pattern.test(name) ? [path] : [];
  });

const uiFiles = sourceFiles('renderer', /\.tsx?$/).filter((f) => !f.includes(`${join('renderer', 'i18n')}`));

describe('every visible string goes through the catalogues', () => {
  const fr = leaves(catalogues.fr);
  const en = leaves(catalogues.en);
  const namespaces = Object.keys(catalogues.fr);

  it('every key-shaped literal in the renderer (lookup tables included) exists in FR and EN', () => {
    const shape = new RegExp(`'((?:${namespaces.join('|')})\\.[A-Za-z0-9_.-]+)'`, 'g');
    const found = new Set<string>();
    for (const file of uiFiles) for (const m of readFileSync(file, 'utf8').matchAll(shape)) found.add(m[1] ?? '');
    expect(found.size).toBeGreaterThan(300);
    // A key asked with a count resolves to its plural forms (key_one, key_other), as i18next does.
    const has = (catalogue: Set<string>, key: string): boolean => catalogue.has(key) || (catalogue.has(`${key}_one`) && catalogue.has(`${key}_other`));
    const missing = [...found].filter((key) => !has(fr, key) || !has(en, key));
    expect(missing).toEqual([]);
  });

  it('no JSX element holds words typed in the source', () => {
    // Text between a tag's end and the next tag or expression: `>Bonjour<` or `> Save {`.
    const literalText = />\s*([A-Za-zÀ-ÿ][^<>{}]*?)\s*(?=<|\{)/g;
    const offenders: string[] = [];
    for (const file of uiFiles.filter((f) => f.endsWith('.tsx'))) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(literalText)) {
        const text = m[1] ?? '';
        // Arrow functions and generics also contain `>`: only flag what reads as words.
        if (/^[A-Za-zÀ-ÿ]+(?:\s+[A-Za-zÀ-ÿ'’]+)+[.!?:]?$/.test(text) || /^[A-ZÀ-Ý][a-zà-ÿ]{2,}$/.test(text)) offenders.push(`${file}: ${text}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
