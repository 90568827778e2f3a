/**
 * The default recipe, end to end, through the studio as a person uses it: open the built app on a
 * backend, train the default teacher, distil the default student (with its scratch control), and
 * time each phase from click to result. Needs `npx vite build` first (npm run bench does it).
 *
 *   npm run bench -- [--backends wasm,webgpu] [--teacher-epochs N] [--student-epochs N] [--json FILE]
 */
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm' },
    'teacher-epochs': { type: 'string' },
    'student-epochs': { type: 'string' },
    'teacher-model': { type: 'string' },
    json: { type: 'string' },
    port: { type: 'string', default: '4180' },
  },
});

const flags = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'];
const base = `http://localhost:${values.port}`;

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await fetch(base).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not start on ${base}`);
}

async function cell(page: Page, row: string, column: number): Promise<string> {
  return (await page.getByRole('table', { name: 'Results' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: row }) }).getByRole('cell').nth(column).textContent()) ?? '';
}

async function waitLogging(page: Page, text: string, label: string): Promise<number> {
  const start = Date.now();
  const timer = setInterval(async () => {
    const line = await page.locator('.progress-text').textContent().catch(() => '');
    console.log(`  [${label} ${Math.round((Date.now() - start) / 1000)} s] ${line}`);
  }, 30_000);
  try {
    await page.getByText(text).first().waitFor({ timeout: 3 * 3600_000 });
  } finally {
    clearInterval(timer);
  }
  return (Date.now() - start) / 1000;
}

async function runRecipe(backend: string) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/?backend=${backend}`);
    const status = page.getByRole('status', { name: 'Backend' });
    await status.getByText(backend, { exact: true }).waitFor({ timeout: 120_000 });
    if (values['teacher-model']) await page.getByLabel('Teacher model').selectOption({ label: values['teacher-model'] });
    if (values['teacher-epochs']) await page.getByLabel('Teacher epochs', { exact: true }).fill(values['teacher-epochs']);
    if (values['student-epochs']) await page.getByLabel('Student epochs', { exact: true }).fill(values['student-epochs']);
    const teacherModel = await page.getByLabel('Teacher model').locator('option:checked').textContent();
    const teacherEpochs = await page.getByLabel('Teacher epochs', { exact: true }).inputValue();
    const studentEpochs = await page.getByLabel('Student epochs', { exact: true }).inputValue();
    console.log(`${backend}: ${teacherModel}, ${teacherEpochs} teacher epochs, ${studentEpochs} student epochs`);
    await page.getByRole('button', { name: 'Train teacher' }).click();
    const teacherSeconds = await waitLogging(page, 'Teacher ready', 'teacher');
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    const distillSeconds = await waitLogging(page, 'Distillation finished.', 'distill');
    const result = {
      backend,
      backendStatus: await status.textContent(),
      teacherModel,
      teacherEpochs: Number(teacherEpochs),
      studentEpochs: Number(studentEpochs),
      teacherSeconds,
      distillSeconds,
      accuracy: { teacher: await cell(page, 'Teacher', 0), distilled: await cell(page, 'Distilled student', 0), scratch: await cell(page, 'Scratch student', 0) },
      latencyPerSample: { teacher: await cell(page, 'Teacher', 4), distilled: await cell(page, 'Distilled student', 4) },
    };
    console.log(JSON.stringify(result, null, 2));
    return result;
  } finally {
    await browser.close();
  }
}

const server = spawn('npx', ['vite', 'preview', '--port', values.port, '--strictPort'], { stdio: 'ignore' });
try {
  await waitForServer();
  const results = [];
  for (const backend of values.backends.split(',')) results.push(await runRecipe(backend.trim()));
  if (values.json) writeFileSync(values.json, JSON.stringify({ recipes: results }, null, 2));
} finally {
  server.kill();
}
