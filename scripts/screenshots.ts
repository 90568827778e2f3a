/**
 * Regenerates the README's screenshots (docs/screenshots/*.png) from the built studio, so that they
 * show what the page is today: the first view on a laptop and on a phone, a lesson (once the
 * Lessons button exists), Try it with a drawn digit, and, after a one-epoch distillation, the results
 * and a confusion-cell gallery. Builds as the e2e does (`vite build --mode e2e`), serves the build
 * with `vite preview`, and drives it with Debian's Chromium, like playwright.config.ts.
 *
 *   npm run screenshots [-- --no-build] [--port 4189] [--epochs 1] [--out docs/screenshots]
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Browser, chromium, type Locator, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../e2e/chromium';

const { values } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.E2E_PORT ?? '4189' },
    epochs: { type: 'string', default: '1' },
    out: { type: 'string', default: 'docs/screenshots' },
  },
});
const port = Number(values.port);
const dist = `.e2e-dist/${port}`;
const base = `http://localhost:${port}`;
const out = values.out;
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

function build(): void {
  console.log(`building into ${dist} …`);
  const result = spawnSync('npx', ['vite', 'build', '--mode', 'e2e', '--outDir', dist, '--emptyOutDir'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status}).`);
}

async function serve(): Promise<ChildProcess> {
  const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort'], {
    stdio: 'ignore',
    detached: true,
  });
  for (let tries = 0; tries < 120; tries++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited (${server.exitCode}): is port ${port} taken?`);
    try {
      if ((await fetch(base)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`nothing answered on ${base} within a minute.`);
}

/** A fresh visit (no remembered settings) at `size`, on wasm, once the shipped MNIST teacher is ready. */
async function open(browser: Browser, size: { width: number; height: number }, mobile = false): Promise<Page> {
  const context = await browser.newContext({
    viewport: size,
    deviceScaleFactor: 1,
    hasTouch: mobile,
    isMobile: mobile,
    serviceWorkers: 'allow',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(`${base}/?backend=wasm`);
  await page
    .getByText(/Ready: MNIST CNN/)
    .first()
    .waitFor();
  // As a returning visitor sees it: the studio cached for offline use (from localhost, seconds), not "Preparing offline use… 0%".
  const offline = page.getByRole('status', { name: 'Offline readiness' });
  await offline
    .getByText('Available offline')
    .waitFor({ timeout: 90_000 })
    .catch(async () => console.log(`note: the offline status still reads "${await offline.textContent()}"`));
  return page;
}

async function shot(page: Page, name: string, element?: Locator): Promise<void> {
  const path = join(out, `${name}.png`);
  await (element ?? page).screenshot({ path, animations: 'disabled' });
  console.log(`wrote ${path}`);
}

/** A stroke with the mouse through `points`, as fractions of the target's box. */
async function stroke(target: Locator, points: [number, number][]): Promise<void> {
  const box = await target.boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  const mouse = target.page().mouse;
  const at = ([fx, fy]: [number, number]) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await mouse.move(...at(points[0]));
  await mouse.down();
  for (const p of points.slice(1)) await mouse.move(...at(p), { steps: 3 });
  await mouse.up();
}

async function firstView(browser: Browser): Promise<void> {
  const desktop = await open(browser, DESKTOP);
  await shot(desktop, 'desktop');
  await desktop.context().close();
  const phone = await open(browser, PHONE, true);
  await shot(phone, 'phone');
  await phone.context().close();
}

async function lesson(browser: Browser): Promise<void> {
  const page = await open(browser, DESKTOP);
  const button = page.getByRole('button', { name: 'Lessons', exact: true });
  if ((await button.count()) === 0) {
    console.log('skipped lesson.png: the page has no "Lessons" button yet');
  } else {
    await button.click();
    const first = page.getByRole('button', { name: /Distilled vs scratch/ });
    if ((await first.count()) > 0) await first.first().click();
    await page.waitForTimeout(500);
    await shot(page, 'lesson');
  }
  await page.context().close();
}

/** Try it with a drawn 0, answered by the teacher and both students (after the run), in the viewport so that its whole width shows. */
async function tryIt(page: Page): Promise<void> {
  const region = page.getByRole('region', { name: 'Try it', exact: true });
  const pad = region.getByRole('img', { name: 'Drawing pad' });
  await pad.scrollIntoViewIfNeeded();
  const ring = Array.from({ length: 41 }, (_, i): [number, number] => [
    0.5 + 0.25 * Math.cos((i / 40) * 2 * Math.PI),
    0.5 + 0.35 * Math.sin((i / 40) * 2 * Math.PI),
  ]);
  await stroke(pad, ring);
  await region.getByText(/answers for your drawing/).waitFor();
  await region.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(500);
  await shot(page, 'try-it');
}

async function afterRun(browser: Browser): Promise<void> {
  const page = await open(browser, DESKTOP);
  await page.getByLabel('Student epochs', { exact: true }).fill(values.epochs);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await page.getByText('Distillation finished.').waitFor({ timeout: 30 * 60_000 });
  const analysis = page.getByRole('region', { name: 'Analysis' });
  await analysis.waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1000);
  await shot(page, 'after-run');
  await tryIt(page);

  // The distilled student's most frequent mistake, or its first cell when it makes none.
  const cells = analysis.getByRole('button', { name: /^Show the .* \(distilled student\)$/ });
  const names = await cells.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
  const count = (name: string) => Number(name.match(/the (\d+) example/)?.[1] ?? 1);
  const mistakes = names.filter((n) => !/true (\S+) predicted \1 /.test(n)).sort((a, b) => count(b) - count(a));
  await analysis.getByRole('button', { name: mistakes[0] ?? names[0], exact: true }).click();
  const gallery = page.getByRole('region', { name: /^Examples: true / });
  await gallery.locator('canvas.thumb-image').first().waitFor();
  await page.waitForTimeout(500);
  await gallery.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shot(page, 'gallery');
  await page.context().close();
}

mkdirSync(out, { recursive: true });
if (!values['no-build']) build();
const server = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
try {
  await firstView(browser);
  await lesson(browser);
  await afterRun(browser);
} finally {
  await browser.close();
  // The preview server and the npx around it: their process group.
  if (server.pid) process.kill(-server.pid);
}
