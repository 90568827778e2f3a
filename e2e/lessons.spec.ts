import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, fill, rowPercent, shippedTeacherReady, test } from './fixtures';

/** Lessons and presenter mode (issue 12): a lesson run end to end, one done by keyboard alone, presenter mode and its shortcuts. */

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LIVE =
  /^Your distilled student: (\d+\.\d{2})%; the scratch one: (\d+\.\d{2})% \(distilled (ahead|behind) by \d+\.\d{2} points; ahead by [\d.]+ when this lesson was written\)\./;

async function axeOn(page: Page, selector: string, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).include(selector).analyze();
  const found = violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}: ${v.help}`));
  expect(found, `axe on ${what}`).toEqual([]);
}

/** Presses Tab (or Shift+Tab) until the focused element has this text, as a keyboard user would (at most `limit` presses). */
async function tabTo(page: Page, text: string, key: 'Tab' | 'Shift+Tab' = 'Tab', limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === text) return;
  }
  throw new Error(`"${text}" not reached with ${limit} Tabs`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

test('lesson 3 (3% of the labels) sets the studio up, runs on wasm and compares the live run with the figures it quotes; axe is clean on its panel and the shortcuts list, light and dark', async ({
  studio: page,
  backend,
}) => {
  test.setTimeout(240_000);
  await shippedTeacherReady(page, backend);
  await page.getByRole('button', { name: 'Lessons', exact: true }).click();
  const panel = page.getByRole('dialog', { name: 'Lessons' });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Learning from the teacher with 3% of the labels' }).click();
  await expect(panel.getByText(/^Set up: MNIST-10k, .*3% of the labels\.$/)).toBeVisible({ timeout: 60_000 });
  // The lesson set the transfer set's labelled fraction; shorter than the lesson's 20 epochs, through the field's label.
  await expect(page.getByLabel('Labelled fraction')).toHaveValue('0.03');
  await fill(page, 'Student epochs', 2);
  await expect(
    panel.getByText(/^When this lesson was written: teacher 97\.80%, distilled student 94\.70%, scratch student 80\.05%/),
  ).toBeVisible();
  await expect(panel.getByText(/^Step 1 of 3: The set-up$/)).toBeVisible();
  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText(/^Step 2 of 3: Run it$/)).toBeVisible();

  await panel.getByRole('button', { name: 'Run this experiment' }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 180_000 });
  const live = panel.locator('.lesson-live');
  await expect(live).toHaveText(LIVE);
  // The sentence reads the studio's results: the same figures as the Results table.
  const [, distilled, scratch] = ((await live.textContent()) ?? '').match(LIVE) ?? [];
  expect(Number(distilled)).toBe(await rowPercent(page, 'Distilled student', 'Test accuracy'));
  expect(Number(scratch)).toBe(await rowPercent(page, 'Scratch student', 'Test accuracy'));

  await panel.getByRole('button', { name: 'Next' }).click();
  await expect(panel.getByText(/^Step 3 of 3: Read the gap$/)).toBeVisible();
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(shortcuts).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await axeOn(page, '.lessons-panel', `the lessons panel (${theme})`);
    await axeOn(page, '.shortcuts-dialog', `the shortcuts dialog (${theme})`);
  }
});

test('a whole lesson by keyboard alone, in presenter mode: open, choose, run with Space, step with →, back with Enter', async ({
  page,
  consoleErrors,
}) => {
  void consoleErrors;
  test.setTimeout(240_000);
  // ?lessonEpochs=1 (test builds only) shortens the lesson's run.
  await page.goto('/?backend=wasm&present&lessonEpochs=1');
  await shippedTeacherReady(page, 'wasm');
  await tabTo(page, 'Lessons');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('dialog', { name: 'Lessons' });
  await expect(panel).toBeVisible();
  expect(await focusedText(page)).toBe('Distilled vs scratch');
  await page.keyboard.press('Tab');
  expect(await focusedText(page)).toBe('What temperature does');
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'What temperature does' })).toBeFocused();
  await expect(panel.getByText(/^Set up: MNIST-10k/)).toBeVisible({ timeout: 60_000 });

  await page.keyboard.press(' ');
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 180_000 });
  await expect(panel.locator('.lesson-live')).toHaveText(LIVE);
  const slider = page.getByLabel('Explorer temperature');
  await page.keyboard.press('ArrowRight');
  await expect(panel.getByText(/^Step 2 of 4: T = 1: the plain softmax$/)).toBeVisible();
  await expect(slider).toHaveValue('1');
  await page.keyboard.press('ArrowRight');
  await expect(panel.getByText(/^Step 3 of 4: T = 10: soft targets$/)).toBeVisible();
  await expect(slider).toHaveValue('10');
  await page.evaluate(() => window.scrollTo(0, 0));
  await tabTo(page, 'Show me the explorer');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Dark-knowledge explorer' })).toBeInViewport();
  await tabTo(page, 'Back');
  await page.keyboard.press('Enter');
  await expect(panel.getByText(/^Step 2 of 4/)).toBeVisible();
  await expect(slider).toHaveValue('1');
  await tabTo(page, 'Close lessons', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(panel).toBeHidden();
  await expect(page.getByRole('button', { name: 'Lessons', exact: true })).toBeFocused();
});

test('?present turns presenter mode on: larger type, advanced panels hidden; ? opens the shortcuts, which keep and give back focus; Space runs and pauses, Escape stops', async ({
  page,
  consoleErrors,
}) => {
  void consoleErrors;
  test.setTimeout(180_000);
  await page.goto('/?backend=wasm&present');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
  const toggle = page.getByRole('checkbox', { name: 'Presenter mode' });
  await expect(toggle).toBeChecked();
  const setup = page.getByRole('complementary', { name: 'Setup' });
  await expect(setup.getByRole('heading', { name: 'Data' })).toBeVisible();
  for (const name of ['Loss terms', 'Transfer set', 'Sweep', 'Export', 'Model library'])
    await expect(setup.getByRole('button', { name, exact: true })).toBeHidden();
  const rootSize = () => page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));
  const presenterSize = await rootSize();

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('row', { name: /Space/ })).toContainText('pause');
  await expect(dialog.getByRole('row', { name: /Escape/ })).toContainText('Stop the run');
  await expect(dialog.getByRole('row', { name: /Right arrow/ })).toContainText('Next step');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Opened from its button, it gives focus back to it.
  await tabTo(page, 'Keyboard shortcuts');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();

  // Space runs, Space pauses, Escape stops: with focus on the page, not on a control that uses the key.
  await shippedTeacherReady(page, 'wasm');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible({ timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(page.getByText('Run stopped. Everything from before it is kept.')).toBeVisible({ timeout: 60_000 });

  await toggle.uncheck();
  await expect(setup.getByRole('button', { name: 'Transfer set', exact: true })).toBeVisible();
  expect(await rootSize()).toBeLessThan(presenterSize);
});
