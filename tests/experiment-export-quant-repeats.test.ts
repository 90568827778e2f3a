import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from '../src/core/experiment';
import { toPyTorchScript } from '../src/core/experiment-export/pytorch';
import { fakeQuantiseValues } from '../src/core/quantise';
import { createRng } from '../src/core/rng';
import { pairedDifferences, tInterval95 } from '../src/core/stats';

/**
 * Train for uint8 and Repeats in the PyTorch export, run by a python3 with PyTorch (these tests fail
 * without one, never skip): the whole script on Two spiral, and its fake quantisation and
 * statistics against the studio's own (core/quantise.ts, core/stats.ts).
 */

const dir = mkdtempSync(join(tmpdir(), 'export-qr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spiral: ExperimentConfig = {
  version: 1,
  // A spiral: generated without scikit-learn, which the system's python3 lacks.
  data: { kind: 'toy', toy: 'spiral', size: 400, noise: 0.1, classes: 2, seed: 1 },
  teacher: { kind: 'preset', preset: 'mlp-256', epochs: 3, batchSize: 32, learningRate: 0.01, seed: 5 },
  student: { kind: 'preset', preset: 'mlp-16' },
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
  optimiser: { name: 'adam', learningRate: 0.01, batchSize: 32, epochs: 3 },
  seed: 7,
  quantAware: { lastEpochs: 2, perChannel: false, activations: false },
  repeats: 3,
};

function script(c: ExperimentConfig, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, toPyTorchScript(c, 2, 2));
  return path;
}

