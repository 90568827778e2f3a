import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkdTerms } from '../src/core/dkd';
import { DEFAULT_LOSS, DEFAULT_METHOD, DEFAULT_TRANSFER, type ExperimentConfig, type SoftTargets } from '../src/core/experiment';
import { toPyTorchScript } from '../src/core/experiment-export/pytorch';
import { createRng } from '../src/core/rng';
import { ablatedTargets, targetKL } from '../src/core/soft-targets';
import { useCpuBackend } from '../src/core/test-setup';

/**
 * The PyTorch export's DKD and soft-target ablations, run by Python where a python3 has PyTorch
 * (python3 on the PATH, else Debian's /usr/bin/python3 with python3-torch): the exported soft term
 * against the studio's own computation, and whole exported scripts run to the end on a small toy set.
 */

const PYTHONS = ['python3', '/usr/bin/python3'];
const torchPython = PYTHONS.find((py) => spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0);
if (!torchPython) console.warn('No python3 here has PyTorch: the exported DKD and ablations were not run.');

const RUN_TERMS = fileURLToPath(new URL('./export-distil-methods.py', import.meta.url));

const blobs: ExperimentConfig = {
  version: 1,
  data: { kind: 'toy', toy: 'spiral', size: 240, noise: 0.2, classes: 4, seed: 2 },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 2, batchSize: 32, learningRate: 0.01, seed: 5 },
  student: { kind: 'preset', preset: 'mlp-16' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.01, batchSize: 32, epochs: 1 },
  seed: 3,
};
const dkd: ExperimentConfig = {
  ...blobs,
  loss: { ...DEFAULT_LOSS, method: { ...DEFAULT_METHOD, method: 'dkd', dkdAlpha: 2, dkdBeta: 5 } },
};
const ablation = (softTargets: SoftTargets): ExperimentConfig => ({ ...blobs, loss: { ...DEFAULT_LOSS, softTargets } });

const teacher = [
  [2.0, 1.0, 0.1, -0.5],
  [-1.0, 3.0, 0.5, 0.2],
  [0.3, -0.2, 1.7, 2.2],
  [6.1, 1.0, -2.0, 0.4],
];
const student = [
  [0.5, 0.2, 0.3, 0.1],
  [0.0, 1.0, -1.0, 0.7],
  [-0.4, 0.9, 0.2, -0.3],
  [2.0, -1.0, 0.0, 1.5],
];
const labels = [0, 1, 2, 3];
const T = 3;

let dir: string;
beforeAll(async () => {
  await useCpuBackend();
  dir = mkdtempSync(join(tmpdir(), 'export-methods-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Terms {
  tckd?: number;
  nckd?: number;
  soft?: number;
  targets?: number[][] | null;
  exit?: string;
}

function terms(name: string, c: ExperimentConfig): Terms {
  const script = join(dir, `${name}.py`);
  writeFileSync(script, toPyTorchScript(c, 2, 4), 'utf8');
  const input = join(dir, `${name}.json`);
  writeFileSync(input, JSON.stringify({ student, teacher, labels, temperature: T }), 'utf8');
  const out = execFileSync(torchPython as string, [RUN_TERMS, script, input], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as Terms;
}

const read = (t: tf.Tensor) => t.arraySync() as number;

describe('the exported soft term (where a python3 has PyTorch)', () => {
  it("DKD's TCKD and NCKD equal core/dkd.ts's, and soft = dkdAlpha·TCKD + dkdBeta·NCKD", () => {
    if (!torchPython) return;
    const got = terms('dkd', dkd);
    const ours = dkdTerms(tf.tensor2d(teacher), tf.tensor2d(student), tf.tensor1d(labels, 'int32'), T, false);
    expect(got.tckd).toBeCloseTo(read(ours.tckd), 5);
    expect(got.nckd).toBeCloseTo(read(ours.nckd), 5);
    expect(got.soft).toBeCloseTo(2 * read(ours.tckd) + 5 * read(ours.nckd), 5);
    tf.dispose([ours.tckd, ours.nckd]);
  });

  it("label smoothing's targets equal core/soft-targets.ts's, and the soft term is the KL from them", () => {
    if (!torchPython) return;
    const got = terms('smoothed', ablation('smoothed'));
    const q = ablatedTargets(tf.tensor2d(teacher), Int32Array.from(labels), T, 'smoothed', createRng(1));
    const want = q.arraySync();
    for (const [i, row] of want.entries()) for (const [j, v] of row.entries()) expect(got.targets?.[i][j]).toBeCloseTo(v, 5);
    const kl = targetKL(q, tf.tensor2d(student), T);
    expect(got.soft).toBeCloseTo(read(kl), 5);
    tf.dispose([q, kl]);
  });

  it('shuffled targets keep each row’s target probability and values, and the soft term is the KL from them', () => {
    if (!torchPython) return;
    const got = terms('shuffled', ablation('shuffled'));
    const teacherProbs = tf.softmax(tf.div(tf.tensor2d(teacher), T)).arraySync() as number[][];
    const targets = got.targets ?? [];
    let moved = 0;
    for (const [i, row] of targets.entries()) {
      const p = teacherProbs[i];
      expect(row[labels[i]]).toBeCloseTo(p[labels[i]], 6);
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      for (const [k, v] of sorted(row).entries()) expect(v).toBeCloseTo(sorted(p)[k], 6);
      moved += row.filter((v, j) => Math.abs(v - p[j]) > 1e-6).length;
    }
    expect(moved).toBeGreaterThan(0);
    const kl = targetKL(tf.tensor2d(targets), tf.tensor2d(student), T);
    expect(got.soft).toBeCloseTo(read(kl), 5);
    kl.dispose();
  });

  it('refuses what the studio refuses: an ablation with DKD, DKD with a labelled fraction', () => {
    if (!torchPython) return;
    expect(terms('both', { ...dkd, loss: { ...dkd.loss, softTargets: 'shuffled' } }).exit).toMatch(/apply to Hinton KD only/);
    expect(terms('fraction', { ...dkd, transfer: { ...DEFAULT_TRANSFER, labelledFraction: 0.1 } }).exit).toMatch(/true label/);
  });
});

describe('whole exported scripts with DKD and each ablation (where a python3 has PyTorch)', () => {
  it.each([
    ['DKD', dkd],
    ['shuffled non-target classes', ablation('shuffled')],
    ['label smoothing', ablation('smoothed')],
  ])('%s: trains the teacher, distils, and reports the final accuracies', (name, c) => {
    if (!torchPython) return;
    const script = join(dir, `run-${name.replace(/\W+/g, '-')}.py`);
    writeFileSync(script, toPyTorchScript(c, 2, 4), 'utf8');
    const run = spawnSync(torchPython, [script, '--device', 'cpu'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Traceback/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/epoch 1\/1: distilled \d+\.\d+%\s+scratch/);
    expect(run.stdout).toMatch(/final test accuracy: teacher \d+\.\d+%, distilled student \d+\.\d+%/);
  });
});
