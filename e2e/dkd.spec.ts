import { expect, fill, rowPercent, TWO_MOONS, test } from './fixtures';

/** Issue 15's Decoupled KD and the soft-target ablations side by side in a sweep, on Two moons with its shipped teacher. */

test.use({ startHash: TWO_MOONS });

test('a DKD run charts TCKD and NCKD and gives results; a sweep over the three Soft targets fills the heatmap', async ({
  studio: page,
}) => {
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 120_000 });
  await fill(page, 'Student epochs', 2);
  const method = page.getByLabel('Method', { exact: true });
  await method.selectOption({ label: 'Decoupled KD (DKD)' });
  await fill(page, 'TCKD weight', 1);
  await fill(page, 'NCKD weight', 8);
  // The ablations are of Hinton KD: with DKD the select is off.
  await expect(page.getByLabel('Soft targets', { exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  const lossChart = page.getByRole('figure', { name: /Training loss per step/ });
  await expect(lossChart.getByText('TCKD', { exact: true })).toBeVisible();
  await expect(lossChart.getByText('NCKD', { exact: true })).toBeVisible();
  expect(await rowPercent(page, 'Distilled student', 'Test accuracy')).toBeGreaterThan(50);

  await method.selectOption({ label: 'Hinton KD' });
  await expect(page.getByLabel('Soft targets', { exact: true })).toBeEnabled();
  await page.getByLabel('Temperatures', { exact: true }).fill('4');
  await page.getByLabel('Alphas', { exact: true }).fill('0.9');
  await page.getByLabel('Seeds per cell', { exact: true }).fill('1');
  await fill(page, 'Student epochs', 1);
  const compare = page.getByRole('group', { name: 'Soft targets to compare' });
  for (const option of ["Teacher's", 'Shuffled non-target classes', 'Label smoothing'])
    await compare.getByRole('checkbox', { name: option, exact: true }).check();
  await expect(page.getByText(/^3 runs of 1 epoch \(3 cells × 1 seed\)/)).toBeVisible();
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByRole('status', { name: 'Sweep progress' })).toHaveText(/^Sweep finished: 3 runs/, { timeout: 60_000 });
  const heatmap = page.getByRole('table', { name: /^Sweep: distilled − scratch accuracy/ });
  await expect(heatmap.getByRole('columnheader')).toHaveText([
    'Temperature \\ alpha',
    "α = 0.9, Teacher's",
    'α = 0.9, Shuffled non-target classes',
    'α = 0.9, Label smoothing',
  ]);
  const cells = heatmap.locator('td');
  await expect(cells).toHaveCount(3);
  for (const cell of await cells.all()) {
    await expect(cell).toHaveAttribute('data-state', 'done');
    await expect(cell).toHaveText(/^[+−]?\d+\.\d{2}/);
  }
});
