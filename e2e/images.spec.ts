import { zipSync } from 'fflate';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/** PNGs drawn by the browser itself: mixed sizes, some with transparency, as people's folders have. */
async function pngs(page: Page, count: number, light: boolean): Promise<Uint8Array[]> {
  const urls = await page.evaluate(
    ({ count, light }) =>
      Array.from({ length: count }, (_, i) => {
        const canvas = document.createElement('canvas');
        canvas.width = 10 + (i % 3) * 2;
        canvas.height = 12 - (i % 2) * 2;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no canvas');
        ctx.fillStyle = light ? `rgba(240, 240, 240, ${i % 2 ? 0.5 : 1})` : 'rgb(20, 20, 20)';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        return canvas.toDataURL('image/png');
      }),
    { count, light },
  );
  return urls.map((u) => Uint8Array.from(Buffer.from(u.split(',')[1], 'base64')));
}

test('a zip of class folders decodes in the worker, and a zip without them is explained', async ({ studio: page }) => {
  const [dark, light] = [await pngs(page, 6, false), await pngs(page, 6, true)];
  const files: Record<string, Uint8Array> = {};
  for (const [i, b] of dark.entries()) files[`shades/dark/${i}.png`] = b;
  for (const [i, b] of light.entries()) files[`shades/light/${i}.png`] = b;
  await page
    .getByLabel('Upload dataset')
    .setInputFiles({ name: 'shades.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await page.getByLabel('Image width').fill('8');
  await page.getByLabel('Image height').fill('8');
  await page.getByRole('button', { name: 'Load images' }).click();
  await expect(page.getByText(/shades\.zip: 10 training and 2 test rows, 2 classes, 8×8×1 images/)).toBeVisible();

  const flat = zipSync({ 'a.png': dark[0], 'b.png': light[0] });
  await page.getByLabel('Upload dataset').setInputFiles({ name: 'flat.zip', mimeType: 'application/zip', buffer: Buffer.from(flat) });
  await page.getByRole('button', { name: 'Load images' }).click();
  await expect(page.getByRole('alert')).toContainText('flat.zip: no class folders found');
  await expect(page.getByText(/shades\.zip: 10 training and 2 test rows/)).toBeVisible();
});
