import { expect, test } from '@playwright/test';
import { hostileNarratives } from '../../sandbox/data/adversarial.ts';
import type { Sandbox } from '../../sandbox/server.ts';
import { bundleForBrowser } from '../browser/bundle.ts';
import { openHarnessPage } from '../browser/harness-page.ts';
import { remote } from '../browser/rpc.ts';
import { checkScreen, firstRun, openChart } from './support/app';
import { practitioners, startHie } from './support/hie';
import type { NarrativeApi } from './support/narrative.page';

/**
 * Document narrative from the HIE is hostile until proven otherwise. The sanitizer is attacked in
 * Chromium with the sandbox's adversarial set (scripts, event handlers, javascript: links, CSS
 * url(), external images, frames, forms, base and meta refresh); then the app shows an
 * adversarial patient's documents and nothing runs, nothing is fetched, nothing can be followed.
 */
test.describe.configure({ mode: 'serial' });
/** The web host's origin, as playwright.config.mts serves it (RELAIS_E2E_PORT, 4179 by default). */
const appOrigin = `http://127.0.0.1:${process.env['RELAIS_E2E_PORT'] ?? '4179'}`;

test.describe('the narrative sanitizer in Chromium', () => {
  const allowedTags = new Set(['a', 'abbr', 'b', 'br', 'caption', 'code', 'dd', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);

  test('neutralizes every narrative of the adversarial set and keeps the clinical text', async () => {
    const harness = await openHarnessPage({ origin: appOrigin, script: await bundleForBrowser('tests/e2e/support/narrative.page.ts') });
    try {
      const page = remote<NarrativeApi>(harness.page);
      for (const hostile of hostileNarratives) {
        const { html, links } = await page.call('sanitize', `<div xmlns="http://www.w3.org/1999/xhtml">${hostile}</div>`);
        const { tags, attributes } = await page.call('inventory', html);
        expect(tags.filter((t) => !allowedTags.has(t)), hostile).toEqual([]);
        expect(attributes.filter((a) => /^(on|style|href|class|id|action|srcset|background)/i.test(a)), hostile).toEqual([]);
        expect(attributes.filter((a) => a.startsWith('src=')), hostile).toEqual([]);
        expect(html).not.toMatch(/javascript:|url\(|attacker\.example|<script|<style/i);
        for (const link of links) expect(link.allowed, link.url).toBe(false);
      }
      const [first, , third] = await Promise.all(hostileNarratives.map((h) => page.call('sanitize', h)));
      expect(first?.html).toContain('<p>Avant</p>');
      expect(first?.html).toContain('<p>Après</p>');
      expect(third?.links.map((l) => l.text)).toEqual(['Voir le résultat', 'mixed case', 'entity', 'data URL']);
    } finally {
      await harness.close();
    }
  });

  test('lists an allowlisted https link as openable, and keeps a data: image', async () => {
    const harness = await openHarnessPage({ origin: appOrigin, script: await bundleForBrowser('tests/e2e/support/narrative.page.ts') });
    try {
      const page = remote<NarrativeApi>(harness.page);
      const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
      const { html, links } = await page.call(
        'sanitize',
        `<p><a href="https://www.has-sante.fr/jcms/c_1234">Recommandation HAS</a> <a href="http://www.has-sante.fr/x">en clair</a><img src="${pixel}" alt="schéma"/></p>`,
      );
      expect(links).toEqual([
        { text: 'Recommandation HAS', url: 'https://www.has-sante.fr/jcms/c_1234', allowed: true },
        { text: 'en clair', url: 'http://www.has-sante.fr/x', allowed: false },
      ]);
      expect(html).toContain(`src="${pixel}"`);
      expect(html).not.toContain('href');
    } finally {
      await harness.close();
    }
  });
});

test.describe('an adversarial patient’s documents in the app', () => {
  let sandbox: Sandbox;
  test.beforeAll(async () => {
    sandbox = await startHie({ patients: 4, resourcesPerPatient: 20, practitioners: 1, adversarial: true });
  });
  test.afterAll(async () => {
    await sandbox?.close();
  });
  test.use({ locale: 'fr-FR' });
  // First run, initial sync, then every document frame of an adversarial chart opened and clicked:
  // measured 18 s on an idle machine; the budget leaves room for three times a loaded run.
  test.setTimeout(120_000);

  test('run nothing, fetch nothing, and show the text in sandboxed frames', async ({ page }, testInfo) => {
    const outside: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).hostname === 'attacker.example') outside.push(request.url());
    });
    const [doctor] = await practitioners(sandbox);
    if (!doctor) throw new Error('no practitioner');
    await firstRun(page, doctor);
    await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeHidden({ timeout: 60_000 });
    // The first adversarial patient: NFD accents, a zero-width joiner and a right-to-left override in the name.
    await openChart(page, 'helene leveque', /LÉVÊQUE\u200D? Hélène/);
    await expect(page.getByRole('heading', { level: 1 })).not.toContainText('\u202E');
    await page.getByRole('tab', { name: 'Documents' }).click();
    const frames = page.locator('iframe.narrative__frame');
    await expect(frames.first()).toBeVisible();
    for (const frame of await frames.all()) {
      await expect(frame).toHaveAttribute('sandbox', '');
      await expect(frame).toHaveAttribute('title', /^Contenu du document/);
      const srcdoc = (await frame.getAttribute('srcdoc')) ?? '';
      expect(srcdoc).toContain(`content="default-src 'none'; style-src ${appOrigin}/narrative.css; img-src data:; base-uri 'none'; form-action 'none'"`);
      expect(srcdoc).not.toMatch(/<script|onerror|onclick|javascript:|attacker\.example/i);
    }
    // The frames did render (the app's frame-src 'none' does not apply to about:srcdoc): the text is there.
    const texts = await Promise.all(page.frames().filter((f) => f.url() === 'about:srcdoc').map((f) => f.content()));
    expect(texts.join('')).toContain('Avant');
    await expect(page.getByRole('heading', { name: 'Liens cités dans ce document' }).first()).toBeVisible();
    await expect(page.getByText('javascript:window.__relaisPwned=true').first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Ouvrir dans le navigateur' })).toHaveCount(0);
    await checkScreen(page, testInfo, 'chart-documents-adversarial');
    // Click inside every document frame (on its text, where a link would be). A click resolves once
    // any navigation it started has been handled, so whatever a click could do has been done.
    for (const frame of await frames.all()) await frame.click({ position: { x: 12, y: 12 } });
    expect(page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.url())).toEqual(page.frames().slice(1).map(() => 'about:srcdoc'));
    expect(await page.evaluate(() => Reflect.get(window, '__relaisPwned'))).toBeUndefined();
    expect(outside).toEqual([]);
  });
});
