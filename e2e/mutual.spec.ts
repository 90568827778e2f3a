import { expect, fill, rowPercent, TWO_MOONS, test } from './fixtures';

/** Issue 15's Mutual learning and Born-again, on Two moons with its shipped teacher and short runs. */

test.use({ startHash: TWO_MOONS });

test('mutual learning shows the peer student, and born-again over 2 generations fills the Generations table', async ({ studio: page }) => {
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 120_000 });
  await fill(page, 'Student epochs', 2);
  const method = page.getByLabel('Method', { exact: true });
  const results = page.getByRole('table', { name: 'Results' });

  await method.selectOption({ label: 'Mutual learning' });
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  await expect(results.getByRole('rowheader', { name: /^Peer student/ })).toBeVisible();
  expect(await rowPercent(page, 'Peer student', 'Test accuracy')).toBeGreaterThan(50);
  const lossChart = page.getByRole('figure', { name: /Training loss per step/ });
  await expect(lossChart.getByText('Peer: total', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Generations' })).toHaveCount(0);

  await method.selectOption({ label: 'Born-again' });
  await fill(page, 'Generations', 2);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  const generations = page.getByRole('table', { name: 'Generations' });
  await expect(generations.getByRole('rowheader')).toHaveText(['1', '2']);
  for (const row of await generations
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader') })
    .all()) {
    await expect(row.getByRole('cell').first()).toHaveText(/^\d{1,3}\.\d{2}%$/);
    await expect(row.getByRole('cell').nth(1)).toHaveText(/^[+−]\d+\.\d{2}$/);
  }
  // The students copy the teacher's architecture (the shipped MLP 32-32), not the mlp-64 preset.
  await expect(results.getByRole('rowheader', { name: /^Distilled student.*Teacher's architecture.*generation 2/ })).toBeVisible();
  await expect(results.getByRole('rowheader', { name: /^Peer student/ })).toHaveCount(0);
});
