import { defineConfig } from '@playwright/test';
import type { BackendOption } from './e2e/fixtures';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, WEBGPU_FLAGS } from './e2e/chromium';

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig<BackendOption>({
  testDir: 'e2e',
  timeout: 8 * 60_000,
  expect: { timeout: 30_000 },
  // Two cores: one browser training at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  // The service worker would precache ~21 MB behind every test and take the page over mid-run: only the offline spec allows it.
  use: { baseURL: `http://localhost:${port}`, trace: 'retain-on-failure', serviceWorkers: 'block' },
  projects: [
    { name: 'wasm', use: { backend: 'wasm', launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] } } },
    // Without a GPU this is SwiftShader's software adapter: slow, so its runs are kept short. Uploads,
    // parsing and export do not depend on the backend, so those specs run on wasm only.
    {
      name: 'webgpu',
      testMatch: 'distill.spec.ts',
      use: { backend: 'webgpu', launchOptions: { executablePath: CHROMIUM_PATH, args: [...WEBGPU_FLAGS] } },
    },
  ],
  webServer: {
    // One build folder per port, so that two suites on one machine never overwrite each other's build.
    command: `npx vite build --mode e2e --outDir .e2e-dist/${port} --emptyOutDir && npx vite preview --outDir .e2e-dist/${port} --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
