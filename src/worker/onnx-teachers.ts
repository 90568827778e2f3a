import type { Dataset } from '../core/data/types';
import type { ModelFile } from '../core/model-io';
import { loadOnnxTeacher, onnxQuestion, readOnnxInfo, sha256Hex, type OnnxChoice, type OnnxTeacher } from '../core/onnx';
import { resolveOnnxFit } from '../core/onnx/onnx-layout';
import { evaluateTeacher } from '../core/results';
import { logitsCacheKey, readCachedLogits, writeCachedLogits, type CachedLogits } from '../storage/logits-cache';
import type { Dropped, FromWorker, OnnxQuestion, TeacherResult } from './protocol';
import { requireData, session, setTeacher, type SessionTeacher } from './session';

type Post = (msg: FromWorker) => void;

/** A loaded ONNX teacher (it replaced the previous one), or the question to ask before it can load (nothing changed). */
export type OnnxOutcome = { teacher: TeacherResult; dropped: Dropped } | { question: OnnxQuestion; fileName: string };

/** An ONNX file: by its name, or (a file named otherwise) by starting as an ONNX ModelProto does (field 1, ir_version). */
export function onnxFileOf(files: ModelFile[]): ModelFile | null {
  const named = files.find((f) => /\.onnx$/i.test(f.name));
  if (named) return named;
  if (files.length !== 1) return null;
  const [file] = files;
  return !/\.(json|zip|bin)$/i.test(file.name) && file.bytes[0] === 0x08 ? file : null;
}

/** At most this many progress messages a second: enough for a smooth bar, few enough not to flood the page. */
const PROGRESS_INTERVAL_MS = 100;

/** The progress callback for loadOnnxTeacher: throttled teacherProgress messages with an ETA from the rate so far. */
export function logitsProgress(
  requestId: number,
  post: Post,
  now: () => number = () => performance.now(),
): (done: number, total: number) => void {
  const start = now();
  let last = -Infinity;
  return (done, total) => {
    const t = now();
    if (done < total && t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    const elapsed = (t - start) / 1000;
    const etaSeconds = done > 0 && elapsed > 0 ? (elapsed * (total - done)) / done : null;
    post({ type: 'teacherProgress', requestId, stage: 'logits', done, total, etaSeconds });
  };
}

// One hash per data set: hashing MNIST's inputs takes a moment, and a session reloads teachers on the same data.
const dataHashes = new WeakMap<Dataset, Promise<string>>();
function dataHash(dataset: Dataset): Promise<string> {
  let hash = dataHashes.get(dataset);
  if (!hash) {
    hash = Promise.all([sha256Hex(dataset.train.x), sha256Hex(dataset.test.x)]).then(
      ([train, test]) => `${dataset.numFeatures}:${train}:${test}`,
    );
    dataHashes.set(dataset, hash);
  }
  return hash;
}

/** The cache key of these logits, or null where hashing is not possible (no crypto.subtle): then there is no cache. */
async function cacheKey(modelHash: string | null, dataset: Dataset, choice: OnnxChoice): Promise<string | null> {
  if (modelHash === null) return null;
  try {
    return logitsCacheKey({ model: modelHash, data: await dataHash(dataset), choice });
  } catch {
    return null;
  }
}

function description(fileName: string, teacher: OnnxTeacher, input: { name: string; dims: (number | string | null)[] }): string {
  const dims = input.dims.map((d) => (typeof d === 'number' ? String(d) : (d ?? '?'))).join(', ');
  const layout = teacher.layout === 'flat' ? 'flat rows' : teacher.layout.toUpperCase();
  const probabilities = teacher.outputsProbabilities ? ', outputs probabilities: distilling from their logs' : '';
  return `Uploaded ${fileName} (ONNX, input "${input.name}" [${dims}] as ${layout}${probabilities})`;
}

/**
 * An ONNX model as the teacher: read and checked against the data set (a question when its input,
 * output or layout is ambiguous), its logits computed with progress (or taken from the cache),
 * measured on the test split, and only then put in place of the previous teacher.
 */
export async function loadOnnxUpload(requestId: number, file: ModelFile, choice: OnnxChoice, post: Post): Promise<OnnxOutcome> {
  const { dataset, data } = requireData();
  const info = readOnnxInfo(file.bytes, file.name);
  const shape = { numFeatures: dataset.numFeatures, imageShape: dataset.imageShape };
  const question = onnxQuestion(info, shape, choice);
  if (question) return { question, fileName: file.name };
  const fit = resolveOnnxFit(info, shape, choice);
  const modelHash = await sha256Hex(file.bytes).catch(() => null);
  const key = await cacheKey(modelHash, dataset, choice);
  const cached = key ? await readCachedLogits(key) : null;
  const provider = session.backend?.name === 'webgpu' ? 'webgpu' : 'wasm';
  const tensors = { xTrain: data.xTrain, xTest: data.xTest, numClasses: dataset.numClasses, imageShape: dataset.imageShape };
  const teacher = await loadOnnxTeacher(file.bytes, tensors, {
    fileName: file.name,
    choice,
    onProgress: logitsProgress(requestId, post),
    executionProvider: provider,
    cached: cached ?? undefined,
  });
  try {
    const logits: CachedLogits = { train: teacher.trainLogits, test: teacher.testLogits };
    if (key && cached?.train !== teacher.trainLogits) await writeCachedLogits(key, logits);
    const measured = await evaluateTeacher(teacher, { params: info.params, bytes: info.weightBytes }, data.xTest, data.yTest);
    const result: TeacherResult = {
      ...measured,
      description: description(file.name, teacher, fit.input),
      source: 'uploaded',
      kind: 'onnx',
      exportable: false,
      hintLayers: null,
      ...(modelHash && {
        descriptor: {
          kind: 'onnx',
          fileName: file.name,
          sha256: modelHash,
          input: fit.input.name,
          output: fit.output.name,
          layout: teacher.layout,
        },
      }),
    };
    const dropped = setTeacher(sessionTeacher(teacher, result, () => reloadOnnx(file, choice, logits, provider, result)));
    return { teacher: result, dropped };
  } catch (e) {
    await teacher.dispose().catch(() => undefined);
    throw e;
  }
}

function sessionTeacher(teacher: OnnxTeacher, result: TeacherResult, recreate: () => Promise<SessionTeacher>): SessionTeacher {
  return {
    model: teacher,
    layers: null,
    result,
    dispose: () => {
      teacher.dispose().catch((e) => console.warn('Could not release the ONNX Runtime session:', e));
    },
    recreate,
  };
}

/**
 * After a backend switch the data tensors are new ones: the same model opened again over them, its
 * logits taken from those already computed (ONNX Runtime itself does not depend on the tfjs backend).
 */
async function reloadOnnx(
  file: ModelFile,
  choice: OnnxChoice,
  logits: CachedLogits,
  provider: 'wasm' | 'webgpu',
  result: TeacherResult,
): Promise<SessionTeacher> {
  const { dataset, data } = requireData();
  const tensors = { xTrain: data.xTrain, xTest: data.xTest, numClasses: dataset.numClasses, imageShape: dataset.imageShape };
  const teacher = await loadOnnxTeacher(file.bytes, tensors, { fileName: file.name, choice, executionProvider: provider, cached: logits });
  return sessionTeacher(teacher, result, () => reloadOnnx(file, choice, logits, provider, result));
}
