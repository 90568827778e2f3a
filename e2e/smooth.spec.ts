import { gzipSync } from 'node:zlib';
import type { Browser } from '@playwright/test';
import { expect, fill, shippedTeacherReady, test } from './fixtures';

/**
 * Performance the user feels (issue 6): the page answers while the worker trains, and the first
 * load is small. Speed itself is measured by `npm run bench`, never here.
 */

// Playwright's trace recording (screencast frames, DOM snapshots) works in the same browser, on the
// same two cores: not something a user's page has to share them with.
test.use({ trace: 'off' });

interface Watch {
  watch: { longTasks: { at: number; ms: number }[]; frames: string[]; finishedAt: number };
}
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: what the task cost, without the time the thread waited for a core. */
  tdur?: number;
}

interface Task {
  /** Wall-clock duration, as the long-task API counts it. */
  ms: number;
  cpuMs: number;
  /** Start, after the first mark. */
  at: number;
}

/**
 * Runs `body` while Chromium records every task on the page's thread ("toplevel" alone costs next to
 * nothing; the long-task API names only tasks over 50 ms, so it cannot say how close the others came).
 */
async function traced<T>(browser: Browser, body: () => Promise<T>): Promise<{ result: T; trace: Buffer }> {
  await browser.startTracing(undefined, { categories: ['toplevel', 'blink.user_timing'] });
  try {
    const result = await body();
    return { result, trace: await browser.stopTracing() };
  } catch (e) {
    // Stopped either way: the browser is shared with the next test, which could not trace otherwise.
    await browser.stopTracing().catch(() => undefined);
    throw e;
  }
}

/** The tasks Chromium ran on the page's main thread between the marks 'smooth-watch-start' and 'smooth-watch-end', from a trace. */
function pageTasks(trace: Buffer): Task[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const start = events.find((e) => e.name === 'smooth-watch-start');
  const end = events.find((e) => e.name === 'smooth-watch-end');
  if (!start || !end) throw new Error('The trace lacks the marks around the run.');
  return events
    .filter(
      (e) =>
        e.ph === 'X' &&
        e.name === 'ThreadControllerImpl::RunTask' &&
        e.pid === start.pid &&
        e.tid === start.tid &&
        e.ts >= start.ts &&
        e.ts <= end.ts,
    )
    .map((e) => ({ ms: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000, at: (e.ts - start.ts) / 1000 }));
}

/** The parts of a PerformanceLongAnimationFrameTiming read here (not yet in TypeScript's DOM types). */
interface AnimationFrame {
  startTime: number;
  duration: number;
  scripts: { invoker: string; sourceFunctionName: string; sourceURL: string; sourceCharPosition: number; duration: number }[];
}

