import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP_HEADER } from '../src/pwa/headers';
import { ORT_CACHE } from '../src/pwa/ort-cache';

/**
 * The shipped build carries no test-only code: fault injection (`?inject=`) and the benchmark page
 * exist only in `vite build --mode e2e` builds (src/core/test-hooks.ts). Both builds are made here,
 * so that the strings looked for are shown to be there in the test build: a search that finds
 * nothing anywhere proves nothing.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');

/** Words that only the test hooks' code contains. */
const INJECTION = ['inject=', 'worker-crash', 'pretend-hardware-gpu', 'Injected worker crash', 'Injected backend failure'];
/** The bench page's own words (src/bench/bench-page.ts). */
const BENCH = ['distillBench', 'Benchmark log'];

let dir = '';

function build(mode: 'production' | 'e2e'): string {
  const out = join(dir, mode);
  // A child process: vitest's own NODE_ENV=test would give React's development build.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.VITEST;
  execFileSync(process.execPath, [VITE, 'build', '--mode', mode, '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((f) => join(root, f))
    .filter((f) => statSync(f).isFile());
}

/** Which of `words` occur in which .js/.html file of the build. */
function occurrences(root: string, words: string[]): string[] {
  const found: string[] = [];
  for (const file of files(root).filter((f) => /\.(js|mjs|html)$/.test(f))) {
    const text = readFileSync(file, 'utf8');
    for (const w of words) if (text.includes(w)) found.push(`${relative(root, file)}: ${w}`);
  }
  return found;
}

let product = '';
let e2e = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'product-bundle-'));
  product = build('production');
  e2e = build('e2e');
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** ONNX Runtime's loaders and wasm binaries: cached on first use (src/pwa/ort-cache.ts), never precached. */
const ORT_FILE = /^assets\/ort-wasm-simd-threaded[\w.-]*\.(?:wasm|mjs)$/;
/** A name only ONNX Runtime's own code carries (its wasm API), in its lazy chunk and its loaders. */
const ORT_CODE = 'OrtCreateSession';

/** The files sw.js precaches, from the list workbox-build wrote into it. */
function precached(root: string): string[] {
  const sw = readFileSync(join(root, 'sw.js'), 'utf8');
  return [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] as string).sort();
}

describe('the service worker of both builds', () => {
  it.each([['production'], ['e2e']])(
    '%s: a classic script that precaches every file but itself, source maps and the bench page, and knows the CSP',
    (mode) => {
      const root = mode === 'e2e' ? e2e : product;
      const sw = readFileSync(join(root, 'sw.js'), 'utf8');
      expect(sw).not.toMatch(/^\s*(import|export)\b/m);
      expect(sw).toContain(CSP_HEADER);
      const expected = files(root)
        .map((f) => relative(root, f).split('\\').join('/'))
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map') && !/^assets\/bench[-.]/.test(f) && !ORT_FILE.test(f))
        .sort();
      expect(expected).toContain('index.html');
      expect(expected).toContain('data/mnist-10k.bin');
      expect(precached(root)).toEqual(expected);
    },
  );
});

