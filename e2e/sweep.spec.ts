import type { Page } from '@playwright/test';
import { expect, fill, test } from './fixtures';

/** Two moons and its shipped teacher: a sweep of small runs finishes in seconds on wasm. */
async function loadMoons(page: Page): Promise<void> {
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
}

async function sweepGrid(page: Page, temperatures: string, alphas: string, seeds: number): Promise<void> {
  await page.getByLabel('Temperatures', { exact: true }).fill(temperatures);
  await page.getByLabel('Alphas', { exact: true }).fill(alphas);
  await page.getByLabel('Seeds per cell', { exact: true }).fill(String(seeds));
}

const heatmap = (page: Page) => page.getByRole('table', { name: /^Sweep: distilled − scratch accuracy/ });
const doneCells = (page: Page) => heatmap(page).locator('td[data-state="done"]');
const VALUE = /^[+−]?\d+\.\d{2}$/;

test('a 2×2 sweep fills the heatmap with one number per cell', async ({ studio: page }) => {
  await loadMoons(page);
  await fill(page, 'Student epochs', 3);
  await fill(page, 'Learning rate', 0.01);
  await sweepGrid(page, '1, 4', '0.5, 0.9', 1);
  await expect(page.getByText(/^4 runs of 3 epochs \(4 cells × 1 seed\)/)).toBeVisible();

  // A bad list is explained next to its field and blocks the sweep.
  const runSweep = page.getByRole('button', { name: 'Run sweep' });
  await page.getByLabel('Alphas', { exact: true }).fill('0.5, nine');
  await expect(page.getByLabel('Alphas', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Alphas', { exact: true })).toHaveAccessibleDescription('Alphas: "nine" is not a number.');
  await expect(runSweep).toBeDisabled();
  await page.getByLabel('Alphas', { exact: true }).fill('0.5, 0.9');

  await runSweep.click();
  await expect(page.getByRole('status', { name: 'Sweep progress' })).toHaveText('Sweep finished: 4 runs.', { timeout: 120_000 });

  await expect(heatmap(page)).toHaveCount(1);
  await expect(heatmap(page).getByRole('rowheader')).toHaveText(['T = 1', 'T = 4']);
  await expect(heatmap(page).getByRole('columnheader')).toHaveText(['Temperature \\ alpha', 'α = 0.5', 'α = 0.9']);
  await expect(doneCells(page)).toHaveCount(4);
  for (const text of await doneCells(page).allTextContents()) expect(text).toMatch(VALUE);
  await expect(runSweep).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Distill', exact: true })).toBeEnabled();

  // The form survives a reload.
  await page.reload();
  await expect(page.getByLabel('Temperatures', { exact: true })).toHaveValue('1, 4');
  await expect(page.getByLabel('Seeds per cell', { exact: true })).toHaveValue('1');
});

test('cancelling a sweep keeps the finished cells and marks the rest as not run', async ({ studio: page }) => {
  await loadMoons(page);
  // Long enough runs that the cancel lands mid-sweep.
  await fill(page, 'Student epochs', 40);
  await fill(page, 'Batch size', 16);
  await sweepGrid(page, '1, 2, 4, 8', '0.1, 0.5, 0.9', 1);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByRole('button', { name: 'Distill', exact: true })).toBeDisabled(); // one run at a time
  const status = page.getByRole('status', { name: 'Sweep progress' });
  await expect.poll(() => doneCells(page).count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await expect(status).toContainText(/left/);
  await page.getByRole('button', { name: 'Cancel sweep' }).click();
  await expect(status).toHaveText(/^Sweep cancelled after \d+ of 12 runs/, { timeout: 60_000 });
  await expect(page.getByText(/Sweep cancelled after \d+ of 12 runs\. The finished runs are kept\./)).toBeVisible();

  const done = Number((await status.textContent())?.match(/after (\d+) of 12/)?.[1]);
  expect(done).toBeGreaterThanOrEqual(1);
  expect(done).toBeLessThan(12);
  await expect(doneCells(page)).toHaveCount(done);
  for (const text of await doneCells(page).allTextContents()) expect(text).toMatch(VALUE);
  await expect(heatmap(page).locator('td[data-state="not-run"]')).toHaveCount(12 - done);
  await expect(heatmap(page).locator('td[data-state="not-run"]').first()).toHaveText('not run');
  await expect(page.getByRole('button', { name: 'Run sweep' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel sweep' })).toBeDisabled();
});
