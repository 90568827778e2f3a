import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, fill, shippedTeacherReady, TWO_MOONS, test } from './fixtures';

/** "Access" of the issue "Reliability, privacy and access": labels, keyboard, axe, text alternatives. */

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The sidebar's panels, by heading. */
const PANELS = [
  'Data',
  'Teacher',
  'Student',
  'Distillation settings',
  'Loss terms',
  'Transfer set',
  'Experiment',
  'Sweep',
  'Export',
  'Model library',
];
/** The main area's sections, once a distillation on a 2-D set has finished. */
const MAIN: { name: string; find: (page: Page) => Locator }[] = [
  { name: 'Run bar', find: (page) => page.getByRole('region', { name: 'Run', exact: true }) },
  { name: 'What is happening', find: (page) => page.getByRole('region', { name: 'What is happening' }) },
  { name: 'charts', find: (page) => page.locator('main > .charts') },
  { name: 'Decision boundaries', find: (page) => page.getByRole('region', { name: 'Decision boundaries' }) },
  { name: 'Results', find: (page) => page.locator('main > section.results', { has: page.getByRole('table', { name: 'Results' }) }) },
  { name: 'Try it', find: (page) => page.getByRole('region', { name: 'Try it', exact: true }) },
  { name: 'Analysis', find: (page) => page.getByRole('region', { name: 'Analysis' }) },
  { name: 'Dark-knowledge explorer', find: (page) => page.getByRole('region', { name: 'Dark-knowledge explorer' }) },
  { name: 'Runs', find: (page) => page.getByRole('region', { name: 'Runs', exact: true }) },
  { name: 'Sweep results', find: (page) => page.getByRole('region', { name: 'Sweep results' }) },
];

/** One line per violation and node: rule, impact, where, and axe's summary of what to fix. */
function describeViolations(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string {
  return violations
    .flatMap((v) =>
      v.nodes.map(
        (n) =>
          `${v.id} (${v.impact ?? 'n/a'}) at ${n.target.join(' ')}: ${v.help}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`,
      ),
    )
    .join('\n');
}

/** Marks a region so that axe, which takes CSS selectors, can be pointed at it. */
async function scope(locator: Locator, name: string): Promise<string> {
  await expect(locator).toBeVisible();
  await locator.evaluate((el, n) => el.setAttribute('data-axe', n), name);
  return `[data-axe="${name}"]`;
}

/**
 * Axe over the whole page, once every panel and section is shown (each checked visible first): a
 * run over the page checks every node that a run scoped to one part would, so one run covers them all
 * (it was 21 runs a theme, about a minute of the suite). Each violation says which part it is in.
 */
async function axeEverything(page: Page, theme: string): Promise<void> {
  for (const name of PANELS)
    await scope(page.getByRole('complementary', { name: 'Setup' }).getByRole('region', { name, exact: true }), name);
  for (const { name, find } of MAIN) await scope(find(page), name);
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const parts = await Promise.all(
    violations.flatMap((v) =>
      v.nodes.map((n) =>
        page.evaluate((target) => {
          const el = typeof target === 'string' ? document.querySelector(target) : null;
          return el?.closest('[data-axe]')?.getAttribute('data-axe') ?? 'elsewhere on the page';
        }, n.target[0] ?? ''),
      ),
    ),
  );
  const where = [...new Set(parts)].join(', ');
  expect(violations.length === 0 ? '' : `[${theme}] in ${where}:\n${describeViolations(violations)}`, 'axe violations').toBe('');
  // Axe leaves text in SVG (axis ticks) and text over the plot (the legend) to a person: measured here.
  const low = await page.locator('figure.chart').evaluateAll((figures) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    return figures.flatMap((figure) => {
      const background = getComputedStyle(figure).backgroundColor;
      const texts = Array.from(figure.querySelectorAll('.recharts-cartesian-axis-tick-value')).map((el) => ({
        el,
        colour: getComputedStyle(el).fill,
      }));
      texts.push(
        ...Array.from(figure.querySelectorAll('.recharts-legend-item-text')).map((el) => ({ el, colour: getComputedStyle(el).color })),
      );
      return texts
        .filter(({ colour }) => ratio(colour, background) < 4.5)
        .map(({ el, colour }) => `"${el.textContent}" ${colour} on ${background}: ${ratio(colour, background).toFixed(2)}:1`);
    });
  });
  expect(low, `[${theme}] chart text under 4.5:1`).toEqual([]);
}