describe('the product build', () => {
  it('has no fault injection in any script (the e2e build has it)', () => {
    expect(occurrences(e2e, INJECTION).length).toBeGreaterThan(0);
    expect(occurrences(product, INJECTION)).toEqual([]);
  });

  it('has no bench page: no chunk, no words of it (the e2e build has it)', () => {
    const benchFiles = (root: string) => files(root).filter((f) => /(^|[/\\])bench[-.]/.test(relative(root, f)));
    expect(benchFiles(e2e).length).toBeGreaterThan(0);
    expect(occurrences(e2e, BENCH).length).toBeGreaterThan(0);
    expect(benchFiles(product)).toEqual([]);
    expect(occurrences(product, BENCH)).toEqual([]);
  });

  it('still is the studio, with no inline script', () => {
    const all = files(product);
    const html = readFileSync(join(product, 'index.html'), 'utf8');
    expect(html).toContain('<title>Distill Studio</title>');
    // The CSP allows no inline script: the page registers sw.js itself, nothing is injected to do it.
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => /\bsrc=/.test(tag))).toBe(true);
    expect(all.filter((f) => /registerSW|workbox-[\w]+\.js$/.test(f))).toEqual([]);
  });

  it('loads little before the page can start', () => {
    const all = files(product);
    const html = readFileSync(join(product, 'index.html'), 'utf8');
    expect(all.some((f) => /distill\.worker-[\w-]+\.js$/.test(f))).toBe(true);
    // What the browser fetches before the page can start: the page, its entry script, the chunks it preloads and its CSS.
    const firstLoad = ['index.html', ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string)];
    const gzip = (f: string) => gzipSync(readFileSync(join(product, f))).byteLength;
    const firstLoadGzip = firstLoad.reduce((sum, f) => sum + gzip(f), 0);
    const totalBytes = all.reduce((sum, f) => sum + statSync(f).size, 0);
    const scriptsGzip = all.filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gzip(relative(product, f)), 0);
    console.log(
      `product build: ${all.length} files, ${(totalBytes / 1e6).toFixed(1)} MB in all (data and teachers included); scripts ${(scriptsGzip / 1024).toFixed(0)} KB gzip; first load ${firstLoad.length} files, ${(firstLoadGzip / 1024).toFixed(1)} KB gzip`,
    );
    expect(firstLoad.length).toBeGreaterThanOrEqual(2);
    // tfjs belongs to the worker: a page module that imports anything of it triples the first load.
    const withTfjs = firstLoad.filter((f) => f.endsWith('.js') && readFileSync(join(product, f), 'utf8').includes('Conv2DBackpropFilter'));
    expect(withTfjs, 'first-load scripts that carry tfjs').toEqual([]);
    // The README's promise (also measured in the browser by e2e/smooth.spec.ts).
    expect(firstLoadGzip, `first load: ${firstLoad.join(', ')}`).toBeLessThan(150 * 1024);
  });
});

/** Chunks a script imports statically (`import … from "./x.js"`), transitively: what loads with it. */
function staticClosure(root: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g))
      visit(join(dirname(file), m[1] as string));
  };
  visit(entry);
  return [...seen];
}

describe('ONNX Runtime in the product build', () => {
  const assets = () => files(product).map((f) => relative(product, f).split('\\').join('/'));

  it('is served by the app as files of their own: its wasm binary is emitted whole, not inlined', () => {
    const wasm = assets().filter((f) => /^assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f));
    expect(wasm).toHaveLength(1);
    expect(statSync(join(product, wasm[0] as string)).size).toBeGreaterThan(5e6);
    expect(assets().filter((f) => ORT_FILE.test(f) && f.endsWith('.mjs')).length).toBeGreaterThan(0);
  });

  it('is in no first-load script and not in the worker’s start, only in a chunk the worker imports when an ONNX model is used', () => {
    const html = readFileSync(join(product, 'index.html'), 'utf8');
    const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(firstLoad.length).toBeGreaterThan(0);
    const carries = (f: string) => readFileSync(join(product, f), 'utf8').includes(ORT_CODE);
    expect(firstLoad.filter(carries), 'first-load scripts with ONNX Runtime').toEqual([]);

    const worker = assets().find((f) => /^assets\/distill\.worker-[\w-]+\.js$/.test(f));
    expect(worker).toBeDefined();
    const workerStart = staticClosure(product, worker as string);
    expect(workerStart.filter(carries), 'worker start scripts with ONNX Runtime').toEqual([]);
    // The search finds it where it is: a chunk of its own that the worker imports dynamically.
    const lazy = assets().filter((f) => f.endsWith('.js') && carries(f));
    expect(lazy.length).toBeGreaterThan(0);
    const workerText = readFileSync(join(product, worker as string), 'utf8');
    expect(lazy.some((f) => workerText.includes(`import("./${f.slice('assets/'.length)}")`))).toBe(true);
  });

  it('is cached on first use, not precached: the service worker lists none of its files and has a route for them', () => {
    expect(assets().filter((f) => ORT_FILE.test(f)).length).toBeGreaterThanOrEqual(2);
    expect(precached(product).filter((f) => /ort-wasm/.test(f))).toEqual([]);
    expect(readFileSync(join(product, 'sw.js'), 'utf8')).toContain(ORT_CACHE);
  });
});