test('no main-thread task over 50 ms while distilling', async ({ studio: page, backend, browser }, testInfo) => {
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 3);
  const { result: watch, trace } = await traced(browser, async () => {
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    // Observed from just after the click: the click's own accessibility query runs on the page's thread.
    await page.evaluate(() => {
      performance.mark('smooth-watch-start');
      const w = window as unknown as Watch;
      w.watch = { longTasks: [], frames: [], finishedAt: Infinity };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.watch.longTasks.push({ at: e.startTime, ms: Math.round(e.duration) });
      }).observe({ type: 'longtask' });
      // Long animation frames name the scripts behind a slow frame: said when the test fails.
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as AnimationFrame[]) {
          const scripts = e.scripts.map(
            (s) =>
              `${s.invoker} ${s.sourceFunctionName}@${s.sourceURL.split('/').pop()}:${s.sourceCharPosition} ${Math.round(s.duration)} ms`,
          );
          w.watch.frames.push(`frame of ${Math.round(e.duration)} ms at ${Math.round(e.startTime)} ms: ${scripts.join('; ')}`);
        }
      }).observe({ type: 'long-animation-frame' });
      // When training ended, to the millisecond: watching one element's text costs nothing measurable.
      const notice = document.querySelector('[aria-live="polite"].notice');
      if (!notice) throw new Error('The notice region is missing.');
      new MutationObserver(() => {
        if (notice.textContent === 'Distillation finished.' && w.watch.finishedAt === Infinity) {
          w.watch.finishedAt = performance.now();
          performance.mark('smooth-watch-end');
        }
      }).observe(notice, { childList: true, characterData: true, subtree: true });
    });
    // A cheap poll once a second: a text locator would search the DOM on every change, on the thread being measured.
    await page.waitForFunction(
      () => document.querySelector('[aria-live="polite"].notice')?.textContent === 'Distillation finished.',
      undefined,
      { polling: 1000, timeout: 120_000 },
    );
    return page.evaluate(() => (window as unknown as Watch).watch);
  });
  const tasks = pageTasks(trace);
  const worst = tasks.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, cpuMs: 0, at: 0 });
  const worstCpu = tasks.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a), worst);
  // Said whether the test passes or fails: the margin under 50 ms is the figure worth watching. The CPU
  // time tells a task that did much work from one that waited for a core on a busy machine.
  const report =
    `worst main-thread task while distilling: ${worst.ms.toFixed(1)} ms (${worst.cpuMs.toFixed(1)} ms of CPU), ${Math.round(worst.at)} ms into the run; ` +
    `most CPU in one task: ${worstCpu.cpuMs.toFixed(1)} ms (${worstCpu.ms.toFixed(1)} ms wall), ${Math.round(worstCpu.at)} ms into the run; ${tasks.length} tasks traced`;
  console.log(report);
  testInfo.annotations.push({ type: 'worst task', description: report });
  expect(tasks.length, 'tasks found in the trace of the page thread').toBeGreaterThan(100);
  expect(watch.finishedAt).toBeLessThan(Infinity);
  const during = watch.longTasks.filter((t) => t.at < watch.finishedAt).map((t) => `${t.ms} ms at ${Math.round(t.at)} ms`);
  expect(
    during,
    `main-thread tasks over 50 ms while training (it ended at ${Math.round(watch.finishedAt)} ms; ${report}); long frames:\n${watch.frames.join('\n')}`,
  ).toEqual([]);
  // And the run really happened: three epochs charted.
  await expect(page.getByRole('figure', { name: /Test accuracy per epoch/ })).toHaveAttribute('data-points', '3');
});

test('the first load is at most 150 KB of gzipped JavaScript, and tfjs stays in the worker', async ({ studio: page, backend }) => {
  await shippedTeacherReady(page, backend);
  // First load: the entry script and what it imports statically (modulepreload), all the page needs to render.
  // The charts are lazy chunks fetched after the first render (recharts, ~115 KB gzipped, only for the views of finished runs).
  const html = await (await page.request.get('/')).text();
  const entry = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]);
  expect(entry.length).toBeGreaterThan(0);
  let gzipped = 0;
  for (const url of entry) gzipped += gzipSync(await (await page.request.get(url)).body(), { level: 9 }).length;
  expect(gzipped / 1024, `gzipped first-load JavaScript: ${entry.join(', ')}`).toBeLessThanOrEqual(150);

  // Every script the page itself ran, lazy chunks included (the worker's script is initiator "other").
  const pageScripts = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.initiatorType === 'script' || e.initiatorType === 'link')
      .map((e) => e.name)
      .filter((url) => url.endsWith('.js')),
  );
  expect(pageScripts).toEqual(expect.arrayContaining(entry.map((u) => new URL(u, page.url()).href)));
  for (const url of pageScripts) {
    // tfjs-core names every kernel; none of those names belongs in the page's own code.
    expect((await (await page.request.get(url)).body()).includes('Conv2DBackpropFilter'), `${url} contains tfjs`).toBe(false);
  }
});

