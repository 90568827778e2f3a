import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, fill, test } from './fixtures';

const canvas = (page: Page, model: string) => page.getByRole('img', { name: new RegExp(`^Decision boundary: ${model}`) });

/**
 * The hues a canvas shows, in 30° bins, counting only bins that cover at least 2% of the coloured
 * pixels: two classes painted means two bins, whatever the palette and the shading.
 */
function huesPainted(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const context = c.getContext('2d');
    if (!context) throw new Error('the boundary canvas has no 2-D context');
    const { data } = context.getImageData(0, 0, c.width, c.height);
    const bins = new Array<number>(12).fill(0);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i] / 255, data[i + 1] / 255, data[i + 2] / 255];
      const max = Math.max(r, g, b);
      const chroma = max - Math.min(r, g, b);
      if (chroma < 0.08) continue; // white, grey and the dark outlines carry no class
      const h = max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
      bins[Math.floor(h * 2) % 12]++;
      coloured++;
    }
    return bins.filter((n) => n >= 0.02 * coloured).length;
  });
}

test('decision boundaries on Two moons: the teacher at once, the students live to the last epoch; none on MNIST', async ({
  studio: page,
}) => {
  // MNIST has 784 features: nothing to draw.
  await expect(page.getByText(/Ready: MNIST/)).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('heading', { name: 'Decision boundaries' })).toHaveCount(0);
  await expect(page.getByRole('img', { name: /^Decision boundary/ })).toHaveCount(0);

  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });

  const teacher = canvas(page, 'teacher');
  await expect(teacher).toHaveAttribute('aria-label', 'Decision boundary: teacher, frozen');
  await expect(teacher).toHaveAttribute('data-painted', 'true');
  expect(await huesPainted(teacher)).toBeGreaterThanOrEqual(2);
  await expect(canvas(page, 'distilled student')).toHaveAttribute('aria-label', 'Decision boundary: distilled student, not trained yet');

  await fill(page, 'Student epochs', 5);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
  for (const model of ['distilled student', 'scratch student']) {
    const view = canvas(page, model);
    await expect(view).toHaveAttribute('aria-label', `Decision boundary: ${model}, epoch 5`);
    await expect(view).toHaveAttribute('data-painted-epoch', '5');
    expect(await huesPainted(view), model).toBeGreaterThanOrEqual(2);
  }
  await expect(page.getByText(/epoch 5 of 5, agrees with the teacher on \d+\.\d{2}% of the plane/)).toHaveCount(2);
  await expect(teacher).toHaveAttribute('data-painted', 'true');

  // Any picture can be taken home: the distilled student's boundary as a PNG.
  const download = page.waitForEvent('download');
  await page
    .locator('figure', { has: canvas(page, 'distilled student') })
    .getByRole('button', { name: 'Save PNG' })
    .click();
  const png = await download;
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const bytes = await readFile(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});