test.describe('on Two moons, opened from a link', () => {
  test.use({ startHash: TWO_MOONS });

  test('axe finds no WCAG 2.1 AA violations on any panel, in light and dark mode', async ({ studio: page }) => {
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
    await fill(page, 'Student epochs', 2);
    // A one-run sweep, for its heatmap; then a distillation, for the results, charts, analysis and explorer.
    await page.getByLabel('Temperatures', { exact: true }).fill('4');
    await page.getByLabel('Alphas', { exact: true }).fill('0.9');
    await page.getByLabel('Seeds per cell', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect(page.getByRole('status', { name: 'Sweep progress' })).toHaveText(/^Sweep finished/, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('region', { name: 'Dark-knowledge explorer' })).toBeVisible();
    // Everything that only shows on demand: a saved model, the JSON, a selected run's curves.
    await fill(page, 'Library name', 'moons student');
    await page.getByRole('button', { name: 'Save student to library' }).click();
    await expect(page.getByRole('table', { name: 'Saved models' })).toBeVisible();
    await page.getByText('Configuration (JSON)').click();
    await page
      .getByRole('checkbox', { name: /^Select run / })
      .first()
      .check();
    await expect(page.getByRole('figure', { name: 'Accuracy by epoch, selected runs' })).toBeVisible();

    await axeEverything(page, 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await axeEverything(page, 'dark');
  });

  test('every chart has a name and a text summary; every canvas is an image with a label', async ({ studio: page }) => {
    await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });
    await fill(page, 'Student epochs', 2);
    await page.getByRole('button', { name: 'Distill', exact: true }).click();
    await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByRole('region', { name: 'Dark-knowledge explorer' })).toBeVisible();

    // The numbers themselves, as a table and a sentence.
    await expect(page.getByRole('table', { name: 'Results' })).toBeVisible();
    await expect(page.getByText(/The distilled student is .* than the same student trained without the teacher/)).toBeVisible();
    // The live charts' captions end in the last epoch's values.
    for (const name of ['Test accuracy per epoch', 'Agreement with the teacher', 'KL(teacher ‖ student) on the test set, at T']) {
      await expect(page.getByRole('figure', { name })).toHaveAccessibleName(/ — epoch 2: .*distilled \d/);
    }
    await expect(page.getByRole('figure', { name: /^Training loss per step — step \d+: distilled/ })).toBeVisible();

    const figures = await page.locator('figure').evaluateAll((els) =>
      els.map((el) => {
        const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
        const name = ids
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ')
          .trim();
        const caption = el.querySelector('figcaption')?.textContent?.trim() ?? '';
        return { name, caption, labelled: ids.length > 0 };
      }),
    );
    expect(figures.length).toBeGreaterThanOrEqual(10);
    for (const f of figures) {
      expect(f.labelled, `figure "${f.caption}" has aria-labelledby`).toBe(true);
      expect(f.name, `figure "${f.caption}" is named by its caption`).not.toBe('');
    }
    const canvases = await page
      .locator('canvas')
      .evaluateAll((els) => els.map((el) => ({ role: el.getAttribute('role'), label: el.getAttribute('aria-label') ?? '' })));
    expect(canvases.length).toBeGreaterThanOrEqual(3);
    for (const c of canvases) {
      expect(c.role).toBe('img');
      expect(c.label).not.toBe('');
    }
  });
});

/** What has focus, in words, for failure messages. */
function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${label.trim().slice(0, 40)}`;
  });
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails with the list of what got focus on the way. */
async function tabTo(page: Page, target: Locator, { back = false, max = 200 } = {}): Promise<void> {
  await expect(target).toBeEnabled(); // Tab skips a disabled control
  const handle = await target.elementHandle();
  expect(handle, 'the element to tab to is on the page').not.toBeNull();
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((el) => document.activeElement === el, handle)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    seen.push(await focusedDescription(page));
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${target}; focus went to:\n  ${seen.join('\n  ')}`);
}

