import { readFile } from 'node:fs/promises';
import { expect, fill, rowPercent, test } from './fixtures';

/** Two noisy classes in four columns, labels as words: the kind of small CSV people bring. */
function csv(rows: number, seed = 1): string {
  let s = seed;
  const rand = () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647) * 2 - 1;
  };
  const lines = ['width;height;depth;weight;kind'];
  for (let i = 0; i < rows; i++) {
    const cls = i % 2;
    const base = cls ? 1.5 : -1.5;
    const cells = [0, 1, 2, 3].map(() => (base + rand() * 1.6).toFixed(3));
    lines.push([...cells, cls ? 'pear' : 'apple'].join(';'));
  }
  return lines.join('\n');
}

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('upload a CSV, distil, take the student home and bring it back', async ({ studio: page }) => {
  await page.getByLabel('Upload dataset').setInputFiles(csvFile('fruit.csv', csv(300)));
  await expect(page.getByRole('table', { name: 'Preview of fruit.csv' })).toBeVisible();
  await expect(page.getByText('Semicolon-separated, with a header row.')).toBeVisible();
  await expect(page.getByLabel('Label column')).toHaveValue('4'); // the last column: "kind"
  await page.getByRole('button', { name: 'Load data set' }).click();
  await expect(page.getByText(/fruit\.csv: 240 training and 60 test rows, 2 classes, 4 features/)).toBeVisible();
  await expect(page.getByText('No teacher yet')).toBeVisible(); // nothing shipped fits uploaded data

  await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
  await fill(page, 'Teacher epochs', 10);
  await fill(page, 'Student epochs', 10);
  await fill(page, 'Batch size', 32);
  await fill(page, 'Learning rate', 0.01);
  await page.getByRole('button', { name: 'Train teacher' }).click();
  await expect(page.getByText(/Ready: MLP in-256-out/)).toBeVisible({ timeout: 60_000 });
  const teacherAcc = await rowPercent(page, 'Teacher', 'Test accuracy');
  expect(teacherAcc).toBeGreaterThan(90);

  // The teacher saved by the app, uploaded again: the same model, so the same accuracy.
  const teacherDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download teacher' }).click();
  const teacherZip = await teacherDownload;
  expect(teacherZip.suggestedFilename()).toMatch(/^teacher-.*\.zip$/);
  await page
    .getByLabel('Upload teacher')
    .setInputFiles({ name: teacherZip.suggestedFilename(), mimeType: 'application/zip', buffer: await readFile(await teacherZip.path()) });
  await expect(page.getByText(/Ready: Uploaded teacher-.*\.zip \(layers model\)/)).toBeVisible();
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBe(teacherAcc);

  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  const distilledAcc = await rowPercent(page, 'Distilled student', 'Test accuracy');
  expect(distilledAcc).toBeGreaterThan(85);

  // Quantised to uint8: smaller, and measured after reloading its own bytes.
  await page.getByLabel('Weight precision').selectOption({ label: 'uint8 (¼ size)' });
  const studentDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download student' }).click();
  const studentZip = await studentDownload;
  expect(studentZip.suggestedFilename()).toMatch(/^distilled-student-.*-uint8\.zip$/);
  await expect(
    page.getByText(/uint8 \(¼ size\); reloaded from these bytes it scores \d+\.\d\d% on the test set \(float32 in memory: /),
  ).toBeVisible();

  // Float32 as separate files: model.json + weights, loaded back as a model in the studio.
  await page.getByLabel('Weight precision').selectOption({ label: 'float32' });
  await page.getByLabel('As one .zip').uncheck();
  const files: { name: string; mimeType: string; buffer: Buffer }[] = [];
  page.on('download', async (d) =>
    files.push({ name: d.suggestedFilename(), mimeType: 'application/octet-stream', buffer: await readFile(await d.path()) }),
  );
  await page.getByRole('button', { name: 'Download student' }).click();
  await expect.poll(() => files.length).toBe(2);
  expect(files.map((f) => f.name).sort()).toEqual([expect.stringMatching(/^distilled-student-.*\.weights\.bin$/), 'model.json']);
  await page.getByLabel('Upload teacher').setInputFiles(files);
  await expect(page.getByText(/Ready: Uploaded model\.json \(layers model\)/)).toBeVisible();
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBe(distilledAcc);

  // The same files as the student: both students start from its trained weights (a tiny step barely moves them).
  await page.getByLabel('Upload student').setInputFiles(files);
  await expect(page.getByText(/Student loaded: Uploaded model\.json/)).toBeVisible();
  await expect(page.getByLabel('Student model')).toHaveValue('uploaded');
  await fill(page, 'Student epochs', 1);
  await fill(page, 'Learning rate', 0.00001);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  expect(Math.abs((await rowPercent(page, 'Scratch student', 'Test accuracy')) - distilledAcc)).toBeLessThanOrEqual(2);
  expect(await rowPercent(page, 'Distilled student', 'Agreement with teacher')).toBeGreaterThan(97);
});

test('a bad CSV after a good one says what and where, and keeps the good one', async ({ studio: page }) => {
  await page.getByLabel('Upload dataset').setInputFiles(csvFile('good.csv', csv(100)));
  await page.getByRole('button', { name: 'Load data set' }).click();
  await expect(page.getByText(/good\.csv: 80 training and 20 test rows/)).toBeVisible();

  const ragged = 'a,b,label\n1,2,x\n3,y\n5,6,y\n7,8,x\n';
  await page.getByLabel('Upload dataset').setInputFiles(csvFile('bad.csv', ragged));
  await expect(page.getByRole('alert')).toContainText('bad.csv, row 3: has 2 fields, expected 3');
  await expect(page.getByRole('alert')).toContainText('good.csv is still loaded');
  await expect(page.getByText(/good\.csv: 80 training and 20 test rows/)).toBeVisible();

  const nan = 'a,b,label\n1,2,x\n3,NaN,y\n5,6,y\n7,8,x\n';
  await page.getByLabel('Upload dataset').setInputFiles(csvFile('nan.csv', nan));
  await page.getByRole('button', { name: 'Load data set' }).click();
  await expect(page.getByRole('alert')).toContainText('nan.csv, row 3, column "b": "NaN" is not a finite number');
  await expect(page.getByText(/good\.csv: 80 training and 20 test rows/)).toBeVisible();

  await page
    .getByLabel('Upload teacher')
    .setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByRole('alert').filter({ hasText: 'is not a TensorFlow.js model' })).toBeVisible();
});

