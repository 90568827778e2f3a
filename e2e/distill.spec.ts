import { expect, fill, rowPercent, settledValue, shippedTeacherReady, TWO_MOONS, test } from './fixtures';

/**
 * The first visit, as a person makes it: train a small teacher, distil, watch the charts, pause,
 * resume, stop, run again. Short settings: the full recipe belongs to `npm run bench`.
 */
test('train a teacher, distil it, and read the results', async ({ studio: page, backend }) => {
  const soft = backend === 'webgpu'; // a software adapter here: about 40x slower than wasm
  await shippedTeacherReady(page, backend); // the shipped teacher, ready without training
  await page.getByText('Train a teacher here').click();
  await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
  // SwiftShader's cost is per step more than per row: on it the teacher takes 16 steps of 512 rows
  // (89.9% on the CPU backend) and the students 63 of 128 (88.1% and 90.6%), instead of 125 of 64 each.
  await fill(page, 'Teacher epochs', soft ? 1 : 2);
  await fill(page, 'Student epochs', soft ? 1 : 3);
  await fill(page, 'Batch size', soft ? 512 : 64);
  await fill(page, 'Learning rate', soft ? 0.01 : 0.003);
  await fill(page, 'Temperature', 4);
  await fill(page, 'Alpha', 0.9);
  await fill(page, 'Seed', 7);

  const distillButton = page.getByRole('button', { name: 'Distill', exact: true });
  await page.getByRole('button', { name: 'Train teacher' }).click();
  await expect(page.getByText(/Training the teacher/)).toBeVisible();
  await expect(page.getByText(/Ready: MLP in-256-out/)).toBeVisible({ timeout: 5 * 60_000 });
  const teacherAcc = await rowPercent(page, 'Teacher', 'Test accuracy');
  expect(teacherAcc).toBeGreaterThan(85);

  if (soft) {
    await fill(page, 'Batch size', 128);
    await fill(page, 'Learning rate', 0.005);
  }
  await distillButton.click();
  const progress = page.getByRole('progressbar', { name: 'Run progress' });
  await expect(progress).toBeVisible();
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/samples\/s/, { timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/left/);

  // Pause: the loss chart stops growing until resumed.
  const lossChart = page.getByRole('figure', { name: /Training loss per step/ });
  // data-last-step: where the (downsampled) curve ends; it grows with training, whatever the number of points drawn.
  await expect.poll(async () => Number(await lossChart.getAttribute('data-last-step')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(page.getByText(/\(paused\)/)).toBeVisible();
  // The chart commits every 250 ms while points arrive: once paused, its last step holds still for good
  // (a chart that kept growing would never settle, and this would time out).
  const pausedAt = await settledValue(() => lossChart.getAttribute('data-last-step'), {
    quietMs: 1500,
    message: 'the loss chart stops growing while paused',
  });
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();

  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  await expect(progress).toBeHidden();
  expect(Number(await lossChart.getAttribute('data-last-step'))).toBeGreaterThan(Number(pausedAt));
  expect(Number(await lossChart.getAttribute('data-points'))).toBeGreaterThan(0);
  const accChart = page.getByRole('figure', { name: /Test accuracy per epoch/ });
  await expect(accChart).toHaveAttribute('data-points', soft ? '1' : '3');
  await expect(page.getByRole('figure', { name: /Agreement with the teacher/ }).locator('.recharts-line')).toHaveCount(2);

  const distilled = await rowPercent(page, 'Distilled student', 'Test accuracy');
  const scratch = await rowPercent(page, 'Scratch student', 'Test accuracy');
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBe(teacherAcc);
  expect(distilled).toBeGreaterThan(85);
  expect(scratch).toBeGreaterThan(85);
  expect(await rowPercent(page, 'Teacher', 'Agreement with teacher')).toBe(100);
  await expect(page.getByText(/The distilled student is .* smaller/)).toBeVisible();
});

/** Flows that do not depend on the data set start on Two moons: on WebGPU here, MNIST's start alone takes half a minute. */
test.describe('on Two moons', () => {
  test.use({ startHash: TWO_MOONS });

  test('stop ends a run at once, and the next run starts cleanly', async ({ studio: page }) => {
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 120_000 });
    await page.getByText('Train a teacher here').click();
    await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
    // The runs that are stopped are long (thousands of steps), so that they are still running when
    // Stop comes on any backend; the ones that must finish are one epoch of a few steps.
    await fill(page, 'Teacher epochs', 200);
    await fill(page, 'Batch size', 32);
    await fill(page, 'Student epochs', 200);
    await page.getByRole('button', { name: 'Train teacher' }).click();

    // Stop teacher training mid-way: the teacher the user had stays.
    await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/samples\/s/, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText(/Run stopped/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible();

    await fill(page, 'Teacher epochs', 1);
    await fill(page, 'Batch size', 256);
    await page.getByRole('button', { name: 'Train teacher' }).click();
    await expect(page.getByText(/Ready: MLP/)).toBeVisible({ timeout: 5 * 60_000 });

    await fill(page, 'Batch size', 32);
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    await expect(page.getByRole('status', { name: 'Run status' })).toContainText(/samples\/s/, { timeout: 60_000 });
    // Stop while paused works too.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText(/Run stopped/)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('progressbar')).toBeHidden();

    await fill(page, 'Student epochs', 1);
    await fill(page, 'Batch size', 256);
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
    await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '1');
  });

  test('a bad setting is explained and blocks the run without losing the last good value', async ({ studio: page }) => {
    const distill = page.getByRole('button', { name: 'Distill', exact: true });
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 120_000 });
    await expect(distill).toBeEnabled();
    await fill(page, 'Alpha', 1.5);
    await expect(page.getByText('Alpha must be from 0 to 1.').first()).toBeVisible();
    await expect(distill).toBeDisabled();
    await expect(page.getByLabel('Alpha', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await fill(page, 'Alpha', 0.5);
    await expect(distill).toBeEnabled();
    await page.reload();
    await expect(page.getByLabel('Alpha', { exact: true })).toHaveValue('0.5');
  });
});
