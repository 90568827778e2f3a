import { test as base, expect, type Page } from '@playwright/test';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../src/core/experiment';
import { shareHash } from '../src/state/share';
import { ADVANCED_PANELS } from '../src/state/layout-store';

export type BackendOption = { backend: 'wasm' | 'webgpu' | 'webgl' | 'cpu' };
/** A share link's hash (shareHash) the studio opens with, e.g. TWO_MOONS: '' (the default) is a first visit, on MNIST. */
export type StartOption = { startHash: string };

/**
 * Two moons (800 training and 200 test rows) with its shipped teacher: for flows that do not depend
 * on the data set, a start without MNIST's 7.9 MB and its teacher's measurement (minutes on SwiftShader's WebGPU).
 */
export const TWO_MOONS: string = shareHash({
  version: 1,
  data: { kind: 'toy', toy: 'moons', size: 1000, noise: 0.15, seed: 1 },
  teacher: { kind: 'shipped', id: 'moons-mlp' },
  student: { kind: 'preset', preset: 'mlp-64' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.003, batchSize: 128, epochs: 20 },
  seed: 1,
});

/**
 * Every test opens the studio on its project's backend (?backend=) and fails on any console
 * error or uncaught exception in the page or its worker.
 */
export const test = base.extend<BackendOption & StartOption & { studio: Page; consoleErrors: string[] }>({
  backend: ['wasm', { option: true }],
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('worker', (worker) => worker.on('console', (msg) => msg.type() === 'error' && errors.push(`worker: ${msg.text()}`)));
    await use(errors);
    expect(errors, 'console errors').toEqual([]);
  },
  startHash: ['', { option: true }],
  studio: async ({ page, backend, startHash, consoleErrors }, use) => {
    void consoleErrors;
    await rememberPanelsOpen(page);
    await page.goto(`/?backend=${backend}${startHash}`);
    await expect(page.getByRole('status', { name: 'Backend' })).toContainText(`Backend: ${backend}`, { timeout: 60_000 });
    await expect(page.getByRole('status', { name: 'Backend' })).toContainText('was asked for in the URL');
    await openAdvancedPanels(page); // none left closed: a check that every advanced panel is remembered
    await use(page);
  },
});

export { expect };

/**
 * The advanced setup panels (loss terms, transfer set, sweep, …) open from the first load, as a
 * person who uses them has them (the page remembers it, src/state/layout-store.ts): written before
 * the page's scripts run, so that the specs reach their controls without clicking each panel open
 * on every test. Only where nothing is remembered yet: a reload keeps what the page stored.
 */
async function rememberPanelsOpen(page: Page): Promise<void> {
  await page.addInitScript(
    ({ key, panels }) => {
      if (localStorage.getItem(key) === null)
        localStorage.setItem(key, JSON.stringify({ state: { open: Object.fromEntries(panels.map((p) => [p, true])) }, version: 1 }));
    },
    { key: 'distill-studio-layout', panels: [...ADVANCED_PANELS] },
  );
}

/**
 * Opens every closed advanced setup panel (loss terms, transfer set, sweep, …), as a person who uses
 * them has (the page remembers it): the specs reach their controls as before. e2e/layout.spec.ts
 * checks the closed first view itself.
 */
export async function openAdvancedPanels(page: Page): Promise<void> {
  const closed = page.getByRole('complementary', { name: 'Setup' }).locator('button[aria-expanded="false"]');
  while ((await closed.count()) > 0) await closed.first().click();
}

export async function fill(page: Page, label: string, value: string | number): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(String(value));
}

/** Percentages in a results row, in column order. */
export async function rowPercent(page: Page, row: string, column: string): Promise<number> {
  const table = page.getByRole('table', { name: 'Results' });
  const headers = await table.getByRole('columnheader').allTextContents();
  const index = headers.indexOf(column);
  expect(index, `column ${column}`).toBeGreaterThan(0);
  const cells = table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: row }) })
    .getByRole('cell');
  const text = (await cells.nth(index - 1).textContent()) ?? '';
  expect(text).toMatch(/^\d{1,3}\.\d{2}%$/);
  return Number.parseFloat(text);
}

/**
 * The shipped MNIST teacher is loaded and measured at start: the CNN, or on a software-emulated GPU
 * (SwiftShader WebGPU here) the MLP, since evaluating a CNN there takes minutes.
 */
export async function shippedTeacherReady(page: Page, backend: BackendOption['backend']): Promise<number> {
  const [name, atLeast] = backend === 'webgpu' ? [/Ready: MNIST MLP 1200-1200/, 95] : [/Ready: MNIST CNN/, 97.5];
  await expect(page.getByText(name)).toBeVisible({ timeout: 120_000 });
  const accuracy = await rowPercent(page, 'Teacher', 'Test accuracy');
  expect(accuracy).toBeGreaterThanOrEqual(atLeast);
  return accuracy;
}

/**
 * Polls `read` until it has returned the same value for `quietMs` and resolves with that value; fails
 * (after `timeout`) if it never holds still that long. For "this stops changing": no fixed sleep
 * that is too short on a slow machine and wasted on a fast one.
 */
export async function settledValue<T>(
  read: () => Promise<T>,
  { quietMs, timeout = 30_000, message }: { quietMs: number; timeout?: number; message: string },
): Promise<T> {
  const seen: { last?: { value: T; since: number } } = {};
  await expect
    .poll(
      async () => {
        const value = await read();
        if (!seen.last || !Object.is(value, seen.last.value)) seen.last = { value, since: Date.now() };
        return Date.now() - seen.last.since;
      },
      { message, timeout, intervals: [Math.max(50, quietMs / 6)] },
    )
    .toBeGreaterThanOrEqual(quietMs);
  if (!seen.last) throw new Error(`${message}: nothing was read`);
  return seen.last.value;
}
