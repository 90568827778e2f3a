/**
 * The service worker's entry, emitted by src/pwa/vite-plugin.ts as /sw.js (a classic script: no
 * imports once bundled). The plugin replaces `self.__PRECACHE_MANIFEST` with the build's manifest.
 */
import type { PrecacheManifest } from './protocol';
import { createServiceWorker, type SwScope } from './sw';

declare const self: SwScope & { __PRECACHE_MANIFEST: PrecacheManifest };

createServiceWorker(self, self.__PRECACHE_MANIFEST);
