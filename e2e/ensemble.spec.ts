import { expect, fill, rowPercent, TWO_MOONS, test } from './fixtures';

/** Hinton et al. distil an ensemble into one small model: here three small teachers on Two moons (issue 13). */

test.use({ startHash: TWO_MOONS });

test('Train ensemble trains three teachers, lists each with its accuracy, and a distillation reports the ensemble and its members', async ({
  studio: page,
}) => {
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await page.getByText('Train a teacher here').click();
  await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
  await fill(page, 'Teacher epochs', 3);
  await fill(page, 'Batch size', 32);
  await fill(page, 'Learning rate', 0.01);
  await fill(page, 'Ensemble size', 3);
  await page.getByRole('button', { name: 'Train ensemble' }).click();
  await expect(page.getByText(/Ready: Ensemble of 3 teachers/)).toBeVisible({ timeout: 120_000 });

  // Seeds 1, 2 and 3: three rows, each with its own test accuracy.
  const members = page
    .getByRole('table', { name: 'Ensemble members' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader') });
  await expect(members).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(members.nth(i).getByRole('rowheader')).toHaveText(String(i + 1));
    await expect(members.nth(i).getByRole('cell').first()).toContainText(`seed ${i + 1}`);
    await expect(members.nth(i).getByRole('cell').nth(1)).toHaveText(/^\d{1,3}\.\d{2}%$/);
  }
  await expect(page.getByRole('button', { name: /^Remove member \d$/ })).toHaveCount(3);

  await fill(page, 'Student epochs', 2);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
  const ensemble = await rowPercent(page, 'Teacher (ensemble of 3, mean of log-probabilities)', 'Test accuracy');
  expect(ensemble).toBeGreaterThan(80);
  for (let i = 1; i <= 3; i++) expect(await rowPercent(page, `Member ${i}:`, 'Test accuracy')).toBeGreaterThan(50);
  expect(await rowPercent(page, 'Distilled student', 'Test accuracy')).toBeGreaterThan(50);
});