/** With a select focused: arrow keys until the option with this label is chosen. */
async function arrowToOption(page: Page, select: Locator, label: string): Promise<void> {
  const labels = await select.locator('option').allTextContents();
  const want = labels.indexOf(label);
  expect(want, `option ${label} in ${labels.join(', ')}`).toBeGreaterThanOrEqual(0);
  const have = await select.evaluate((el) => (el as HTMLSelectElement).selectedIndex);
  for (let i = 0; i < Math.abs(want - have); i++) await page.keyboard.press(want > have ? 'ArrowDown' : 'ArrowUp');
  await expect(select.locator('option:checked')).toHaveText(label);
}

/** With a text or number field focused: replace what it holds. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** The focused element shows where it is: an outline of 2px or more, or a box shadow, under :focus-visible. */
async function expectFocusVisible(target: Locator): Promise<void> {
  const style = await target.evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      focused: document.activeElement === el,
      visible: el.matches(':focus-visible'),
      outline: s.outlineStyle,
      width: Number.parseFloat(s.outlineWidth),
      shadow: s.boxShadow,
    };
  });
  expect(style.focused && style.visible, `${target} is focused and :focus-visible`).toBe(true);
  const ring = (style.outline !== 'none' && style.width >= 2) || style.shadow !== 'none';
  expect(ring, `${target} shows its focus (outline ${style.outline} ${style.width}px, shadow ${style.shadow})`).toBe(true);
}

test('the whole flow by keyboard alone: data, teacher, distil, export', async ({ studio: page, backend }) => {
  await shippedTeacherReady(page, backend);

  const dataSet = page.getByLabel('Built-in data set');
  await tabTo(page, dataSet);
  await expectFocusVisible(dataSet);
  await arrowToOption(page, dataSet, 'Two moons (2-D)');
  const load = page.getByRole('button', { name: 'Load', exact: true });
  await tabTo(page, load);
  await expectFocusVisible(load);
  await page.keyboard.press('Enter');
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 60_000 });

  const disclosure = page.locator('summary', { hasText: 'Train a teacher here' });
  await tabTo(page, disclosure);
  await expectFocusVisible(disclosure);
  await page.keyboard.press('Enter');
  const teacherModel = page.getByLabel('Teacher model');
  await tabTo(page, teacherModel);
  await arrowToOption(page, teacherModel, 'Small MLP 256');
  const teacherEpochs = page.getByLabel('Teacher epochs', { exact: true });
  await tabTo(page, teacherEpochs);
  await expectFocusVisible(teacherEpochs);
  await typeOver(page, '2');
  await expect(teacherEpochs).toHaveValue('2');
  const train = page.getByRole('button', { name: 'Train teacher' });
  await tabTo(page, train);
  await page.keyboard.press('Space');
  await expect(page.getByText(/Ready: MLP in-256-out/)).toBeVisible({ timeout: 2 * 60_000 });

  const studentEpochs = page.getByLabel('Student epochs', { exact: true });
  await tabTo(page, studentEpochs);
  await typeOver(page, '2');
  await expect(studentEpochs).toHaveValue('2');
  const distill = page.getByRole('button', { name: 'Distill', exact: true });
  await tabTo(page, distill);
  await expectFocusVisible(distill);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 2 * 60_000 });
  await expect(page.getByRole('table', { name: 'Results' }).getByRole('row', { name: /Distilled student/ })).toContainText('%');

  const downloadStudent = page.getByRole('button', { name: 'Download student' });
  await tabTo(page, downloadStudent);
  await expectFocusVisible(downloadStudent);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);

  // The charts are tab stops too (recharts' arrow keys move the tooltip), and show it.
  const chart = page.getByRole('application', { name: 'Line chart: Test accuracy per epoch' });
  await tabTo(page, chart);
  await expectFocusVisible(chart);
});
