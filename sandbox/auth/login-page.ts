/**
 * The identity provider's login page: plain HTML, no script (CSP forbids any), labelled fields,
 * and the demo accounts listed as such. Bilingual, French first.
 */
import type { Account } from './accounts.ts';

export const loginPageSecurityHeaders: Readonly<Record<string, string>> = {
  // No script at all; the stylesheet is inline-free. form-action is left open on purpose: after
  // login the browser is redirected to the client's loopback redirect URI on another port.
  'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/oidc/interaction/login.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type LoginPageInput = Readonly<{
  action: string;
  cancel: string;
  clientName: string;
  error?: string;
  username?: string;
  accounts: readonly Account[];
}>;

export function renderLoginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(input.error)}</p>`
    : '';
  const accounts = input.accounts
    .map((a) => `<tr><td>${escapeHtml(a.name)}</td><td><code>${escapeHtml(a.username)}</code></td><td><code>${escapeHtml(a.password)}</code></td></tr>`)
    .join('\n');
  return page('Connexion — Relais HIE (bac à sable)', `
<h1>Connexion <span lang="en">/ Sign in</span></h1>
<p>${escapeHtml(input.clientName)} demande l’accès à vos patients. <span lang="en">${escapeHtml(input.clientName)} asks to access your patients.</span></p>
${error}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="off"${input.error ? ' aria-describedby="login-error"' : ''}>
  <p>
    <label for="username">Identifiant <span lang="en">/ Username</span></label>
    <input id="username" name="username" type="text" required autocapitalize="none" spellcheck="false" value="${escapeHtml(input.username ?? '')}">
  </p>
  <p>
    <label for="password">Mot de passe <span lang="en">/ Password</span></label>
    <input id="password" name="password" type="password" required>
  </p>
  <p><button type="submit">Se connecter <span lang="en">/ Sign in</span></button>
  <a href="${escapeHtml(input.cancel)}">Annuler <span lang="en">/ Cancel</span></a></p>
</form>
<section aria-labelledby="demo-accounts">
<h2 id="demo-accounts">Comptes de démonstration <span lang="en">/ Demo accounts</span></h2>
<p class="warning">Bac à sable : données synthétiques, mots de passe publics, pour démonstration uniquement.
<span lang="en">Sandbox: synthetic data, public passwords, demo only.</span></p>
<table>
<caption>Praticiens <span lang="en">/ Practitioners</span></caption>
<thead><tr><th scope="col">Nom</th><th scope="col">Identifiant</th><th scope="col">Mot de passe</th></tr></thead>
<tbody>
${accounts}
</tbody>
</table>
</section>`);
}

export function renderErrorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}

export const loginStylesheet = `body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 42rem; padding: 0 1rem; color: #1b1b1b; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input { font-size: 1rem; padding: .4rem; width: 100%; box-sizing: border-box; }
button { font-size: 1rem; padding: .5rem 1.2rem; }
.error { color: #a00000; font-weight: 600; }
.warning { background: #fff4ce; padding: .5rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .25rem .5rem; text-align: left; }
:focus-visible { outline: 3px solid #0b5cd5; outline-offset: 2px; }
`;
