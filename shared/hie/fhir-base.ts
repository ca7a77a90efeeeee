/**
 * Where the HIE may be reached: https, or plain http only on the loopback interface (the sandbox,
 * a local gateway). Decided with `new URL` and exact comparisons.
 */
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class HieConfigurationError extends Error {
  readonly code = 'HIE_URL_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'HieConfigurationError';
  }
}

/** Parses and checks the configured FHIR base; returns it with a trailing slash. */
export function checkedFhirBase(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HieConfigurationError('The HIE address is not a valid URL.');
  }
  if (url.username !== '' || url.password !== '') throw new HieConfigurationError('The HIE address must not carry credentials.');
  if (url.search !== '' || url.hash !== '') throw new HieConfigurationError('The HIE address must not carry a query or fragment.');
  const loopback = loopbackHosts.has(url.hostname) || loopbackHosts.has(`[${url.hostname}]`);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new HieConfigurationError('The HIE must be reached over HTTPS (plain HTTP is allowed only on this computer).');
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}
