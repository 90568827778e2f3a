/** MNIST-10k and the shipped CNN teacher on the wasm backend in Node, with the kernel fixes the app installs. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMnist } from '../src/core/data/mnist';
import type { Dataset } from '../src/core/data/types';
import { installWasmKernelFixes } from '../src/core/kernels/install';
import { importModel, type ImportedModel } from '../src/core/model-io';
import { predictorTeacher, type TeacherModel } from '../src/core/teacher-model';
import { disposeTensors, toTensors, type DataTensors } from '../src/core/tensors';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function wasmBackend(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
}

/** public/data/mnist-10k.bin, made by `npm run data` (npm test runs it first). */
export function mnist10k(): Dataset {
  const path = resolve(root, 'public/data/mnist-10k.bin');
  const buf = readFileSync(path);
  return decodeMnist(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export async function shippedTeacher(id: string): Promise<ImportedModel> {
  const dir = resolve(root, 'public/models', id);
  const json = readFileSync(resolve(dir, 'model.json'), 'utf8');
  const manifest = JSON.parse(json) as { weightsManifest: { paths: string[] }[] };
  const shards = manifest.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(resolve(dir, p))) }));
  return importModel([{ name: 'model.json', bytes: new TextEncoder().encode(json) }, ...shards]);
}

/** The figure scripts' common start: wasm, MNIST-10k as tensors, the shipped CNN as a teacher, and a line saying so. */
export async function mnistWithShippedCnn(): Promise<{
  dataset: Dataset;
  data: DataTensors;
  teacher: TeacherModel;
  /** The teacher as a layers model (what synthesis and hints need), or null were it a graph model. */
  teacherLayers: tf.LayersModel | null;
  says: string;
  dispose: () => void;
}> {
  await wasmBackend();
  const dataset = mnist10k();
  const imported = await shippedTeacher('mnist-cnn');
  const teacher = predictorTeacher({ predict: (x) => imported.predictLogits(x) });
  const says = `${dataset.name}: ${dataset.train.n} training rows, ${dataset.test.n} test rows; teacher: shipped mnist-cnn`;
  const data = toTensors(dataset);
  const dispose = () => {
    imported.dispose();
    disposeTensors(data);
  };
  return { dataset, data, teacher, teacherLayers: imported.layersModel ?? null, says, dispose };
}
