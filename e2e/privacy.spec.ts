import { mlpOnnx, randomMlpWeights } from '../src/core/onnx/test-onnx-models';
import { expect, fill, openAdvancedPanels, shippedTeacherReady, test } from './fixtures';

/** ONNX Runtime's wasm binary, wherever it would come from. */
const ORT_WASM = /\/ort-wasm-simd-threaded[^/]*\.wasm(\?|$)/;

/**
 * Nothing leaves the page: every request of a whole session (load, upload, train, distil, export, an ONNX teacher)
 * goes to the studio's own origin, under a Content-Security-Policy that nothing violates.
 */
test('a whole session makes no request outside the origin and breaks no CSP rule', async ({ page, backend, consoleErrors, baseURL }) => {
  void consoleErrors; // CSP violations are also console errors: the fixture fails on them
  const origin = new URL(baseURL as string).origin;
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => requests.push(w.url()));
  await page.addInitScript(() => {
    (window as unknown as { violations: string[] }).violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { violations: string[] }).violations.push(`${e.violatedDirective}: ${e.blockedURI}`),
    );
  });

  const response = await page.goto(`/?backend=${backend}`);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' blob:");
  expect(csp).not.toContain('unsafe-inline');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', /connect-src 'self'/);
  await shippedTeacherReady(page, backend);
  await openAdvancedPanels(page); // Download student is in the Export panel

  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download student' }).click();
  await download;

  const csv = ['a,b,label', ...Array.from({ length: 60 }, (_, i) => `${i % 2 ? 1 : -1},${(i % 7) / 7},${i % 2 ? 'yes' : 'no'}`)].join('\n');
  await page.getByLabel('Upload dataset').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Load data set' }).click();
  await expect(page.getByText(/mine\.csv: \d+ training/)).toBeVisible();
  await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
  await fill(page, 'Teacher epochs', 2);
  await page.getByRole('button', { name: 'Train teacher' }).click();
  await expect(page.getByText(/Ready: MLP in-256-out/)).toBeVisible({ timeout: 60_000 });

  // An ONNX teacher: ONNX Runtime's wasm comes from the app's own origin, fetched only now.
  expect(
    requests.filter((url) => ORT_WASM.test(url)),
    'ONNX Runtime fetched before an ONNX model was used',
  ).toEqual([]);
  const onnx = mlpOnnx(randomMlpWeights(2, 4, 2, 1));
  await page
    .getByLabel('Upload teacher')
    .setInputFiles({ name: 'mine.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(onnx) });
  await expect(page.getByText(/Ready: Uploaded mine\.onnx \(ONNX/)).toBeVisible({ timeout: 60_000 });
  expect(
    requests.filter((url) => ORT_WASM.test(url) && url.startsWith(`${origin}/`)).length,
    'ONNX Runtime from the origin',
  ).toBeGreaterThan(0);

  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  const outside = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
  expect(outside, 'requests that left the origin').toEqual([]);
  expect(requests.length).toBeGreaterThan(3);
});
