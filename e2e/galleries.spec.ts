import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, fill, shippedTeacherReady, test } from './fixtures';

/** Issue 12, "After a run": results first, a confusion-cell gallery, and where the student and the teacher disagree. */

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeOn(page: Page, selector: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).include(selector).analyze();
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact ?? 'n/a'}) at ${n.target.join(' ')}: ${v.help}`));
}

test('after a short distillation: results first, a cell’s examples, where they disagree, and a click into the explorer', async ({
  studio: page,
  backend,
}) => {
  await shippedTeacherReady(page, backend);
  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 5 * 60_000 });

  // The headline and the table come before everything else in the main column, the analysis after them.
  const results = page.locator('main > section.results');
  await expect(results.locator('p.summary')).toContainText('than the same student trained without the teacher');
  const analysis = page.getByRole('region', { name: 'Analysis' });
  await expect(analysis).toBeVisible();
  const order = await page.evaluate(() => {
    const main = document.querySelector('main');
    const sections = Array.from(main?.children ?? []).filter((el) => el.matches('section, .charts, .view'));
    const summary = document.querySelector('section.results p.summary');
    const table = document.querySelector('section.results table');
    return {
      first: sections[0]?.className ?? '',
      headlineBeforeTable: Boolean(summary && table && summary.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING),
    };
  });
  expect(order).toEqual({ first: 'results', headlineBeforeTable: true });

  // A big cell (the teacher's 1s read as 1): 24 thumbnails, then more.
  const teacherOnes = analysis.getByRole('button', { name: /^Show the \d+ examples of true 1 predicted 1 \(teacher\)$/ });
  const count = Number((await teacherOnes.getAttribute('aria-label'))?.match(/\d+/)?.[0]);
  expect(count).toBeGreaterThan(24);
  await teacherOnes.click();
  await expect(teacherOnes).toHaveAttribute('aria-pressed', 'true');
  const ones = page.getByRole('region', { name: 'Examples: true 1, predicted 1' });
  await expect(ones).toBeVisible();
  const thumbs = ones.getByRole('button', { name: /Open it in the explorer$/ });
  await expect(thumbs).toHaveCount(24);
  // Every thumbnail drawn from the test row the worker sent (a 28×28 canvas), not left as a placeholder.
  await expect(ones.locator('canvas.thumb-image')).toHaveCount(24);
  await ones.getByRole('button', { name: /^Show more/ }).click();
  await expect(thumbs).toHaveCount(Math.min(48, count));

  // By keyboard: one tab stop per matrix, the arrow keys move between cells, Enter opens one.
  await teacherOnes.focus();
  await page.keyboard.press('ArrowLeft');
  const left = page.locator(':focus');
  await expect(left).toHaveAccessibleName(/ of true 1 predicted 0 \(teacher\)$/);
  await expect(left).toHaveAttribute('tabindex', '0');
  await expect(teacherOnes).toHaveAttribute('tabindex', '-1');
  // A mistake of the distilled student, if it made one; else any cell of its matrix with examples.
  const distilledCells = analysis.getByRole('button', { name: /^Show the .* \(distilled student\)$/ });
  const names = await distilledCells.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''));
  const mistake = names.find((n) => !/true (\d) predicted \1 /.test(n)) ?? names[0];
  const [, truth, predicted] = mistake.match(/true (\d) predicted (\d)/) ?? [];
  await analysis.getByRole('button', { name: mistake, exact: true }).focus();
  await page.keyboard.press('Enter');
  const cell = page.getByRole('region', { name: `Examples: true ${truth}, predicted ${predicted}` });
  await expect(cell).toBeVisible();
  await expect(ones).toHaveCount(0);
  await expect(cell.getByRole('button', { name: /Open it in the explorer$/ }).first()).toBeVisible();
  await expect(cell.locator('canvas.thumb-image').first()).toBeVisible();

  // Where they disagree: the largest KL first; a click shows that row in the explorer, in view.
  const disagree = page.getByRole('region', { name: 'Where they disagree' });
  const examples = disagree.getByRole('button', { name: /Open it in the explorer$/ });
  await expect(examples).toHaveCount(12);
  const kls = (await examples.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? ''))).map((n) =>
    Number(n.match(/KL (\d+(?:\.\d+)?) nats/)?.[1]),
  );
  expect(kls.every(Number.isFinite), kls.join(', ')).toBe(true);
  expect([...kls].sort((a, b) => b - a)).toEqual(kls);
  const third = examples.nth(2);
  const row = Number((await third.getAttribute('aria-label'))?.match(/^#(\d+)/)?.[1]);
  await third.click();
  const explorer = page.getByRole('region', { name: 'Dark-knowledge explorer' });
  const field = explorer.getByRole('spinbutton', { name: 'Test example', exact: true });
  await expect(field).toHaveValue(String(row));
  await expect(field).toBeFocused();
  await expect(explorer.getByText(new RegExp(`^Test example ${row}: digit \\d\\. Predicted:`))).toBeVisible();
  await expect(explorer.getByRole('img', { name: new RegExp(`^Test example ${row}: digit`) })).toBeInViewport();

  // Axe on both galleries, in light and dark mode.
  await cell.evaluate((el) => el.setAttribute('data-axe', 'cell-gallery'));
  await disagree.evaluate((el) => el.setAttribute('data-axe', 'disagreements'));
  await analysis.locator('.matrix-grid').evaluate((el) => el.setAttribute('data-axe', 'matrices'));
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const found = [
      ...(await axeOn(page, '[data-axe="cell-gallery"]')),
      ...(await axeOn(page, '[data-axe="disagreements"]')),
      ...(await axeOn(page, '[data-axe="matrices"]')),
    ];
    expect(found, `axe, ${colorScheme}`).toEqual([]);
  }
});
