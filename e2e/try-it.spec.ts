import AxeBuilder from '@axe-core/playwright';
import { zipSync } from 'fflate';
import type { Locator, Page } from '@playwright/test';
import { expect, fill, shippedTeacherReady, test } from './fixtures';

/** Try it (issue 12): a person gives the models an input and reads the three answers side by side. */

// Chromium's fake camera (a test pattern), allowed without a prompt, for the webcam snapshot (a file-wide use: it needs its own browser);
// the project's own browser and flags kept.
test.use({
  launchOptions: [
    async ({ launchOptions }, use) =>
      use({
        ...launchOptions,
        args: [...(launchOptions.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
      }),
    { scope: 'worker' },
  ],
  permissions: ['camera'],
});

const region = (page: Page) => page.getByRole('region', { name: 'Try it' });
const table = (page: Page) => region(page).getByRole('table', { name: 'Try it predictions' });
const row = (page: Page, model: string) =>
  table(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: model, exact: true }) });
/** The model's top class (its index), once the table shows an answer for it. */
const topClass = (page: Page, model: string) => row(page, model).locator('td.try-it-top');

/** Waits until the table answers `what` (and no newer question is on its way). */
async function answered(page: Page, what: RegExp): Promise<void> {
  await expect(region(page).locator('.try-it-status')).toHaveText(what, { timeout: 60_000 });
}

/** A stroke with the mouse through `points`, given as fractions of the pad's width and height. */
async function stroke(pad: Locator, points: [number, number][]): Promise<void> {
  const box = await pad.boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  const page = pad.page();
  const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}

