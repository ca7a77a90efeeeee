/**
 * The renderer is served from a custom privileged scheme, never from file:// (which would give the
 * page the whole disk as its origin). `new URL('relais://app/').origin` is the opaque "null" for a
 * non-special scheme, so trust is decided on protocol and host, compared exactly.
 */
export const appScheme = 'relais';
export const appHost = 'app';
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

export function isAppUrl(candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return (
    url.protocol === `${appScheme}:` &&
    url.host === appHost &&
    url.username === '' &&
    url.password === '' &&
    url.port === ''
  );
}
