import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { expect, fill, TWO_MOONS, test } from './fixtures';

/** "Exports" of issue 14: the student as ONNX (checked in ONNX Runtime by the page) and as C source. */

test.use({ startHash: TWO_MOONS });

async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await button.click();
  const file = await pending;
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('the distilled student downloads as ONNX that passes the page’s check, and as C source', async ({ studio: page }) => {
  await expect(page.getByText(/Ready: Two moons MLP/)).toBeVisible({ timeout: 120_000 });
  await fill(page, 'Student epochs', 1);
  await page.getByRole('button', { name: 'Distill', exact: true }).click();
  await expect(page.getByText('Distillation finished.')).toBeVisible({ timeout: 120_000 });

  const format = page.getByLabel('Format', { exact: true });
  const precision = page.getByLabel('Weight precision', { exact: true });
  const student = page.getByRole('button', { name: 'Download student' });

  await format.selectOption({ label: 'ONNX' });
  await expect(precision.getByRole('option', { name: /uint8/ })).toBeDisabled();
  const onnx = await download(page, student);
  expect(onnx.name).toBe('student.onnx');
  expect(onnx.bytes.byteLength).toBeGreaterThan(1000);
  const check = page.getByRole('status', { name: 'ONNX check' });
  await expect(check).toContainText(/ONNX check: largest difference \d\.\de-?\d+ from the TF\.js student, test accuracy \d{1,3}\.\d{2}%/, {
    timeout: 60_000,
  });
  const diff = Number(/largest difference (\S+) from/.exec((await check.textContent()) ?? '')?.[1]);
  expect(diff).toBeLessThanOrEqual(1e-4);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await format.selectOption({ label: 'C source' });
  await expect(precision.getByRole('option', { name: /float16/ })).toBeDisabled();
  await precision.selectOption({ label: 'uint8 (¼ size)' });
  const c = await download(page, student);
  expect(c.name).toBe('distill_student.zip');
  const files = unzipSync(new Uint8Array(c.bytes));
  expect(Object.keys(files).sort()).toEqual(['distill_student.c', 'distill_student.h']);
  const header = strFromU8(files['distill_student.h']);
  expect(header).toMatch(/^\/\*\n \* distill_student\.h: /);
  expect(header).toContain('#define DISTILL_STUDENT_INPUTS 2');
  expect(header).toContain('#define DISTILL_STUDENT_OUTPUTS 2');
  expect(header).toContain('void distill_student_predict(const float *input, float *logits);');
  expect(strFromU8(files['distill_student.c'])).toMatch(
    /^\/\* distill_student\.c: [^\n]*\*\/\n#include <math\.h>\n#include "distill_student\.h"/,
  );
  await expect(page.getByText(/Saved distill_student\.zip: .*flash .* RAM /)).toBeVisible();
});
