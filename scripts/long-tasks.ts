/**
 * Main-thread smoothness while distilling: opens a built and served studio (`npm start`, or any
 * URL), distils for a few epochs with the shipped teacher, and prints every long task (> 50 ms)
 * the page had meanwhile, including the two seconds after the run while its results render, and
 * every animation frame over 45 ms with the scripts that ran in it (long-animation-frame entries).
 *
 *   npx tsx scripts/long-tasks.ts [--url http://localhost:4173/?backend=wasm] [--epochs 3]
 */
import { chromium } from '@playwright/test';
import { parseArgs } from 'node:util';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../e2e/chromium';

const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://localhost:4173/?backend=wasm' }, epochs: { type: 'string', default: '3' } },
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS] });
try {
  const page = await browser.newPage();
  await page.goto(values.url);
  await page
    .getByText(/Ready: /)
    .first()
    .waitFor({ timeout: 300_000 });
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: { at: number; ms: number }[]; longFrames: { at: number; ms: number; scripts: string[] }[] };
    w.longTasks = [];
    w.longFrames = [];
    const t0 = performance.now();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push({ at: Math.round(e.startTime - t0), ms: Math.round(e.duration) });
    }).observe({ type: 'longtask' });
    type Frame = { startTime: number; duration: number; scripts: { invoker: string; sourceFunctionName: string; duration: number }[] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as Frame[]) {
        if (e.duration > 45)
          w.longFrames.push({
            at: Math.round(e.startTime - t0),
            ms: Math.round(e.duration),
            scripts: e.scripts.map((s) => `${s.invoker} ${s.sourceFunctionName} ${Math.round(s.duration)} ms`),
          });
      }
    }).observe({ type: 'long-animation-frame' });
  });
  await page.getByLabel('Student epochs', { exact: true }).fill(values.epochs);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  // A cheap poll once a second: Playwright's text locators search the whole DOM on every change, and
  // that work would land on the main thread being measured.
  await page.waitForFunction(
    () => document.querySelector('[aria-live="polite"].notice')?.textContent === 'Distillation finished.',
    undefined,
    { polling: 1000, timeout: 30 * 60_000 },
  );
  await page.waitForTimeout(2000); // the analysis mounts chart by chart after the run: count those tasks too
  const { longTasks, longFrames } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: { at: number; ms: number }[]; longFrames: { at: number; ms: number; scripts: string[] }[] };
    return { longTasks: w.longTasks, longFrames: w.longFrames };
  });
  console.log(JSON.stringify({ longTasks, worstMs: Math.max(0, ...longTasks.map((t) => t.ms)), longFrames }, null, 1));
} finally {
  await browser.close();
}
