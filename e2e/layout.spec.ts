import type { Locator, Page } from '@playwright/test';
import { expect, fill, test } from './fixtures';

/**
 * Issue 12, "Layout": the run bar keeps Distill in view on a laptop and on a phone, the basics come
 * first with the advanced panels one click away (and remembered), and empty charts say what will come.
 * LAYOUT_SCREENSHOTS=<dir> also saves what the page looks like on load, at each size.
 */

const SIZES = [
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
];
const ADVANCED = ['Loss terms', 'Transfer set', 'Sweep', 'Experiment', 'Export', 'Model library'];

async function open(page: Page): Promise<void> {
  await page.goto('/?backend=wasm');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
}

/** The whole box inside the viewport, not merely a pixel of it. */
async function expectInViewport(page: Page, target: Locator, what: string): Promise<void> {
  const box = await target.boundingBox();
  const viewport = page.viewportSize();
  expect(box, `${what}: rendered`).not.toBeNull();
  expect(viewport).not.toBeNull();
  if (!box || !viewport) return;
  const where = `${what}: box ${JSON.stringify(box)} in ${viewport.width}×${viewport.height}`;
  expect(box.x, where).toBeGreaterThanOrEqual(0);
  expect(box.y, where).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, where).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, where).toBeLessThanOrEqual(viewport.height);
}

for (const size of SIZES) {
  test(`Distill is in view at ${size.width}×${size.height} on load and after scrolling to the bottom`, async ({ page, consoleErrors }) => {
    void consoleErrors;
    await page.setViewportSize({ width: size.width, height: size.height });
    await open(page);
    const distill = page.getByRole('button', { name: 'Distill', exact: true });
    await expect(distill).toHaveCount(1);
    await expectInViewport(page, distill, 'on load');
    await expect(page.getByText(/Ready: MNIST CNN/)).toBeVisible({ timeout: 120_000 });
    await expect(distill).toBeEnabled();
    await expectInViewport(page, distill, 'teacher ready');
    const dir = process.env.LAYOUT_SCREENSHOTS;
    if (dir) await page.screenshot({ path: `${dir}/layout-${size.name}-${size.width}x${size.height}.png` });

    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect
      .poll(() => page.evaluate(() => Math.round(window.scrollY + window.innerHeight - document.documentElement.scrollHeight)))
      .toBeGreaterThanOrEqual(-1);
    expect(await page.evaluate(() => window.scrollY), 'the page is taller than the viewport').toBeGreaterThan(200);
    await expectInViewport(page, distill, 'scrolled to the bottom');

    // The pipeline's links lead to their panels, which then show below the run bar, not under it.
    const bar = page.getByRole('region', { name: 'Run', exact: true });
    await bar.getByRole('link', { name: 'Data' }).click();
    const heading = page.getByRole('heading', { name: 'Data', exact: true });
    await expect(heading).toBeInViewport();
    const barBox = await bar.boundingBox();
    const headingBox = await heading.boundingBox();
    expect(headingBox && barBox && headingBox.y >= barBox.y + barBox.height - 1, 'the Data heading is below the run bar').toBe(true);
    await expectInViewport(page, distill, 'after following a pipeline link');
  });
}

test('advanced panels start closed, open with one click, and are remembered across a reload', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await open(page);
  // The basics are there at once.
  for (const label of ['Temperature', 'Alpha', 'Student epochs', 'Batch size', 'Learning rate', 'Seed'])
    await expect(page.getByLabel(label, { exact: true })).toBeVisible();
  await expect(page.getByLabel('Upload dataset')).toBeVisible();
  await expect(page.getByLabel('Student model')).toBeVisible();
  for (const name of ADVANCED) await expect(page.getByRole('button', { name, exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('Temperatures', { exact: true })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Download student' })).toBeHidden();

  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByLabel('Temperatures', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download student' })).toBeVisible();
  // The region keeps its heading's name, open or closed.
  await expect(page.getByRole('complementary', { name: 'Setup' }).getByRole('region', { name: 'Sweep', exact: true })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Sweep', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: 'Loss terms', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('Temperatures', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Sweep', exact: true }).click();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sweep', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByLabel('Temperatures', { exact: true })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Export', exact: true })).toHaveAttribute('aria-expanded', 'true');
});

test('empty charts say what will appear, until a run fills them', async ({ page, consoleErrors }) => {
  void consoleErrors;
  await open(page);
  await expect(page.getByText(/Ready: MNIST CNN/)).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('Press Distill: the training loss of both students appears here, step by step.')).toBeVisible();
  await expect(page.getByText(/^Press Distill: after each epoch, the test accuracy of the teacher/)).toBeVisible();

  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.chart-hint')).toHaveCount(0);
  await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '1');
});
