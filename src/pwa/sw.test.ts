import { beforeEach, describe, expect, it } from 'vitest';
import { CSP_HEADER, DOCUMENT_HEADERS, ISOLATION_HEADERS } from './headers';
import { offlineText } from './OfflineStatus';
import { applySwMessage, getOfflineState, type OfflineState } from './register';
import { PrecacheProgress } from './sw-progress';
import { isAppShell, withHeaders, withRequiredHeaders } from './sw-responses';
import { isOrtFile, ortStem, staleCopies } from './ort-cache';

// The service worker itself, workbox and all, runs in a fake scope in tests/service-worker.test.ts.

const ORIGIN = 'https://studio.test';

describe('the headers the service worker adds', () => {
  it('a document gets the isolation headers and the CSP, a worker script the isolation headers, anything else nothing', () => {
    const bare = () => new Response('x', { headers: { 'Content-Type': 'text/plain' } });
    const page = withRequiredHeaders({ mode: 'navigate', destination: 'document' }, bare());
    for (const [name, value] of Object.entries(DOCUMENT_HEADERS)) expect(page.headers.get(name)).toBe(value);
    expect(page.headers.get('Content-Security-Policy')).toBe(CSP_HEADER);
    expect(page.headers.get('Content-Type')).toBe('text/plain');

    for (const destination of ['worker', 'sharedworker'] as const) {
      const worker = withRequiredHeaders({ mode: 'same-origin', destination }, bare());
      expect(worker.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
      expect(worker.headers.has('Content-Security-Policy')).toBe(false);
    }
    const script = bare();
    expect(withRequiredHeaders({ mode: 'cors', destination: 'script' }, script)).toBe(script);
  });

  it('keeps the headers a response already has', () => {
    const own = withHeaders(new Response('x', { headers: { 'Content-Security-Policy': "default-src 'none'" } }), DOCUMENT_HEADERS);
    expect(own.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
    expect(own.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  it('leaves opaque and complete responses as they are', () => {
    const error = Response.error();
    expect(withHeaders(error, ISOLATION_HEADERS)).toBe(error);
    const complete = new Response('x', { headers: ISOLATION_HEADERS });
    expect(withHeaders(complete, ISOLATION_HEADERS)).toBe(complete);
  });
});

describe('the page the service worker answers for', () => {
  it('is the root or index.html, under any query, and nothing else', () => {
    const scope = `${ORIGIN}/`;
    for (const url of ['/', '/index.html', '/?backend=wasm&bench=1']) expect(isAppShell(new URL(url, ORIGIN), scope)).toBe(true);
    for (const url of ['/models/elsewhere.html', '/index.htm', 'https://elsewhere.test/'])
      expect(isAppShell(new URL(url, ORIGIN), scope)).toBe(false);
  });
});

describe('precache progress', () => {
  const progress = () =>
    new PrecacheProgress(
      [
        { url: 'index.html', bytes: 1000 },
        { url: 'data/mnist-10k.bin', bytes: 3000 },
      ],
      `${ORIGIN}/`,
    );

  it('counts bytes, not files', () => {
    const p = progress();
    expect(p.start()).toEqual({ type: 'distill-sw:progress', done: 0, total: 4000 });
    expect(p.completed(`${ORIGIN}/data/mnist-10k.bin`)).toEqual({ type: 'distill-sw:progress', done: 3000, total: 4000 });
    expect(p.completed(`${ORIGIN}/not-listed.js`)).toEqual({ type: 'distill-sw:progress', done: 3000, total: 4000 });
    expect(p.completed(`${ORIGIN}/index.html`)).toEqual({ type: 'distill-sw:progress', done: 4000, total: 4000 });
  });

  it('a status says what is missing, by bytes', () => {
    expect(progress().status([])).toEqual({ type: 'distill-sw:status', ready: true, done: 4000, total: 4000 });
    expect(progress().status([`${ORIGIN}/index.html`])).toEqual({ type: 'distill-sw:status', ready: false, done: 3000, total: 4000 });
  });
});

describe('offline status line', () => {
  const base: OfflineState = { phase: 'preparing', percent: 0, online: true, controlled: false, error: null };
  beforeEach(() => applySwMessage({ type: 'distill-sw:status', ready: false, done: 0, total: 1 }));

  it('follows the service worker: progress by bytes, then ready, and a new build caching does not undo ready', () => {
    applySwMessage({ type: 'distill-sw:progress', done: 250, total: 1000 });
    expect(getOfflineState()).toMatchObject({ phase: 'preparing', percent: 25 });
    applySwMessage({ type: 'distill-sw:ready' });
    expect(getOfflineState().phase).toBe('ready');
    applySwMessage({ type: 'distill-sw:progress', done: 1, total: 1000 });
    applySwMessage({ type: 'distill-sw:failed', message: 'HTTP 500' });
    expect(getOfflineState().phase).toBe('ready');
  });

  it('reports a failed caching', () => {
    applySwMessage({ type: 'distill-sw:failed', message: '/data/mnist-10k.bin: HTTP 404' });
    expect(getOfflineState()).toMatchObject({ phase: 'failed', error: '/data/mnist-10k.bin: HTTP 404' });
  });

  it('says what the user can count on', () => {
    expect(offlineText({ ...base, percent: 42 })).toBe('Preparing offline use… 42%');
    expect(offlineText({ ...base, phase: 'ready' })).toBe('Available offline');
    expect(offlineText({ ...base, phase: 'ready', online: false, controlled: true })).toBe('Offline: using the saved copy');
    expect(offlineText({ ...base, online: false })).toBe('Offline');
    expect(offlineText({ ...base, phase: 'failed' })).toMatch(/^Not yet available offline/);
    expect(offlineText({ ...base, phase: 'off' })).toBe('');
  });
});

describe("ONNX Runtime's files, cached on first use", () => {
  const scope = `${ORIGIN}/`;
  const url = (path: string) => new URL(path, ORIGIN);

  it('are the loaders and wasm binaries of this app, and nothing else', () => {
    for (const path of [
      '/assets/ort-wasm-simd-threaded-DcHrbrbl.wasm',
      '/assets/ort-wasm-simd-threaded-qyIweqWS.mjs',
      '/assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm',
    ])
      expect(isOrtFile(url(path), scope), path).toBe(true);
    for (const path of [
      '/assets/ort.wasm.bundle.min-mN2DqgVy.js',
      '/assets/tfjs-backend-wasm-BIA8cDLW.wasm',
      '/ort-wasm-simd-threaded-DcHrbrbl.wasm',
      '/assets/ort-wasm-simd-threaded-DcHrbrbl.wasm.map',
    ])
      expect(isOrtFile(url(path), scope), path).toBe(false);
    expect(isOrtFile(new URL('https://cdn.test/assets/ort-wasm-simd-threaded-DcHrbrbl.wasm'), scope)).toBe(false);
    expect(isOrtFile(url('/studio/assets/ort-wasm-simd-threaded-DcHrbrbl.wasm'), `${ORIGIN}/studio/`)).toBe(true);
  });

  it('keep one copy per file: a new build replaces the same file of an older one, not its neighbours', () => {
    expect(ortStem(url('/assets/ort-wasm-simd-threaded.asyncify-D5D0fo7z.wasm'))).toBe('ort-wasm-simd-threaded.asyncify.wasm');
    expect(ortStem(url('/assets/ort-wasm-simd-threaded-a_b-c9Xz.mjs'))).toBe('ort-wasm-simd-threaded.mjs');
    const cached = [
      `${ORIGIN}/assets/ort-wasm-simd-threaded-OLDhash1.wasm`,
      `${ORIGIN}/assets/ort-wasm-simd-threaded-OLDhash2.mjs`,
      `${ORIGIN}/assets/ort-wasm-simd-threaded.asyncify-OLDhash3.wasm`,
      `${ORIGIN}/assets/ort-wasm-simd-threaded-NEWhash1.wasm`,
    ];
    expect(staleCopies(cached, `${ORIGIN}/assets/ort-wasm-simd-threaded-NEWhash1.wasm`)).toEqual([
      `${ORIGIN}/assets/ort-wasm-simd-threaded-OLDhash1.wasm`,
    ]);
  });
});
