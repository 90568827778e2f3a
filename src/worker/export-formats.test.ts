import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import type { ModelSpec } from '../core/model-spec';
import { buildModel } from '../core/models';
import { readOnnxInfo } from '../core/onnx/read-onnx-info';
import { calibrateRanges, quantisedAccuracy, setQuantTrained } from '../core/quant-activations';
import { useCpuBackend } from '../core/test-setup';
import type { FromWorker, ToWorker } from './protocol';
import { createRouter } from './router';
import { adoptDataset, session } from './session';

const dataset = makeToyDataset({ kind: 'blobs', size: 150, noise: 0.5, classes: 3, seed: 4 });

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(dataset);
  const shape = { numFeatures: dataset.numFeatures, numClasses: dataset.numClasses };
  const spec: ModelSpec = { kind: 'mlp', hidden: [16], activation: 'relu', dropout: 0 };
  session.students = { distilled: buildModel(spec, shape, 1), scratch: buildModel(spec, shape, 2) };
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'blobs', size: 12, noise: 0.5, classes: 3, seed: 1 })); // frees the models
});

/** The worker's own routing, as the page drives it, on a platform without other backends. */
const route = createRouter({
  backends: { probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }), activate: async () => false },
  planWasmThreads: () => {},
});

type ExportRequest = Extract<ToWorker, { type: 'exportModel' }>;

async function exportAs(msg: Omit<ExportRequest, 'type' | 'requestId'>): Promise<FromWorker | undefined> {
  const messages: FromWorker[] = [];
  await route({ type: 'exportModel', requestId: 1, ...msg }, (m) => messages.push(m));
  return messages.at(-1);
}

describe("the worker's exportModel in each format", () => {
  it("'onnx': student.onnx, run in ONNX Runtime over the test set, no further than 1e-4 from the TF.js student", async () => {
    const answer = await exportAs({ target: 'distilled', quantization: 'none', zip: true, format: 'onnx' });
    if (answer?.type !== 'exported') throw new Error(`answered ${JSON.stringify(answer)}`);
    const { exported } = answer;
    expect(exported.format).toBe('onnx');
    expect(exported.files.map((f) => f.name)).toEqual(['student.onnx']);
    expect(readOnnxInfo(new Uint8Array(exported.files[0].bytes), 'student.onnx').opset).toBeGreaterThanOrEqual(13);
    expect(exported.onnxCheck?.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    expect(exported.onnxCheck?.testAccuracy).toBe(exported.testAccuracy);
    expect(exported.testAccuracy).toBeGreaterThan(0);
  });

  it("'c': a .zip of distill_student.h and .c, or both files, with the flash and RAM they need", async () => {
    const zipped = await exportAs({ target: 'distilled', quantization: 'uint8', zip: true, format: 'c' });
    if (zipped?.type !== 'exported') throw new Error(`answered ${JSON.stringify(zipped)}`);
    expect(zipped.exported.files.map((f) => f.name)).toEqual(['distill_student.zip']);
    expect(Object.keys(unzipSync(new Uint8Array(zipped.exported.files[0].bytes))).sort()).toEqual([
      'distill_student.c',
      'distill_student.h',
    ]);
    expect(zipped.exported.cSize?.ramBytes).toBe(2 * 16 * 4);
    const plain = await exportAs({ target: 'scratch', quantization: 'none', zip: false, format: 'c' });
    if (plain?.type !== 'exported') throw new Error(`answered ${JSON.stringify(plain)}`);
    expect(plain.exported.files.map((f) => f.name)).toEqual(['distill_student.h', 'distill_student.c']);
    expect(new TextDecoder().decode(plain.exported.files[0].bytes)).toContain('#define DISTILL_STUDENT_INPUTS 2');
    expect(plain.exported.cSize?.weightBytes).toBe((2 * 16 + 16 + 16 * 3 + 3) * 4);
  });

  it("'c' at uint8 writes a student trained for uint8 in its own scheme (per channel, its activation ranges) and measures that", async () => {
    const { distilled } = session.students ?? {};
    const data = session.data;
    if (!distilled || !data) throw new Error('no students');
    const trained = { perChannel: true, activationRanges: await calibrateRanges(distilled, data.xTrain) };
    setQuantTrained(distilled, trained);
    const answer = await exportAs({ target: 'distilled', quantization: 'uint8', zip: false, format: 'c' });
    if (answer?.type !== 'exported') throw new Error(`answered ${JSON.stringify(answer)}`);
    const header = new TextDecoder().decode(answer.exported.files[0].bytes);
    expect(header).toContain('int8 (uint8 with a scale and minimum per output channel)');
    expect(header).toContain('Activations: each hidden output rounded to its uint8 grid');
    expect(new TextDecoder().decode(answer.exported.files[1].bytes)).toContain('ds_fq(ds_b, 16,');
    expect(answer.exported.testAccuracy).toBe(await quantisedAccuracy(distilled, data.xTest, data.yTest, trained));
    setQuantTrained(distilled, { perChannel: false, activationRanges: null });
  });

  it('a precision the format cannot write is refused with a reason, and the TF.js export is unchanged', async () => {
    expect(await exportAs({ target: 'distilled', quantization: 'uint8', zip: true, format: 'onnx' })).toMatchObject({
      type: 'exportFailed',
      message: expect.stringMatching(/ONNX export writes float32 or float16/),
    });
    expect(await exportAs({ target: 'distilled', quantization: 'float16', zip: true, format: 'c' })).toMatchObject({
      type: 'exportFailed',
      message: expect.stringMatching(/C export writes float32 or int8/),
    });
    const tfjs = await exportAs({ target: 'distilled', quantization: 'none', zip: false });
    expect(tfjs).toMatchObject({ type: 'exported', exported: { format: 'tfjs' } });
  });
});
