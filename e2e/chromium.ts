/**
 * Debian's Chromium (Playwright cannot download its own browsers here) and the flags every launch of it
 * needs, for the e2e suite and the scripts that drive the app (bench, long-tasks, screenshots). Why each flag:
 * shared/docs/dependencies.md.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Without a GPU, WebGPU is SwiftShader's software adapter, and only with this flag. */
export const WEBGPU_FLAGS: readonly string[] = [...CHROMIUM_FLAGS, '--enable-unsafe-webgpu'];
