import { readFile } from 'node:fs/promises';
import type { Download, Locator, Page } from '@playwright/test';
import { expect, fill, rowPercent, shippedTeacherReady, test } from './fixtures';

/** "Keeping it" of the issue "Teaching views and run history": every finished run is kept, compared and exported. */

const NAME = 'MLP 64 · T 4 · α 0.9 · seed 1';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const runsTable = (page: Page) => page.getByRole('table', { name: 'Runs', exact: true });
const runRow = (page: Page, name: string) =>
  runsTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name }) });

async function download(page: Page, button: Locator): Promise<{ file: Download; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await button.click();
  const file = await pending;
  return { file, bytes: await readFile(await file.path()) };
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
}

test('a finished run is kept across a reload: compare, export, rename, delete', async ({ studio: page, backend }) => {
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  const distilled = await rowPercent(page, 'Distilled student', 'Test accuracy');

  const png = await download(page, page.getByRole('figure', { name: /Test accuracy per epoch/ }).getByRole('button', { name: 'Save PNG' }));
  expect(png.file.suggestedFilename()).toBe('Test accuracy per epoch.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_MAGIC);

  const row = runRow(page, NAME);
  await expect(row).toContainText(`${distilled.toFixed(2)}%`);
  // Saved with the run, automatically: and only then is the reload safe.
  await expect(row.getByRole('cell', { name: 'saved', exact: true })).toBeVisible();

  await reload(page);
  await expect(row).toContainText(`${distilled.toFixed(2)}%`);
  await expect(page.getByRole('figure', { name: /selected runs/ })).toHaveCount(0);
  await page.getByRole('checkbox', { name: `Select run ${NAME}` }).check();
  const accuracy = page.getByRole('figure', { name: 'Accuracy by epoch, selected runs' });
  // One epoch is one point per student: drawn as dots, two lines (distilled, scratch).
  await expect(accuracy.locator('.recharts-line-dot').first()).toBeVisible();
  expect(await accuracy.locator('.recharts-line').count()).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole('figure', { name: 'Loss by step, selected runs' }).locator('.recharts-line-curve').first()).toBeVisible();
  const overlay = await download(page, accuracy.getByRole('button', { name: 'Save PNG' }));
  expect(overlay.file.suggestedFilename()).toBe('Accuracy by epoch, selected runs.png');
  expect([...overlay.bytes.subarray(0, 8)]).toEqual(PNG_MAGIC);

  const csv = await download(page, row.getByRole('button', { name: 'Export CSV' }));
  expect(csv.file.suggestedFilename()).toBe(`${NAME}.csv`);
  const lines = csv.bytes.toString('utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe(
    'run,epoch,teacher_accuracy,distilled_accuracy,scratch_accuracy,distilled_agreement,scratch_agreement,distilled_kl,scratch_kl',
  );
  expect(lines).toHaveLength(2);
  expect(lines[1].startsWith(`${NAME},1,`)).toBe(true);
  const json = JSON.parse((await download(page, row.getByRole('button', { name: 'Export JSON' }))).bytes.toString('utf8'));
  expect(json).toMatchObject({ version: 1, name: NAME, config: { epochs: 1 }, student: { status: 'saved' } });

  // Its student comes back from the library once the shipped teacher is loaded again.
  await shippedTeacherReady(page, backend);
  await row.getByRole('button', { name: 'Load student' }).click();
  await expect(page.getByText(/Student loaded: /)).toBeVisible();

  // Rename by keyboard: Escape keeps the old name, Enter the new one, and it is stored.
  await row.getByRole('button', { name: 'Rename' }).press('Enter');
  const input = page.getByRole('textbox', { name: 'Run name' });
  await expect(input).toBeFocused();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially('not this');
  await input.press('Escape');
  await expect(row).toBeVisible();
  await expect(row.getByRole('button', { name: 'Rename' })).toBeFocused();
  await row.getByRole('button', { name: 'Rename' }).press('Enter');
  await input.fill('baseline, one epoch');
  await input.press('Enter');
  const renamed = runRow(page, 'baseline, one epoch');
  await expect(renamed).toBeVisible();
  await reload(page);
  await expect(renamed).toContainText(`${distilled.toFixed(2)}%`);

  // Delete asks twice, on the same button.
  await renamed.getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  await expect(renamed.getByRole('button', { name: /Confirm: delete run baseline, one epoch/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/No runs yet/)).toBeVisible();
  await reload(page);
  await expect(page.getByText(/No runs yet/)).toBeVisible();
});
