import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Chromium keeps what a form field holds in its session files (form state, in clear) unless
 * autocomplete is off on the field or its form (on the form for a textarea). Every clinical form
 * turns it off on the <form>; the e2e canary proves it for the chart's entry tab, this proves it
 * for every form in the renderer, so that a new form cannot forget it. The passphrase screens hold
 * only password fields, which Chromium never keeps.
 */
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx$/.test(name) ? [path] : [];
  });

const passwordOnly = new Set(['ChoosePassphraseScreen.tsx', 'ChangePassphraseScreen.tsx', 'UnlockScreen.tsx']);

/** Every `<form …>` opening tag of a source, attributes included (an arrow's `=>` does not end it). */
const formTags = (source: string): string[] => [...source.matchAll(/<form\b(?:=>|[^>])*>/g)].map((m) => m[0]);

describe('no form lets the browser keep what it holds', () => {
  it('finds an opening tag without autoComplete="off"', () => {
    expect(formTags('<form className="x" onSubmit={(e) => void submit(e)}>').filter((tag) => !tag.includes('autoComplete="off"'))).toHaveLength(1);
    expect(formTags('<form onSubmit={(e) => void submit(e)} autoComplete="off">').filter((tag) => !tag.includes('autoComplete="off"'))).toHaveLength(0);
  });

  it('every <form> in the renderer turns autocomplete off (the passphrase screens apart)', () => {
    const files = sourceFiles('renderer');
    const offenders: string[] = [];
    let forms = 0;
    for (const file of files) {
      const tags = formTags(readFileSync(file, 'utf8'));
      forms += tags.length;
      if (passwordOnly.has(file.split(/[\\/]/).pop() ?? '')) {
        // Those screens must hold nothing but password fields for the exception to stand.
        const fields = [...readFileSync(file, 'utf8').matchAll(/<input\b[^>]*>/g)].map((m) => m[0]);
        for (const field of fields) if (!/type="password"|type="submit"|type="checkbox"/.test(field)) offenders.push(`${file}: ${field.slice(0, 80)}`);
        continue;
      }
      for (const tag of tags) if (!tag.includes('autoComplete="off"')) offenders.push(`${file}: ${tag.slice(0, 80)}`);
    }
    expect(forms).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