/** The first python3 that imports torch: the one on PATH, else the system's (pyenv's python3 here has no PyTorch). */
const PYTHON = ['python3', '/usr/bin/python3'].find((py) => {
  try {
    execFileSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
// Like the other PyTorch export tests: run where a python3 has PyTorch (Debian's python3-torch), skipped with a message elsewhere.
if (!PYTHON) console.warn('No python3 here has PyTorch and numpy: the exported Train for uint8 and Repeats were not run.');

function python(args: string[], input?: string): string {
  if (!PYTHON) throw new Error('No python3 with PyTorch and numpy (tried python3 and /usr/bin/python3): the export was not run.');
  return execFileSync(PYTHON, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 240_000 });
}

/** Runs, with CONFIG and the names given, only those top-level definitions of the exported script, then `code`. */
const PICK = `
import ast, json, math, sys
import torch
import torch.nn as nn
path, names = sys.argv[1], set(sys.argv[2].split(","))
tree = ast.parse(open(path, encoding="utf-8").read())
keep = [n for n in tree.body if (isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in names)
        or (isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) in names | {"CONFIG"})]
exec(compile(ast.Module(body=keep, type_ignores=[]), path, "exec"))
data = json.loads(sys.stdin.read())
`;

describe.skipIf(!PYTHON)('the PyTorch export: Train for uint8 and Repeats', () => {
  it('runs every seed, trains the last epochs for uint8, and reports mean ± sd, the paired interval and a verdict', () => {
    // Plain ASCII, as every exported script (the docstring's new lines included).
    expect(toPyTorchScript(spiral, 2, 2)).not.toMatch(/[^\t\n\x20-\x7e]/);
    const out = python([script(spiral, 'spiral.py'), '--device', 'cpu']);
    expect(out.match(/^seed \d+ \(\d of 3\)$/gm)).toEqual(['seed 7 (1 of 3)', 'seed 8 (2 of 3)', 'seed 9 (3 of 3)']);
    // Epochs 2 and 3 of 3 are trained for uint8, once per seed.
    expect(out.match(/^epoch 2: training for uint8 from here on \(per tensor\)$/gm)).toHaveLength(3);
    expect(
      out.match(/^distilled student trained for uint8: \d+\.\d\d% with uint8 weights, \d+\.\d\d% with its float32 weights$/gm),
    ).toHaveLength(3);
    expect(out).toMatch(
      /^mean \+\/- sd: teacher \d+\.\d\d% \+\/- \d+\.\d\d, distilled \d+\.\d\d% \+\/- \d+\.\d\d, scratch \d+\.\d\d% \+\/- \d+\.\d\d$/m,
    );
    expect(out).toMatch(
      /^distilled - scratch: [+-]\d+\.\d\d points on average over 3 seeds, 95% interval [+-]\d+\.\d\d to [+-]\d+\.\d\d \(Student's t\): (distillation helped|distillation hurt|no detectable difference at 3 seeds)$/m,
    );
  }, 300_000);

  it('without them, one seed and float32 training, as before', () => {
    const { quantAware: _q, repeats: _r, ...plain } = spiral;
    const out = python([script({ ...plain, optimiser: { ...plain.optimiser, epochs: 1 } }, 'plain.py'), '--device', 'cpu']);
    expect(out).not.toMatch(/uint8|seed \d+ \(|mean \+\/- sd/);
    expect(out).toMatch(/^final test accuracy: teacher /m);
  }, 300_000);

  it('quantises as the studio does (per tensor and per output channel) with a straight-through gradient', () => {
    const rng = createRng(3);
    // A TF.js Dense kernel [in 5, out 3] with a range that spans 0; PyTorch's Linear keeps it as [out, in].
    const kernel = Float32Array.from({ length: 15 }, () => rng() * 2 - 0.7);
    const transposed = Array.from({ length: 3 }, (_, o) => Array.from({ length: 5 }, (_, i) => kernel[i * 3 + o]));
    const code = `${PICK}
w = torch.tensor(data, dtype=torch.float32, requires_grad=True)
FakeQuantUint8(False)(w).sum().backward()
print(json.dumps({"tensor": uint8_fake_quant(w.detach()).tolist(), "channel": uint8_fake_quant(w.detach(), True).tolist(), "grad": w.grad.tolist()}))
`;
    const got = JSON.parse(python(['-c', code, script(spiral, 'q.py'), 'uint8_fake_quant,FakeQuantUint8'], JSON.stringify(transposed)));
    const studio = (perChannel: boolean) => {
      const { values } = fakeQuantiseValues(kernel, [5, 3], { perChannel });
      return Array.from({ length: 3 }, (_, o) => Array.from({ length: 5 }, (_, i) => values[i * 3 + o]));
    };
    for (const [mine, theirs] of [
      [got.tensor, studio(false)],
      [got.channel, studio(true)],
    ] as const)
      mine.flat().forEach((v: number, k: number) => {
        expect(v).toBeCloseTo(theirs.flat()[k], 6);
      });
    expect(new Set(got.tensor.flat()).size).toBeLessThan(15 + 1);
    expect(got.grad.flat()).toEqual(Array(15).fill(1));
  }, 120_000);

  it("reports the studio's paired Student-t interval over the seeds", () => {
    const distilled = [0.95, 0.93, 0.96, 0.94];
    const scratch = [0.9, 0.94, 0.91, 0.92];
    const results = distilled.map((d, i) => [10 + i, 0.97, d, scratch[i]]);
    const code = `${PICK}
report_repeats([tuple(r) for r in data])
`;
    const out = python(['-c', code, script(spiral, 'r.py'), 'report_repeats,mean_sd,T_975'], JSON.stringify(results));
    const interval = tInterval95(pairedDifferences(distilled, scratch));
    if (!interval) throw new Error('no interval');
    const signed = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(2)}`;
    expect(out).toContain(
      `distilled - scratch: ${signed(interval.mean)} points on average over 4 seeds, 95% interval ${signed(interval.low)} to ${signed(interval.high)} (Student's t): no detectable difference at 4 seeds`,
    );
    expect(out).toContain('\n  13   97.00%     94.00%   92.00%  +2.00 points\n');
  }, 120_000);
});
