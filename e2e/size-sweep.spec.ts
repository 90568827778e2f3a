import { expect, fill, test } from './fixtures';

/** Two moons and its shipped teacher, three tiny students, one epoch: the size sweep ends in seconds on wasm. */
test('a size sweep on Two moons: the chart, the Pareto front, the budget pick, Use this student', async ({ studio: page }) => {
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await fill(page, 'Student epochs', 1);

  const section = page.getByRole('region', { name: 'Smallest student' });
  const students = section.getByRole('group', { name: 'Students to try' });
  for (const box of await students.getByRole('checkbox').all()) await box.uncheck();
  for (const name of ['Linear', 'MLP 8', 'MLP 64']) await students.getByRole('checkbox', { name, exact: true }).check();
  await expect(section.getByText('3 runs (3 students × 1 seed); at most 200 a sweep.')).toBeVisible();

  await section.getByRole('button', { name: 'Find the smallest student' }).click();
  await expect(section.getByRole('status', { name: 'Size sweep progress' })).toHaveText('Size sweep finished: 3 runs.', {
    timeout: 60_000,
  });

  const chart = section.getByRole('img', { name: 'Accuracy vs size' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('.size-point')).toHaveCount(3);
  await expect(chart.locator('.size-teacher')).toHaveCount(1);
  // The front: at least the smallest student, and exactly as many filled marks as listed entries.
  const front = section.getByRole('list', { name: 'Pareto front' }).getByRole('listitem');
  await expect(front.first()).toHaveText(/^Linear: 6 parameters, distilled \d+\.\d\d%$/);
  expect(await chart.locator('.size-point.front').count()).toBe(await front.count());

  await section.getByLabel('Size measure').selectOption({ label: 'Bytes (uint8)' });
  await expect(chart).toHaveAttribute('data-measure', 'uint8');
  await expect(front.first()).toHaveText(/^Linear: 22 B, distilled/);

  // uint8 sizes: linear 6 + 2×8 = 22 B, MLP 8 42 + 4×8 = 74 B, MLP 64 322 + 4×8 = 354 B; 0.1 KB leaves out MLP 64.
  await section.getByLabel('Max KB').fill('0.1');
  const pick = section.locator('.size-pick');
  await expect(pick).toHaveText(/^Within 0\.1 KB \(uint8\): (Linear|MLP 8), distilled \d+\.\d\d% \(scratch \d+\.\d\d%\)\.$/);
  const chosen = (await pick.textContent())?.match(/: (Linear|MLP 8),/)?.[1] ?? '';
  await section.getByRole('button', { name: 'Use this student' }).click();
  await expect(page.getByLabel('Student model')).toHaveValue(chosen === 'Linear' ? 'linear' : 'mlp-8');

  // The sweep is kept in the run history like a distillation, and shows its chart and table again, also after a reload.
  const NAME = 'Size sweep · 3 students × 1 seed';
  for (const reloaded of [false, true]) {
    if (reloaded) {
      await page.reload();
      await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
    }
    const row = page
      .getByRole('table', { name: 'Runs', exact: true })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: NAME }) });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Size sweep, 3 of 3 runs');
    await row.getByRole('button', { name: 'Show chart' }).click();
    const kept = page.getByRole('region', { name: `Size sweep ${NAME}` });
    await expect(kept.getByRole('img', { name: 'Accuracy vs size' }).locator('.size-point')).toHaveCount(3);
    await expect(kept.getByRole('table', { name: `Students of ${NAME}` }).getByRole('rowheader')).toHaveText(['Linear', 'MLP 8', 'MLP 64']);
  }
});
