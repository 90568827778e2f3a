import { expect, fill, openAdvancedPanels, test } from './fixtures';

/** Two moons and its shipped teacher, two epochs trained for uint8 in the last: the Quantisation table's three rows. */
test('Train for uint8: the Results get a Quantisation table, float32 against uint8 after training and trained for it', async ({
  studio: page,
}) => {
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await openAdvancedPanels(page);
  await fill(page, 'Student epochs', 2);
  await page.getByRole('checkbox', { name: /Train for uint8/ }).check();
  await fill(page, 'Quantise last N epochs', 1);

  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  const table = page.getByRole('table', { name: 'Quantisation' });
  await expect(table).toBeVisible({ timeout: 60_000 });
  const rows = table.getByRole('row');
  await expect(rows).toHaveCount(4); // the header and three
  await expect(rows.nth(1)).toHaveText(/^float32.*\d{1,3}\.\d\d%—$/);
  await expect(rows.nth(2)).toHaveText(/^uint8 after training.*\d{1,3}\.\d\d%[+−]\d+\.\d\d points$/);
  await expect(rows.nth(3)).toHaveText(/^uint8 trained for it.*last 1 epoch, exported at uint8\.\d{1,3}\.\d\d%[+−]\d+\.\d\d points$/);
});
