import { expect, fill, shippedTeacherReady, test } from './fixtures';

/** The teaching views of the issue "Teaching views and run history": analysis, dark-knowledge explorer, loss explanation. */

test('after a distillation: analysis, a live explorer, and the loss in words', async ({ studio: page, backend }) => {
  const explain = page.getByRole('region', { name: 'What is happening' });
  await expect(explain.getByText('= 0.9 · 16 · KL + 0.1 · CE')).toBeVisible();

  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });

  const analysis = page.getByRole('region', { name: 'Analysis' });
  await expect(analysis.getByRole('heading', { name: 'Analysis' })).toBeVisible();
  await expect.poll(() => analysis.getByRole('table', { name: /Confusion matrix/ }).count()).toBeGreaterThanOrEqual(4);
  await expect(analysis.getByRole('table', { name: /Confusion matrix difference: distilled − teacher/ })).toBeVisible();
  await expect(
    analysis.getByText(/Expected calibration error .*teacher \d+\.\d%, distilled student \d+\.\d%, scratch student \d+\.\d%/),
  ).toBeVisible();
  await expect(analysis.getByRole('figure', { name: /Per-class test accuracy/ })).toBeVisible();

  const explorer = page.getByRole('region', { name: 'Dark-knowledge explorer' });
  await expect(explorer.getByRole('img', { name: /^Test example 1: digit \d$/ })).toBeVisible();
  const entropy = explorer.getByText(/^Teacher entropy at T = /);
  await expect(entropy).toContainText('Teacher entropy at T = 4:');
  const atRunT = await entropy.textContent();
  await explorer.getByLabel('Explorer temperature').fill('12');
  await expect(entropy).toContainText('Teacher entropy at T = 12:');
  expect(await entropy.textContent()).not.toBe(atRunT);

  const number = explorer.getByRole('spinbutton', { name: 'Test example' });
  await explorer.getByRole('button', { name: 'Next' }).click();
  await expect(number).toHaveValue('2');
  await expect(explorer.getByRole('img', { name: /^Test example 2: digit \d$/ })).toBeVisible();
  await number.fill('10');
  await expect(explorer.getByRole('img', { name: /^Test example 10: digit \d$/ })).toBeVisible();
  await explorer.getByRole('button', { name: 'Show a mistake' }).click();
  await expect(explorer.getByText(/distilled student \d \(wrong\)/)).toBeVisible();

  await fill(page, 'Temperature', 2);
  await expect(explain.getByText('= 0.9 · 4 · KL + 0.1 · CE')).toBeVisible();
});

test('tabular data: the explorer lists the example’s features by name', async ({ studio: page }) => {
  await page.getByLabel('Built-in data set').selectOption({ label: 'Iris flowers' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Iris MLP 32 \(shipped\)/)).toBeVisible({ timeout: 60_000 });
  await fill(page, 'Student epochs', 2);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 2 * 60_000 });

  const explorer = page.getByRole('region', { name: 'Dark-knowledge explorer' });
  const features = explorer.getByRole('table', { name: /^Test example 1: class .+: feature values$/ });
  await expect(features.getByRole('rowheader', { name: 'petal length' })).toBeVisible();
  await expect(features.getByRole('row')).toHaveCount(5); // header + 4 features
  await explorer.getByRole('button', { name: 'Next' }).click();
  await expect(explorer.getByRole('table', { name: /^Test example 2: class / })).toBeVisible();
});
