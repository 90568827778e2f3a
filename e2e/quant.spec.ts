import { expect, fill, openAdvancedPanels, test } from './fixtures';

/** Two moons and its shipped teacher, two epochs trained for uint8 in the last: the Quantisation table's three rows, per tensor, then per channel with quantised activations. */
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
  await expect(table.locator('xpath=..')).toContainText('uint8 per tensor, weights only');

  // Per channel with quantised activations: a second short run, measured in that scheme (the C int8 arithmetic).
  await page.getByLabel('Quantisation scheme').selectOption({ label: 'Per channel' });
  await page.getByRole('checkbox', { name: 'Quantise activations', exact: true }).check();
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  const section = table.locator('xpath=..');
  await expect(section).toContainText('uint8 per channel, with activations quantised', { timeout: 60_000 });
  await expect(section).toContainText("TF.js's uint8 format holds one scale per tensor");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3)).toHaveText(
    /^uint8 trained for it.*last 1 epoch, exported at int8 \(as the C export computes it\)\.\d{1,3}\.\d\d%[+−]\d+\.\d\d points$/,
  );
});