test('wasm runs on the threads the URL asks for, and by default leaves the page a core', async ({ studio: page, consoleErrors }) => {
  void consoleErrors;
  const status = page.getByRole('status', { name: 'Backend' });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const byDefault = Math.max(1, Math.min(4, cores - 1));
  await expect(status).toContainText(`Backend: wasm (${byDefault} ${byDefault === 1 ? 'thread' : 'threads'})`);

  // Two threads, even on two cores (tfjs alone would allow one): the run must work the same.
  await page.goto('/?backend=wasm&threads=2');
  await expect(status).toContainText('Backend: wasm (2 threads)', { timeout: 60_000 });
  await page.getByLabel('Built-in data set').selectOption({ label: 'Two moons (2-D)' });
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
  await fill(page, 'Student epochs', 2);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Results' }).getByRole('row', { name: /Distilled student/ })).toContainText('%', {
    timeout: 60_000,
  });

  await page.goto('/?backend=wasm&threads=many');
  await expect(page.getByText('Ignored ?threads=many: use a whole number from 1 to 8.')).toBeVisible();
  await expect(status).toContainText(`Backend: wasm (${byDefault} `, { timeout: 60_000 });
});

test('a GPU is measured against wasm once per device, the figures are shown, and "Measure again" measures again', async ({
  page,
  consoleErrors,
}, testInfo) => {
  void consoleErrors;
  // No hardware GPU here: the test-only flag makes the backend choice treat SwiftShader's WebGL as one.
  await page.goto('/?inject=pretend-hardware-gpu');
  const status = page.getByRole('status', { name: 'Backend' });
  const measured =
    /(wasm|webgl) measured fastest here \((wasm|webgl) ([\d,]+) samples\/s, (wasm|webgl) ([\d,]+) samples\/s; measured in ([\d.]+) s\)\./;
  await expect(status).toContainText(measured, { timeout: 120_000 });
  const [, best, first, firstRate, second, secondRate, seconds] = measured.exec((await status.textContent()) ?? '') ?? [];
  const durations = [Number(seconds)];
  // The fastest is the one chosen, and it is the backend that runs.
  expect(best).toBe(first);
  expect(new Set([first, second])).toEqual(new Set(['wasm', 'webgl']));
  expect(Number(firstRate.replace(/,/g, ''))).toBeGreaterThanOrEqual(Number(secondRate.replace(/,/g, '')));
  await expect(status).toContainText(`Backend: ${best}`);

  // Remembered: a reload does not measure again.
  await page.reload();
  await expect(status).toContainText(
    new RegExp(
      `${best} was measured fastest on this device \\(${first} ${firstRate} samples/s, ${second} ${secondRate} samples/s; measured \\d{4}-\\d\\d-\\d\\d\\)\\.`,
    ),
    { timeout: 120_000 },
  );

  // Overridable: measure again on request, or force a backend in the URL.
  for (let again = 0; again < 2; again++) {
    // It reloads the page: the text to wait for is the new page's, not the one on screen before.
    const reloaded = page.waitForEvent('load');
    await status.getByRole('button', { name: 'Measure again' }).click();
    await reloaded;
    await expect(status).toContainText(measured, { timeout: 120_000 });
    durations.push(Number(measured.exec((await status.textContent()) ?? '')?.[6]));
  }
  // Short: both backends smoke-tested and timed (their first compilation included) in a few seconds at
  // most, here. A wall-clock figure on a shared machine: the best of three measurements must be short;
  // all three are reported.
  const report = `calibration took ${durations.map((d) => `${d} s`).join(', ')} (best ${Math.min(...durations)} s)`;
  console.log(report);
  testInfo.annotations.push({ type: 'calibration', description: report });
  expect(Math.min(...durations), report).toBeLessThan(5);
  await page.goto('/?inject=pretend-hardware-gpu&backend=webgl');
  await expect(status).toContainText('Backend: webgl', { timeout: 120_000 });
  await expect(status).toContainText('was asked for in the URL');
});
