import type { Page } from '@playwright/test';
import { expect, fill, test } from './fixtures';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium';

/**
 * Faults (issue "Reliability, privacy and access"), injected through the test-only ?inject= flag:
 * a backend that fails mid-run is replaced and the run goes on; a worker that dies is restarted
 * and what was loaded comes back. Two moons and its shipped teacher keep the runs short on any backend.
 */

/** Console errors and uncaught exceptions, except the one the test injects on purpose. */
function watchErrors(page: Page, expected?: RegExp): string[] {
  const errors: string[] = [];
  const keep = (text: string) => {
    if (!expected?.test(text)) errors.push(text);
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') keep(msg.text());
  });
  page.on('pageerror', (err) => keep(err.message));
  page.on('worker', (worker) => worker.on('console', (msg) => msg.type() === 'error' && keep(`worker: ${msg.text()}`)));
  return errors;
}

async function openTwoMoons(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
  await expect(page.getByText(/Ready: MNIST/)).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
}

async function backendFailsMidRun(page: Page, takesOver: RegExp): Promise<void> {
  const errors = watchErrors(page);
  await openTwoMoons(page, '/?backend=wasm&inject=backend-failure@2');
  await fill(page, 'Student epochs', 4);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  const what = page.getByRole('alert', { name: 'What happened' });
  await expect(what).toContainText(
    /^wasm failed at epoch 2 \(injected failure\); continued on \w+ from the end of epoch 1 \(the optimiser's state was reset there\)\./,
    { timeout: 120_000 },
  );
  const next = /continued on (\w+)/.exec((await what.textContent()) ?? '')?.[1] ?? '';
  expect(next).toMatch(takesOver);
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 180_000 });
  // Every epoch is there, once: epoch 1 from wasm, 2-4 from the backend that took over.
  await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '4');
  await expect(page.getByRole('img', { name: 'Decision boundary: distilled student, epoch 4' })).toBeVisible();
  // The backend status says where training runs now, and why.
  const status = page.getByRole('status', { name: 'Backend' });
  await expect(status).toContainText(`Backend: ${next}`);
  await expect(status).toContainText('wasm failed at epoch 2');
  // The injection fires once: the next run trains on the new backend from start to end.
  await fill(page, 'Student epochs', 2);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(what).toHaveCount(0);
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '2');
  expect(errors).toEqual([]);
}

// After a forced wasm, selectBackend's order is a software WebGL (Chromium's SwiftShader, here), then cpu.
test('a backend that fails mid-run: the run moves to the next backend and finishes there', async ({ page }) => {
  await backendFailsMidRun(page, /^(webgl|cpu)$/);
});

test('without WebGL, a failing wasm falls back to cpu', async ({ playwright, baseURL }) => {
  // Its own browser without WebGL (no GPU and no SwiftShader: --disable-3d-apis still leaves WebGL to workers).
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_FLAGS, '--disable-gpu', '--disable-software-rasterizer'],
  });
  try {
    const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
    await backendFailsMidRun(await context.newPage(), /^cpu$/);
  } finally {
    await browser.close();
  }
});

test('a worker that dies: the page notices, restarts it, reloads Two moons and its teacher, and a new run works', async ({ page }) => {
  const errors = watchErrors(page, /Injected worker crash/);
  await openTwoMoons(page, '/?backend=wasm&inject=worker-crash');
  await fill(page, 'Student epochs', 3);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  const what = page.getByRole('alert', { name: 'What happened' });
  await expect(what).toContainText(
    /^The training worker stopped \(.*Injected worker crash.*\)\. It was restarted; the run in progress was lost, everything else is back\./,
    { timeout: 60_000 },
  );
  // The run is over on the page (nothing left running), the backend is chosen again, Two moons and its teacher come back.
  await expect(page.getByRole('button', { name: 'Distill', exact: true })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '3');
  expect(errors).toEqual([]);
});
