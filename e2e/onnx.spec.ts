import type { Page } from '@playwright/test';
import { mlpOnnx, type MlpWeights } from '../src/core/onnx/test-onnx-models';
import { expect, fill, rowPercent, test } from './fixtures';

/**
 * ONNX teachers (issue 13): a model exported from PyTorch runs in the worker on ONNX Runtime Web,
 * whose files the app serves itself and fetches only when an ONNX model is loaded.
 */

/** Two noisy classes in four columns (apple around -1.5, pear around +1.5 in every feature). */
function fruitCsv(rows: number): string {
  let s = 3;
  const rand = () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  };
  const lines = ['width,height,depth,weight,kind'];
  for (let i = 0; i < rows; i++) {
    const pear = i % 2 === 1;
    const cells = [0, 1, 2, 3].map(() => ((pear ? 1.5 : -1.5) + rand() * 1.6).toFixed(3));
    lines.push([...cells, pear ? 'pear' : 'apple'].join(','));
  }
  return lines.join('\n');
}

/**
 * A teacher that knows the fruit: one hidden unit sums the (standardised) features, one their
 * negation; apple (class 0, labels sort by name) reads the second, pear the first. 16 parameters.
 */
const FRUIT_TEACHER: MlpWeights = {
  inputs: 4,
  hidden: 2,
  classes: 2,
  w1: Float32Array.from([1, 1, 1, 1, -1, -1, -1, -1]),
  b1: new Float32Array(2),
  w2: Float32Array.from([0, 3, 3, 0]),
  b2: new Float32Array(2),
};

const onnxFile = (name: string, bytes: Uint8Array) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });

/** The text of one cell of the Results table. */
async function resultCell(page: Page, row: string, column: string): Promise<string> {
  const table = page.getByRole('table', { name: 'Results' });
  const index = (await table.getByRole('columnheader').allTextContents()).indexOf(column);
  expect(index, `column ${column}`).toBeGreaterThan(0);
  const cells = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: row }) })
    .getByRole('cell');
  return ((await cells.nth(index - 1).textContent()) ?? '').trim();
}

/**
 * Records, from before the upload, the largest "Teacher outputs" progress the page shows: on 300
 * rows it may be up for a moment only, so its appearance is observed rather than waited for.
 */
async function watchTeacherOutputs(page: Page): Promise<() => Promise<{ value: number; max: number } | null>> {
  await page.evaluate(() => {
    const w = window as unknown as { teacherOutputs: { value: number; max: number } | null };
    w.teacherOutputs = null;
    const look = () => {
      const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Teacher outputs"]');
      if (bar && (!w.teacherOutputs || bar.value >= w.teacherOutputs.value)) w.teacherOutputs = { value: bar.value, max: bar.max };
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  return () => page.evaluate(() => (window as unknown as { teacherOutputs: { value: number; max: number } | null }).teacherOutputs);
}

async function loadFruit(page: Page): Promise<void> {
  await page.getByLabel('Upload dataset').setInputFiles({ name: 'fruit.csv', mimeType: 'text/csv', buffer: Buffer.from(fruitCsv(300)) });
  await page.getByRole('button', { name: 'Load data set' }).click();
  await expect(page.getByText(/fruit\.csv: 240 training and 60 test rows, 2 classes, 4 features/)).toBeVisible();
}

const READY = /Ready: Uploaded fruit-teacher\.onnx \(ONNX/;

test('a CSV data set with an ONNX teacher: its outputs with progress, measured, distilled, the student downloaded', async ({
  studio: page,
}) => {
  await loadFruit(page);
  const seen = await watchTeacherOutputs(page);
  await page.getByLabel('Upload teacher').setInputFiles(onnxFile('fruit-teacher.onnx', mlpOnnx(FRUIT_TEACHER)));
  await expect(page.getByText(READY)).toBeVisible({ timeout: 60_000 });
  // Its logits on the data set's 300 rows, shown as they were computed.
  expect(await seen()).toMatchObject({ max: 300 });
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBeGreaterThan(90);
  expect(await resultCell(page, 'Teacher', 'Parameters')).toBe('16'); // from the initializers

  await fill(page, 'Student epochs', 5);
  await fill(page, 'Batch size', 32);
  await fill(page, 'Learning rate', 0.01);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  expect(await rowPercent(page, 'Distilled student', 'Test accuracy')).toBeGreaterThan(85);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download student' }).click();
  expect((await download).suggestedFilename()).toMatch(/^distilled-student-.*\.zip$/);
});

test('a bad .onnx after a good one is explained, and the good teacher stays', async ({ studio: page }) => {
  await loadFruit(page);
  await page.getByLabel('Upload teacher').setInputFiles(onnxFile('fruit-teacher.onnx', mlpOnnx(FRUIT_TEACHER)));
  await expect(page.getByText(READY)).toBeVisible({ timeout: 60_000 });
  const teacherAcc = await rowPercent(page, 'Teacher', 'Test accuracy');

  await page.getByLabel('Upload teacher').setInputFiles(onnxFile('broken.onnx', new TextEncoder().encode('not a model at all')));
  await expect(page.getByRole('alert').filter({ hasText: 'broken.onnx' })).toContainText('not an ONNX model');
  await expect(page.getByText(READY)).toBeVisible();
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBe(teacherAcc);

  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(READY)).toBeVisible();
});
