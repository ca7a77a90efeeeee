import { expect, test, type Page } from '@playwright/test';
import { saveScreen } from './screens';

/** The frame every screen shares, before any sign-in: language, network state, and the CSP. */
test.describe('app shell in Chromium (web host)', () => {
  test.use({ locale: 'fr-FR' });
  const network = (page: Page) => page.getByRole('status').filter({ hasText: /ligne|line/ });

  test('starts in French on the first-run screen, in the Relais frame', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.getByText('Relais', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à l’échange de santé' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await saveScreen(page, testInfo, 'shell-fr');
  });

  test('switches FR -> EN -> FR and keeps the choice across a reload', async ({ page }, testInfo) => {
    await page.goto('/');
    await page.getByLabel('Langue').selectOption('en');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the health information exchange' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await saveScreen(page, testInfo, 'shell-en');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the health information exchange' })).toBeVisible();
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à l’échange de santé' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à l’échange de santé' })).toBeVisible();
  });

  test('reflects the real network state: offline, then online again', async ({ page, context }, testInfo) => {
    await page.goto('/');
    await expect(network(page)).toHaveText('En ligne');
    await context.setOffline(true);
    await expect(network(page)).toHaveText('Hors ligne');
    await expect(page.getByText('Vous pouvez continuer à travailler')).toBeVisible();
    await saveScreen(page, testInfo, 'shell-offline');
    await context.setOffline(false);
    await expect(network(page)).toHaveText('En ligne');
  });

  test('the web host is served with its policy as headers, and no other page can frame it', async ({ page, baseURL }) => {
    const response = await page.goto('/');
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-frame-options']).toBe('DENY');
    // A page elsewhere tries to frame Relais (clickjacking): the browser refuses to render it.
    await page.goto('about:blank');
    await page.setContent(`<iframe title="framed" src="${baseURL ?? ''}/index.html"></iframe>`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await expect.poll(() => frame?.url() ?? '').toMatch(/^chrome-error:/);
    await expect(page.frameLocator('iframe').getByRole('heading', { name: /Relais|Se connecter/ })).toHaveCount(0);
  });

  test('the CSP refuses an injected inline script, an inline handler and eval', async ({ page }) => {
    await page.goto('/');
    await expect(network(page)).toBeVisible();
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const w = window as unknown as Record<string, unknown>;
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.__handlerRan = true">';
      // The inline handler runs (or is refused) when the image fails; a listener added after it
      // hears the same error, so once it has, the handler has had its chance.
      const image = holder.querySelector('img');
      const failed = new Promise((resolve) => image?.addEventListener('error', resolve, { once: true }));
      document.body.append(holder);
      // eval is tried from a later click: code run directly by the test driver is exempt from CSP.
      document.addEventListener('click', () => {
        try {
          w['__evalRan'] = (0, eval)('true') === true;
        } catch {
          w['__evalRan'] = false;
        }
      });
      await failed;
      // Violation reports are queued as tasks: yield until the inline script's has arrived.
      while (!violations.includes('script-src-elem')) await new Promise((r) => setTimeout(r, 0));
      return { inline: w['__inlineRan'] === true, handler: w['__handlerRan'] === true, violations };
    });
    await page.mouse.click(5, 300);
    const evalRan = await page.evaluate(() => (window as unknown as Record<string, unknown>)['__evalRan']);
    expect(outcome.inline).toBe(false);
    expect(outcome.handler).toBe(false);
    expect(evalRan).toBe(false);
    expect(outcome.violations).toContain('script-src-elem');
  });
});
