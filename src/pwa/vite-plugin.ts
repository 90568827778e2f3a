import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import type { PrecacheEntry, PrecacheManifest } from './protocol';

const ENTRY = fileURLToPath(new URL('./sw-entry.ts', import.meta.url));
const SW_FILE = 'sw.js';
const PLACEHOLDER = 'self.__PRECACHE_MANIFEST';

export interface PrecacheOptions {
  /** Headers the page must carry even when replayed from the cache (isolation, CSP). */
  documentHeaders: Record<string, string>;
  /** Output files (paths relative to the output folder, with '/') not worth keeping offline. */
  exclude?: RegExp[];
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [])));
  return nested.flat();
}

/**
 * Emits the service worker (src/pwa/sw-entry.ts, bundled with the app) as /sw.js and, once the
 * build is written, fills in its precache list: every file in the output folder (chunks, worker
 * bundles, CSS, the tfjs .wasm binaries, and the public files: MNIST, shipped teachers, icons,
 * manifest), with index.html as './'. The version is a hash of all of them and of sw.js itself, so
 * any change to any file makes a new cache.
 */
export function precacheServiceWorker(options: PrecacheOptions): Plugin {
  let outDir = '';
  return {
    name: 'distill-precache-sw',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: ENTRY, fileName: SW_FILE });
    },
    writeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const swPath = join(outDir, SW_FILE);
        const code = await readFile(swPath, 'utf8');
        if (code.split(PLACEHOLDER).length !== 2) throw new Error(`${SW_FILE}: expected ${PLACEHOLDER} exactly once`);
        if (/^\s*(import|export)\b/m.test(code)) throw new Error(`${SW_FILE} must be a classic script, with no import or export once bundled`);

        const exclude = [/\.map$/, ...(options.exclude ?? [])];
        const files = (await walk(outDir))
          .map((abs) => ({ abs, rel: relative(outDir, abs).split(sep).join('/') }))
          .filter(({ rel }) => rel !== SW_FILE && !exclude.some((re) => re.test(rel)))
          .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

        const hash = createHash('sha256').update(code);
        const entries: PrecacheEntry[] = [];
        for (const { abs, rel } of files) {
          const bytes = await readFile(abs);
          const fileHash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
          hash.update(rel).update('\0').update(fileHash).update('\0');
          entries.push({ url: rel === 'index.html' ? './' : rel, size: bytes.byteLength, hash: fileHash });
        }
        const manifest: PrecacheManifest = { version: hash.digest('hex').slice(0, 16), entries, documentHeaders: options.documentHeaders };
        await writeFile(swPath, code.replace(PLACEHOLDER, JSON.stringify(manifest)));

        const bytes = entries.reduce((sum, e) => sum + e.size, 0);
        this.environment.logger.info(`precache: ${entries.length} files, ${(bytes / 1e6).toFixed(1)} MB, version ${manifest.version} (${SW_FILE})`);
      },
    },
  };
}
