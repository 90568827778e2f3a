import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from '../src/core/experiment';
import { shareHash } from '../src/state/share';
import { expect, fill, shippedTeacherReady, test } from './fixtures';

/** A whole experiment travels in a link's hash; opening it sets the studio up. */

test('a copied share link opens another browser set up the same way', async ({ studio: page, backend, context, browser }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await shippedTeacherReady(page, backend);
  await fill(page, 'Temperature', 8);
  await fill(page, 'Alpha', 0.5);
  await fill(page, 'Seed', 5);
  await page.getByLabel('Labelled fraction').selectOption({ label: '10%' });
  await page.getByLabel('Omit class').selectOption({ label: '3' });
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#experiment=[\w-]+$/);

  // Another browser: nothing remembered, so every value must come from the link.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link.replace('#', `?backend=${backend}#`));
  await expect(fresh.getByText(/Opened the shared experiment/)).toBeVisible({ timeout: 60_000 });
  await expect(fresh.getByLabel('Temperature', { exact: true })).toHaveValue('8');
  await expect(fresh.getByLabel('Alpha', { exact: true })).toHaveValue('0.5');
  await expect(fresh.getByLabel('Seed', { exact: true })).toHaveValue('5');
  await expect(fresh.getByLabel('Labelled fraction')).toHaveValue('0.1');
  await expect(fresh.getByLabel('Omit class')).toHaveValue('3');
  await expect.poll(() => fresh.evaluate(() => location.hash)).toBe(''); // a reload keeps later changes
  await other.close();
});

// These open the page themselves: the studio fixture's page is already started, and a hash change alone does not reload it.
test('a link to a built-in 2-D set loads it with the shipped teacher it names', async ({ page, backend, consoleErrors }) => {
  void consoleErrors;
  const experiment: ExperimentConfig = {
    version: 1,
    data: { kind: 'toy', toy: 'moons', size: 300, noise: 0.15, seed: 4 },
    teacher: { kind: 'shipped', id: 'moons-mlp' },
    student: { kind: 'preset', preset: 'mlp-16' },
    loss: { ...DEFAULT_LOSS, temperature: 2 },
    transfer: DEFAULT_TRANSFER,
    optimiser: { name: 'adam', learningRate: 0.01, batchSize: 32, epochs: 3 },
    seed: 4,
  };
  await page.goto(`/?backend=${backend}${shareHash(experiment)}`);
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/240 training and 60 test rows/)).toBeVisible();
  await expect(page.getByLabel('Student model')).toHaveValue('mlp-16');
  await expect(page.getByLabel('Student epochs', { exact: true })).toHaveValue('3');
  await expect(page.getByLabel('Built-in data set')).toHaveValue('moons');
});

test('a damaged link is explained and changes nothing', async ({ page, backend, consoleErrors }) => {
  void consoleErrors;
  await page.goto(`/?backend=${backend}#experiment=eyJ2ZXJzaW9uIjox`);
  await expect(page.getByRole('alert')).toContainText('The link is damaged');
  await expect(page.getByRole('alert')).toContainText('Nothing was changed.');
  await shippedTeacherReady(page, backend);
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('4');
});
