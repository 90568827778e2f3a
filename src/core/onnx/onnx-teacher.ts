/**
 * An ONNX model as a teacher: its logits on the data set's xTrain and xTest computed once, in chunks
 * with progress (or taken from a cache), checked (shape, NaN) and turned into logits when the model
 * outputs probabilities. The data set's own tensors are answered from those arrays; any other rows
 * (Try it, the explorer) run through ONNX Runtime.
 */
import * as tf from '@tensorflow/tfjs';
import { inFile, OnnxError, quote } from './onnx-error';
import { feedFor, formatDims, resolveOnnxFit } from './onnx-layout';
import { OnnxRowRunner } from './onnx-row-runner';
import { openOrtSession } from './ort-runtime';
import { readOnnxInfo } from './read-onnx-info';
import { nonFiniteRows, probabilitiesToLogits, rowsAreLogProbabilities, rowsAreProbabilities } from './teacher-outputs';
import type { OnnxIo, OnnxModelInfo, OnnxTeacher, OnnxTeacherData, OnnxTeacherOptions } from './types';

/** The declared output, when its dims are known, must be [N, classes]: said before anything runs. */
function checkDeclaredOutput(output: OnnxIo, numClasses: number, fileName: string): void {
  const fixed = (d: number | string | null) => typeof d === 'number' && d > 0;
  const wrongRank = output.dims.length > 0 && output.dims.length !== 2;
  const wrongClasses = output.dims.length === 2 && fixed(output.dims[1]) && output.dims[1] !== numClasses;
  if (wrongRank || wrongClasses) {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's output ${quote(output.name)} has shape ${formatDims(output.dims)}; it must be [N, ${numClasses}]: ` +
          `one score per class of the data set (${numClasses} classes)`,
      ),
    );
  }
}

/** ONNX graph inputs without a stored default must all be fed, and only one can take the data set's rows. */
function checkOtherInputs(info: OnnxModelInfo, fed: string, fileName: string): void {
  const others = info.inputs.filter((i) => i.name !== fed);
  if (others.length === 0) return;
  const names = others
    .slice(0, 5)
    .map((i) => quote(i.name))
    .join(', ');
  throw new OnnxError(
    inFile(
      fileName,
      `the model also needs ${others.length === 1 ? 'the input' : 'the inputs'} ${names}${others.length > 5 ? ' and more' : ''}, ` +
        `which the data set's rows cannot fill (they go to ${quote(fed)}). Export a model with one input.`,
    ),
  );
}

function checkFinite(values: Float32Array, classes: number, split: string, output: string, fileName: string): void {
  const { count, first } = nonFiniteRows(values, classes);
  if (count > 0) {
    throw new OnnxError(
      inFile(
        fileName,
        `the model's output ${quote(output)} is NaN or infinite for ${count} of the ${values.length / classes} ${split} rows (the first: row ${first}). ` +
          'Check that the model was exported in evaluation mode and takes the data set as it is (same scaling).',
      ),
    );
  }
}

const validCache = (cached: { train: Float32Array; test: Float32Array } | undefined, trainLength: number, testLength: number) =>
  cached !== undefined &&
  cached.train.length === trainLength &&
  cached.test.length === testLength &&
  nonFiniteRows(cached.train, 1).count === 0 &&
  nonFiniteRows(cached.test, 1).count === 0;

export async function loadOnnxTeacher(
  bytes: Uint8Array,
  data: OnnxTeacherData,
  options: OnnxTeacherOptions & { cached?: { train: Float32Array; test: Float32Array } },
): Promise<OnnxTeacher> {
  const { fileName, onProgress } = options;
  const { xTrain, xTest, numClasses, imageShape } = data;
  const info = readOnnxInfo(bytes, fileName);
  const dataset = { numFeatures: xTrain.shape[1], imageShape };
  const fit = resolveOnnxFit(info, dataset, options.choice);
  checkDeclaredOutput(fit.output, numClasses, fileName);
  checkOtherInputs(info, fit.input.name, fileName);
  const batch = fit.input.dims[0];
  const runtime = await openOrtSession(bytes, info, fileName, options.executionProvider);
  const runner = new OnnxRowRunner(runtime, {
    input: fit.input.name,
    output: fit.output.name,
    feed: feedFor(fit.input, fit.layout, dataset),
    fixedBatch: typeof batch === 'number' && batch > 0 ? batch : null,
    numClasses,
    fileName,
    imageShape,
  });
  const nTrain = xTrain.shape[0];
  const nTest = xTest.shape[0];
  let trainLogits: Float32Array;
  let testLogits: Float32Array;
  let outputsProbabilities: boolean;
  try {
    if (options.cached && validCache(options.cached, nTrain * numClasses, nTest * numClasses)) {
      trainLogits = options.cached.train;
      testLogits = options.cached.test;
      outputsProbabilities =
        info.endsInSoftmax(fit.output.name) ||
        (rowsAreLogProbabilities(trainLogits, numClasses) && rowsAreLogProbabilities(testLogits, numClasses));
    } else {
      const total = nTrain + nTest;
      onProgress?.(0, total);
      const train = await runner.run(xTrain, (done) => onProgress?.(done, total));
      checkFinite(train, numClasses, 'training', fit.output.name, fileName);
      const test = await runner.run(xTest, (done) => onProgress?.(nTrain + done, total));
      checkFinite(test, numClasses, 'test', fit.output.name, fileName);
      outputsProbabilities =
        info.endsInSoftmax(fit.output.name) ||
        (total > 0 && rowsAreProbabilities(train, numClasses) && rowsAreProbabilities(test, numClasses));
      trainLogits = outputsProbabilities ? probabilitiesToLogits(train) : train;
      testLogits = outputsProbabilities ? probabilitiesToLogits(test) : test;
    }
  } catch (e) {
    await runner.release().catch(() => undefined);
    throw e;
  }

  const fromArray = (values: Float32Array, rows: number) => tf.tensor2d(values.slice(), [rows, numClasses]);
  return {
    info,
    layout: fit.layout,
    outputsProbabilities,
    trainLogits,
    testLogits,
    executionProvider: runtime.provider,
    async logits(x) {
      if (x === xTrain) return fromArray(trainLogits, nTrain);
      if (x === xTest) return fromArray(testLogits, nTest);
      if (x.shape[1] !== dataset.numFeatures) {
        throw new OnnxError(inFile(fileName, `rows of ${x.shape[1]} features given to a model fed ${dataset.numFeatures} per row`));
      }
      const scores = await runner.run(x);
      checkFinite(scores, numClasses, 'given', fit.output.name, fileName);
      return fromArray(outputsProbabilities ? probabilitiesToLogits(scores) : scores, x.shape[0]);
    },
    dispose: () => runner.release(),
  };
}
