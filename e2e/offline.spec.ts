import { mlpOnnx, randomMlpWeights } from '../src/core/onnx/test-onnx-models';
import { expect, fill, shippedTeacherReady, test } from './fixtures';

/** A small MLP over MNIST's 784 pixels, as an .onnx file: another seed, another model. */
const onnxFile = (name: string, seed: number) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(mlpOnnx(randomMlpWeights(784, 8, 10, seed))),
});

/**
 * An installable PWA: after one visit, the studio, its data sets and its shipped teachers work with
 * the network off, still cross-origin isolated (the wasm backend keeps its threads).
 */
test.use({ serviceWorkers: 'allow' }); // the config blocks them for every other spec

test('after one visit the studio works offline: MNIST, its shipped teacher, a distillation, an ONNX teacher, Two moons', async ({
  studio: page,
  context,
  backend,
}) => {
  const offline = page.getByRole('status', { name: 'Offline readiness' });
  await expect(offline).toHaveText('Available offline', { timeout: 120_000 });
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ name: 'Distill Studio', start_url: './', display: 'standalone' });
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));

  // The service worker took the page over; after a reload it serves it.
  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText(`Backend: ${backend}`, { timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect(offline).toHaveText('Available offline');
  // One ONNX teacher online, under the service worker: ONNX Runtime's files are cached on this first use.
  await shippedTeacherReady(page, backend);
  await page.getByLabel('Upload teacher').setInputFiles(onnxFile('online.onnx', 1));
  await expect(page.getByText(/Ready: Uploaded online\.onnx \(ONNX/)).toBeVisible({ timeout: 60_000 });

  await context.setOffline(true);
  const fromWorker: string[] = [];
  page.on('response', (r) => r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname));
  const response = await page.reload();
  expect(response?.fromServiceWorker(), 'the page comes from the service worker').toBe(true);
  await expect(offline).toHaveText('Offline: using the saved copy');
  const status = page.getByRole('status', { name: 'Backend' });
  await expect(status).toContainText(`Backend: ${backend}`, { timeout: 60_000 });
  await expect(status).toContainText('was asked for in the URL');
  // Replayed from the cache, the page still carries COOP/COEP: isolated, so the wasm backend may use threads.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  if (backend === 'wasm') await expect(status).toHaveAttribute('title', /threads allowed/);

  // The network really is off for the service worker too: what it does not keep cannot be fetched
  // (probed from a second tab, on a small kept file, so that the expected failure is not this page's console error).
  const probe = await context.newPage();
  expect((await probe.goto('/manifest.webmanifest'))?.fromServiceWorker()).toBe(true);
  expect(
    await probe.evaluate(async () =>
      fetch(`/not-kept-offline-${Date.now()}.txt`).then(
        () => 'fetched',
        () => 'failed',
      ),
    ),
  ).toBe('failed');
  await probe.close();

  // MNIST and its shipped teacher, from the cache.
  await shippedTeacherReady(page, backend);

  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });

  // Another ONNX model (its outputs not cached either): ONNX Runtime runs from the service worker's copy.
  await page.getByLabel('Upload teacher').setInputFiles(onnxFile('offline.onnx', 2));
  await expect(page.getByText(/Ready: Uploaded offline\.onnx \(ONNX/)).toBeVisible({ timeout: 60_000 });
  expect(
    fromWorker.filter((p) => /^\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(p)),
    'ONNX Runtime from the service worker',
  ).toHaveLength(1);

  // A built-in 2-D data set with its shipped teacher.
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });

  for (const path of ['/', '/data/mnist-10k.bin', '/models/moons-mlp/model.json'])
    expect(fromWorker, `${path} from the service worker`).toContain(path);
  expect(
    fromWorker.filter((p) => /^\/assets\/(distill\.worker-.*\.js|tfjs-backend-wasm.*\.wasm)$/.test(p)).length,
    'the worker bundle and a wasm binary from the service worker',
  ).toBeGreaterThanOrEqual(2);
  await context.setOffline(false);
});
