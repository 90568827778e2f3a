import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig, type TransferData } from '../src/core/experiment';
import { toPyTorchScript } from '../src/core/experiment-export/pytorch';

/**
 * The PyTorch export's transfer data (Gaussian noise, mixup, synthesis from the teacher): the docstring
 * says what each does, and whole exported scripts run to the end where a python3 has PyTorch (python3 on
 * the PATH, else Debian's /usr/bin/python3 with python3-torch).
 */

const PYTHONS = ['python3', '/usr/bin/python3'];
const torchPython = PYTHONS.find((py) => spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0);
if (!torchPython) console.warn('No python3 here has PyTorch: the exported transfer data was not run.');

const base: ExperimentConfig = {
  version: 1,
  data: { kind: 'toy', toy: 'spiral', size: 240, noise: 0.2, classes: 4, seed: 2 },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 3, batchSize: 32, learningRate: 0.01, seed: 5 },
  student: { kind: 'preset', preset: 'mlp-16' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.01, batchSize: 32, epochs: 2 },
  seed: 3,
};
const withData = (data: TransferData): ExperimentConfig => ({ ...base, transfer: { ...DEFAULT_TRANSFER, data } });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-transfer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the PyTorch export of Transfer data', () => {
  it('says in the docstring what each option does, and nothing for the training set', () => {
    const doc = (c: ExperimentConfig) => toPyTorchScript(c, 2, 4).split('"""')[1];
    expect(doc(base)).not.toContain('Transfer data');
    expect(doc(withData({ kind: 'gaussian' }))).toContain('Transfer data: Gaussian noise.');
    expect(doc(withData({ kind: 'mixup', alpha: 0.4 }))).toContain('lambda ~ Beta(0.4, 0.4)');
    const synth = doc(withData({ kind: 'synthesised', perClass: 5, steps: 7 }));
    expect(synth).toContain('5 inputs per class, 7 Adam steps');
    expect(synth).toContain('this script prints the terms instead');
    const config = toPyTorchScript(withData({ kind: 'synthesised', perClass: 5, steps: 7 }), 2, 4).split('"""')[2];
    expect(config).toMatch(/["']perClass["']: 5/);
  });

  it.each([
    ['Gaussian noise', withData({ kind: 'gaussian' }), null],
    ['mixup', withData({ kind: 'mixup', alpha: 0.4 }), null],
    ['synthesised', withData({ kind: 'synthesised', perClass: 5, steps: 20 }), /synthesised rows 20\/20: confidence \d+\.\d+/],
  ] as const)('%s: a whole script trains the teacher, distils and reports', (name, c, extra) => {
    if (!torchPython) return;
    const script = join(dir, `run-${name.replace(/\W+/g, '-')}.py`);
    writeFileSync(script, toPyTorchScript(c, 2, 4), 'utf8');
    const run = spawnSync(torchPython, [script, '--device', 'cpu'], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Traceback/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/epoch 2\/2: distilled \d+\.\d+%\s+scratch/);
    expect(run.stdout).toMatch(/final test accuracy: teacher \d+\.\d+%, distilled student \d+\.\d+%/);
    if (extra) expect(run.stdout).toMatch(extra);
  });
});