test('MNIST: a drawn 1 and a drawn 0 are read by the shipped teacher; a test example by keyboard; the students after a short run', async ({
  studio: page,
  backend,
}) => {
  await shippedTeacherReady(page, backend);
  const tryIt = region(page);
  await tryIt.scrollIntoViewIfNeeded();
  // Before anyone draws, the first test example is there, with the teacher's answer.
  await answered(page, /^The models’ answers for test example 1 \(true class \d\)\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', /^\d$/);
  await expect(row(page, 'Distilled student')).toContainText('No distilled student yet: press Distill.');
  await expect(row(page, 'Scratch student').getByRole('cell').first()).toHaveText('—');

  const pad = tryIt.getByRole('img', { name: 'Drawing pad' });
  await stroke(pad, [
    [0.5, 0.15],
    [0.5, 0.5],
    [0.5, 0.85],
  ]);
  await answered(page, /^The models’ answers for your drawing\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', '1');
  await expect(tryIt.getByRole('img', { name: 'What the model sees: your drawing, 28×28' })).toBeVisible();

  await tryIt.getByRole('button', { name: 'Clear drawing' }).click();
  await answered(page, /^Draw a digit, or pick a test example\./);
  const ring = Array.from({ length: 41 }, (_, i): [number, number] => [
    0.5 + 0.25 * Math.cos((i / 40) * 2 * Math.PI),
    0.5 + 0.35 * Math.sin((i / 40) * 2 * Math.PI),
  ]);
  await stroke(pad, ring);
  await answered(page, /^The models’ answers for your drawing\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', '0');

  // The keyboard's way in: a test example by its number.
  const number = tryIt.getByRole('spinbutton', { name: 'Test example' });
  await number.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('12');
  await answered(page, /^The models’ answers for test example 12 \(true class \d\)\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', /^\d$/);
  await expect(row(page, 'Teacher').getByRole('cell').nth(1)).toHaveText(/^\d{1,3}\.\d%$/);
  await expect(row(page, 'Teacher').getByRole('img', { name: /^Teacher: class probabilities at T = 1: \d \d/ })).toBeVisible();

  // The drawing mode's own controls pass axe (access.spec checks the region on a 2-D set), in both themes.
  await tryIt.evaluate((el) => el.setAttribute('data-axe', 'try-it'));
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .include('[data-axe="try-it"]')
      .analyze();
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      colorScheme,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });
  for (const model of ['Distilled student', 'Scratch student']) {
    await expect(topClass(page, model), model).toHaveAttribute('data-class', /^\d$/);
    await expect(row(page, model).getByRole('cell').nth(1), model).toHaveText(/^\d{1,3}\.\d%$/);
  }
  await answered(page, /^The models’ answers for test example 12 /);
});

test('Two moons: a click on the plane or typed values give a point to all three models, the students answering after every epoch of a run', async ({
  studio: page,
}) => {
  await expect(page.getByText(/Ready: MNIST/)).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });

  const tryIt = region(page);
  await expect(tryIt.getByRole('img', { name: 'Drawing pad' })).toHaveCount(0);
  const plane = tryIt.getByRole('img', { name: /^Plane to click/ });
  await plane.scrollIntoViewIfNeeded();
  await plane.click({ position: { x: 60, y: 70 } });
  await answered(page, /^The models’ answers for the point \(-?\d+\.\d\d, -?\d+\.\d\d\)\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', /^[01]$/);
  // The fields show the clicked point, in the data's units, ready to edit by keyboard.
  const shown = ((await tryIt.locator('.try-it-status').textContent())?.match(/-?\d+\.\d\d/g) ?? []).map(Number);
  expect(shown).toHaveLength(2);
  for (const [name, value] of [
    ['x', shown[0]],
    ['y', shown[1]],
  ] as const) {
    expect(Math.abs(Number(await tryIt.getByRole('spinbutton', { name, exact: true }).inputValue()) - value), name).toBeLessThanOrEqual(
      0.005,
    );
  }

  // Typed values are a point too.
  await tryIt.getByRole('spinbutton', { name: 'x', exact: true }).fill('0.25');
  await answered(page, /^The models’ answers for your values\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveAttribute('data-class', /^[01]$/);

  // During a run the students answer as they stand after each epoch: a new answer after every epoch.
  await fill(page, 'Student epochs', 200);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(topClass(page, 'Distilled student')).toHaveAttribute('data-class', /^[01]$/, { timeout: 60_000 });
  const answers = async () => Number(await tryIt.locator('.try-it-answers').getAttribute('data-answers'));
  const first = await answers();
  await expect.poll(answers, { message: 'new answers while the run goes on', timeout: 60_000 }).toBeGreaterThanOrEqual(first + 3);
  await expect(topClass(page, 'Scratch student')).toHaveAttribute('data-class', /^[01]$/);
  await expect(page.getByText('Distillation finished.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText(/Run stopped/)).toBeVisible();
  // A stopped run keeps nothing: the students are gone from the table again.
  await expect(row(page, 'Distilled student')).toContainText('No distilled student yet: press Distill.');
});

/** A plain picture drawn by the browser itself, as a PNG file. */
async function picture(page: Page, name: string, colour: string, width: number, height: number) {
  const url = await page.evaluate(
    ({ colour, width, height }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no canvas');
      ctx.fillStyle = colour;
      ctx.fillRect(0, 0, width, height);
      return canvas.toDataURL('image/png');
    },
    { colour, width, height },
  );
  return { name, mimeType: 'image/png', buffer: Buffer.from(url.split(',')[1], 'base64') };
}

test('an image set takes a picked picture, resized to its shape, or a webcam snapshot; Iris takes edited measurements', async ({
  studio: page,
}) => {
  // Every request for the camera is counted from the page's first script on: none may come before the click.
  await page.addInitScript(() => {
    const media = navigator.mediaDevices;
    const ask = media.getUserMedia.bind(media);
    Object.assign(window, { cameraAsks: 0 });
    media.getUserMedia = (constraints) => {
      Object.assign(window, { cameraAsks: Number(Reflect.get(window, 'cameraAsks')) + 1 });
      return ask(constraints);
    };
  });
  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
  const cameraAsks = () => page.evaluate(() => Number(Reflect.get(window, 'cameraAsks')));
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 8; i++) {
    files[`shades/dark/${i}.png`] = (await picture(page, '', 'rgb(20, 20, 20)', 10 + i, 12)).buffer;
    files[`shades/light/${i}.png`] = (await picture(page, '', 'rgb(235, 235, 235)', 12, 10 + i)).buffer;
  }
  await page
    .getByLabel('Upload dataset')
    .setInputFiles({ name: 'shades.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await page.getByLabel('Image width').fill('8');
  await page.getByLabel('Image height').fill('8');
  await page.getByRole('button', { name: 'Load images' }).click();
  await expect(page.getByText(/shades\.zip: \d+ training and \d+ test rows, 2 classes, 8×8×1 images/)).toBeVisible();
  const tryIt = region(page);
  await expect(row(page, 'Teacher')).toContainText('Train or load a teacher first.');

  await page.getByLabel('Teacher model').selectOption({ label: 'Small MLP 256' });
  await fill(page, 'Teacher epochs', 30);
  await fill(page, 'Batch size', 4);
  await page.getByRole('button', { name: 'Train teacher' }).click();
  await expect(page.getByText(/Ready: MLP in-256-out/)).toBeVisible({ timeout: 60_000 });

  // A picture of another size than the training images: resized to 8×8 grey, as they were.
  for (const [shade, colour] of [
    ['light', 'rgb(230, 230, 230)'],
    ['dark', 'rgb(25, 25, 25)'],
  ] as const) {
    await tryIt.getByLabel('Image to try').setInputFiles(await picture(page, `${shade}.png`, colour, 40, 30));
    await answered(page, new RegExp(`^The models’ answers for ${shade}\\.png\\.\\s*$`));
    await expect(topClass(page, 'Teacher'), shade).toHaveText(shade);
    await expect(tryIt.getByRole('img', { name: `What the model sees: ${shade}.png, 8×8` })).toBeVisible();
  }

  // The webcam: asked for only now, on the click; the snapshot answered, and the camera let go.
  expect(await cameraAsks()).toBe(0);
  await tryIt.getByRole('button', { name: 'Use webcam' }).click();
  await expect(tryIt.getByLabel('Webcam preview')).toBeVisible();
  expect(await cameraAsks()).toBe(1);
  await expect.poll(() => tryIt.getByLabel('Webcam preview').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  await tryIt.getByRole('button', { name: 'Take snapshot' }).click();
  await answered(page, /^The models’ answers for webcam snapshot\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveText(/^(dark|light)$/);
  await expect(tryIt.getByRole('button', { name: 'Use webcam' })).toBeVisible();
  await expect(tryIt.getByLabel('Webcam preview')).toHaveCount(0);

  await page.getByLabel('Built-in data set').selectOption({ label: 'Iris flowers' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Iris MLP 32 \(shipped\)/)).toBeVisible({ timeout: 60_000 });
  await answered(page, /^The models’ answers for test example 1 /);
  // A small flower is a setosa, whatever the test example before it was; the fields are in centimetres, as the file has them.
  for (const [name, cm] of [
    ['sepal length', '5'],
    ['sepal width', '3.4'],
    ['petal length', '1.4'],
    ['petal width', '0.2'],
  ] as const) {
    await tryIt.getByRole('spinbutton', { name, exact: true }).fill(cm);
  }
  await answered(page, /^The models’ answers for your values\.\s*$/);
  await expect(topClass(page, 'Teacher')).toHaveText(/setosa/i);
});
