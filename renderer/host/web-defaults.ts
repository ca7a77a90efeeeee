/**
 * Where the web host (dev and tests only) finds the HIE when the build names none: the sandbox's
 * CLI default (`sandbox/cli.ts`, port 8787). No `import.meta` here, so the end-to-end tests can
 * import the same value to start their sandbox where the build expects it.
 */
export const defaultWebFhirBase = 'http://127.0.0.1:8787/fhir';

/** The SMART client the sandbox registers for Relais (public, PKCE S256, loopback redirects). */
export const webClientId = 'relais-desktop';

/** Where the provider sends the browser back; the page handles it at start (web-session.ts). */
export const callbackPath = '/callback';