test('built-in data sets load, each with its shipped teacher', async ({ studio: page }) => {
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Two moons.*: 800 training and 200 test rows, 2 classes, 2 features/)).toBeVisible();
  await expect(page.getByText(/Ready: Two moons MLP 32-32 \(shipped\)/)).toBeVisible();
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBeGreaterThan(95);

  await page.getByLabel('Built-in data set').selectOption({ label: 'Iris flowers' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Iris.*: 120 training and 30 test rows, 3 classes, 4 features/)).toBeVisible();
  await expect(page.getByText(/Ready: Iris MLP 32 \(shipped\)/)).toBeVisible();
});

test('the model library keeps a student across a reload', async ({ studio: page }) => {
  const loadMoons = async () => {
    await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible();
  };
  await loadMoons();
  await fill(page, 'Student epochs', 5);
  await fill(page, 'Learning rate', 0.01);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 60_000 });
  const distilledAcc = await rowPercent(page, 'Distilled student', 'Test accuracy');

  await page.getByLabel('Library name').fill('moons student');
  await page.getByRole('button', { name: 'Save student to library' }).click();
  const saved = page.getByRole('table', { name: 'Saved models' });
  await expect(saved.getByRole('rowheader', { name: 'moons student' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm');
  await expect(saved.getByRole('rowheader', { name: 'moons student' })).toBeVisible();
  await loadMoons();
  await page.getByRole('button', { name: 'Use moons student as teacher' }).click();
  await expect(page.getByText(/Ready: Uploaded model\.json \(layers model\)/)).toBeVisible();
  expect(await rowPercent(page, 'Teacher', 'Test accuracy')).toBe(distilledAcc);

  await page.getByRole('button', { name: 'Delete moons student' }).click();
  await expect(page.getByText('Nothing saved yet.')).toBeVisible();
  await page.reload();
  await expect(page.getByText('Nothing saved yet.')).toBeVisible();
});
