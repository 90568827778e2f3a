import { expect, fill, rowPercent, shippedTeacherReady, test } from './fixtures';

/** The methods of the issue "Distillation methods and experiments", through the UI, on short runs. */

test('extra loss terms and a labelled fraction: each term charted, the configuration says so', async ({ studio: page, backend }) => {
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 1);
  await page.getByLabel('Labelled fraction').selectOption({ label: '10%' });
  await fill(page, 'Logit MSE weight', 0.5);
  const teacherLayer = page.getByLabel('Hint: teacher layer');
  const dense = (await teacherLayer.locator('option').allTextContents()).find((t) => /Dense/.test(t));
  expect(dense, 'a dense layer of the shipped CNN').toBeTruthy();
  await teacherLayer.selectOption({ label: dense as string });
  await expect(page.getByLabel('Hint: student layer')).toHaveValue('0');
  await fill(page, 'Hint weight', 0.1);

  await page.getByText('Configuration (JSON)').click();
  const experiment = JSON.parse((await page.getByLabel('Experiment configuration').textContent()) ?? '');
  expect(experiment.transfer).toEqual({ labelledFraction: 0.1, omitClass: null, jitter: 0 });
  expect(experiment.loss).toMatchObject({
    temperature: 4,
    alpha: 0.9,
    scaleByT2: true,
    logitMse: 0.5,
    hint: { weight: 0.1, teacherLayer: Number.parseInt(dense as string, 10), studentLayer: 0 },
  });
  expect(experiment.teacher).toEqual({ kind: 'shipped', id: 'mnist-cnn' });
  expect(experiment.data).toEqual({ kind: 'mnist' });

  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  const lossChart = page.getByRole('figure', { name: /Training loss per step/ });
  await expect(lossChart.getByText('Distilled: logit MSE')).toBeVisible();
  await expect(lossChart.getByText('Distilled: hint MSE')).toBeVisible();
  expect(await rowPercent(page, 'Distilled student', 'Test accuracy')).toBeGreaterThan(50);
});

test('omit a class: the student learns it from soft targets, and the bias slider shows the correction live', async ({
  studio: page,
  backend,
}) => {
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 2);
  await page.getByLabel('Omit class').selectOption({ label: '3' });
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  await expect(page.getByRole('figure', { name: /Test accuracy on the omitted class "3"/ })).toBeVisible();

  const view = page.getByRole('region', { name: 'Omitted class "3": bias correction' });
  const output = view.locator('output');
  await expect(output).toContainText('Bias 0.0');
  const slider = view.getByLabel('Bias added to the "3" logit');
  await slider.fill('8');
  await expect(output).toContainText('Bias 8.0');
  const onClass = async () => Number.parseFloat(/"3" (\d+\.\d+)%/.exec((await output.textContent()) ?? '')?.[1] ?? 'NaN');
  const raised = await onClass();
  await slider.fill('-5');
  await expect(output).toContainText('Bias -5.0');
  expect(await onClass()).toBeLessThan(raised); // a lower 3-logit can only lose 3s
  await view.getByRole('button', { name: /Use bias/ }).click();
  await expect(output).not.toContainText('Bias -5.0');
});

test('the same configuration gives the same numbers, and copies as JSON', async ({ studio: page, backend, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 1);
  await fill(page, 'Seed', 11);
  const distill = async () => {
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    await expect(page.getByText('Distillation finished.')).toBeHidden(); // the click clears the last run's notice
    await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
    return [await rowPercent(page, 'Distilled student', 'Test accuracy'), await rowPercent(page, 'Scratch student', 'Test accuracy')];
  };
  const first = await distill();
  expect(await distill()).toEqual(first);

  await page.getByRole('button', { name: 'Copy configuration' }).click();
  await expect(page.getByText('Copied the configuration as JSON.')).toBeVisible();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied).toMatchObject({
    version: 1,
    seed: 11,
    optimiser: { name: 'adam', epochs: 1, batchSize: 128, learningRate: 0.003 },
    student: { kind: 'preset', preset: 'mlp-64' },
  });
});
