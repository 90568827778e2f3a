import { DOCUMENT_HEADERS, ISOLATION_HEADERS } from './headers';

/**
 * What the service worker does to the responses it gives (src/pwa/sw.ts). Plain Request/Response
 * code, without workbox or service worker types, so that it type-checks with the page and unit
 * tests call it directly (src/pwa/sw.test.ts).
 */

/**
 * The response with `headers` added where missing. Opaque and error responses pass unchanged
 * (their headers cannot be read or set); so does one that already carries them all.
 */
export function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  if (response.type !== 'basic' && response.type !== 'default') return response;
  const missing = Object.keys(headers).filter((name) => !response.headers.has(name));
  // A redirected response cannot answer a navigation: a copy drops the flag.
  if (missing.length === 0 && !response.redirected) return response;
  const merged = new Headers(response.headers);
  for (const name of missing) merged.set(name, headers[name] as string);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}

/**
 * A response that starts a document carries the isolation headers and the CSP, and one that starts
 * a worker the isolation headers, even when replayed from the cache or fetched from a host that
 * omits them: so the page stays crossOriginIsolated offline and the wasm backend keeps its threads.
 */
export function withRequiredHeaders(request: Pick<Request, 'mode' | 'destination'>, response: Response): Response {
  if (request.mode === 'navigate') return withHeaders(response, DOCUMENT_HEADERS);
  if (request.destination === 'worker' || request.destination === 'sharedworker') return withHeaders(response, ISOLATION_HEADERS);
  return response;
}

/** The studio's page, under any query (?backend=wasm, ?bench=1): `scope` is the service worker's scope, ending in '/'. */
export function isAppShell(url: URL, scope: string): boolean {
  const bare = url.origin + url.pathname;
  return bare === scope || bare === `${scope}index.html`;
}
