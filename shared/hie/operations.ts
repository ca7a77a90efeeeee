import type { TransportRequest } from './transport';

/**
 * The FHIR operations the sync engine needs, and nothing else: the page asks main for one of
 * these, main attaches the token. A request of any other shape (a conditional delete or update
 * across a type, another operation, an encoded slash or dot segment that a server might decode
 * into another path) is refused before it leaves the laptop.
 */
export type HieOperation =
  | 'capabilities' // GET metadata
  | 'search' // GET Type?…
  | 'read' // GET Type/id
  | 'vread' // GET Type/id/_history/vid
  | 'history' // GET _history?… or Type/_history?…
  | 'everything' // GET Patient/id/$everything?…
  | 'update' // PUT Type/id
  | 'delete' // DELETE Type/id
  | 'create' // POST Type
  | 'transaction' // POST [base] with a transaction or batch Bundle
  | 'break-the-glass'; // POST Patient/$break-the-glass

const type = '[A-Z][A-Za-z]{1,63}';
const id = '[A-Za-z0-9\\-.]{1,64}';
const shapes: ReadonlyArray<readonly [string, RegExp, HieOperation, boolean]> = [
  // method, path under the base, operation, query allowed
  ['GET', /^metadata$/, 'capabilities', false],
  ['GET', new RegExp(`^${type}$`), 'search', true],
  ['GET', new RegExp(`^${type}/${id}$`), 'read', false],
  ['GET', new RegExp(`^${type}/${id}/_history/${id}$`), 'vread', false],
  ['GET', new RegExp(`^(?:${type}/)?_history$`), 'history', true],
  ['GET', new RegExp(`^Patient/${id}/\\$everything$`), 'everything', true],
  ['PUT', new RegExp(`^${type}/${id}$`), 'update', false],
  ['DELETE', new RegExp(`^${type}/${id}$`), 'delete', false],
  ['POST', new RegExp(`^${type}$`), 'create', false],
  ['POST', /^$/, 'transaction', false],
  ['POST', /^Patient\/\$break-the-glass$/, 'break-the-glass', false],
];

/** The operation a request is, or null. `base`: the FHIR base with its trailing slash. */
export function hieOperationOf(request: Pick<TransportRequest, 'method' | 'target' | 'body'>, base: URL): HieOperation | null {
  const raw = request.target;
  const rawPath = raw.split(/[?#]/, 1)[0] as string;
  // Encoded separators and dot segments, backslashes: a proxy or server may decode them into another path.
  if (/%(2f|5c|2e|00)/i.test(rawPath) || rawPath.includes('\\') || raw.includes('#')) return null;
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.username !== '' || url.password !== '') return null;
  const path = url.pathname.slice(base.pathname.length);
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return null;
  for (const [method, pattern, operation, query] of shapes) {
    if (method !== request.method || !pattern.test(path)) continue;
    if (!query && url.search !== '') return null;
    if (operation === 'transaction') {
      const body = request.body as { resourceType?: unknown; type?: unknown } | null | undefined;
      if (body?.resourceType !== 'Bundle' || (body.type !== 'transaction' && body.type !== 'batch')) return null;
    }
    return operation;
  }
  return null;
}
