import type { TeacherDescriptor } from '../core/experiment';
import { hintableLayers } from '../core/hint';
import { evaluateTeacher } from '../core/results';
import { SHIPPED_TEACHERS } from '../core/shipped';
import { predictorTeacher, type TeacherModel } from '../core/teacher-model';
import { checkModelFits, importModel, toStudentModel, type ImportedModel, type ModelFile } from '../core/model-io';
import { isTeachableMachine } from '../core/model-io/teachable-machine';
import { loadOnnxUpload, onnxFileOf } from './onnx-teachers';
import type { Dropped, FromWorker, OnnxChoice, OnnxQuestion, TeacherResult } from './protocol';
import { requireData, session, setTeacher, type SessionTeacher } from './session';
import { loadTeachableUpload } from './teachable-teachers';

async function filesOf(files: File[]): Promise<ModelFile[]> {
  return Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** An imported model as a teacher: its logits (the logs of its probabilities when it outputs those), in batches. */
function importedTeacher(model: ImportedModel): TeacherModel {
  return predictorTeacher({ predict: (x) => model.predictLogits(x) });
}

/** A teacher that replaced the previous one, and what went with that one. */
export interface AdoptedTeacher {
  teacher: TeacherResult;
  dropped: Dropped;
}

/** A teacher from model files: checked against the data set and measured on its test split before it replaces anything. */
async function adopt(
  model: ImportedModel,
  files: ModelFile[],
  source: TeacherResult['source'],
  label: string,
  descriptor: TeacherDescriptor,
): Promise<AdoptedTeacher> {
  try {
    const { dataset, data } = requireData();
    checkModelFits(model, dataset);
    const teacher = importedTeacher(model);
    const weightBytes = files.filter((f) => !/\.json$/i.test(f.name)).reduce((sum, f) => sum + f.bytes.byteLength, 0);
    const params = model.layersModel ? model.layersModel.countParams() : null;
    const measured = await evaluateTeacher(teacher, { params, bytes: params !== null ? params * 4 : weightBytes }, data.xTest, data.yTest);
    const kind = model.kind === 'layers' ? 'layers model' : 'graph model';
    const result: TeacherResult = {
      ...measured,
      description: `${label} (${kind}${model.outputsProbabilities ? ', outputs probabilities: distilling from their logs' : ''})`,
      source,
      kind: model.kind,
      descriptor,
      exportable: model.layersModel !== undefined,
      hintLayers: model.layersModel ? hintableLayers(model.layersModel) : null,
    };
    const dropped = setTeacher({
      model: teacher,
      layers: model.layersModel ?? null,
      result,
      dispose: () => model.dispose(),
      recreate: reimportTeacher(files, result),
    });
    return { teacher: result, dropped };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** After a backend switch: the same teacher imported again from its files (kept in memory), already measured. */
function reimportTeacher(files: ModelFile[], result: TeacherResult): () => Promise<SessionTeacher> {
  const recreate = async (): Promise<SessionTeacher> => {
    const model = await importModel(files);
    return {
      model: importedTeacher(model),
      layers: model.layersModel ?? null,
      result,
      dispose: () => model.dispose(),
      recreate,
    };
  };
  return recreate;
}

/**
 * A teacher from uploaded files: an ONNX model, or a TensorFlow.js model (files or a .zip). An ONNX
 * model whose input, output or layout is ambiguous comes back as a question, having changed nothing.
 */
export async function loadUploadedTeacher(
  files: File[],
  request: { requestId: number; onnx?: OnnxChoice; post: (msg: FromWorker) => void } = { requestId: 0, post: () => {} },
): Promise<AdoptedTeacher | { question: OnnxQuestion; fileName: string }> {
  const modelFiles = await filesOf(files);
  const onnxFile = onnxFileOf(modelFiles);
  if (onnxFile) return loadOnnxUpload(request.requestId, onnxFile, request.onnx ?? {}, request.post);
  const main = files.find((f) => /\.(json|zip)$/i.test(f.name) && !/^metadata\.json$/i.test(f.name))?.name ?? files[0]?.name ?? 'model';
  if (isTeachableMachine(modelFiles)) return loadTeachableUpload(modelFiles, main, request.requestId, request.post);
  const model = await importModel(modelFiles);
  return adopt(model, modelFiles, 'uploaded', `Uploaded ${main}`, { kind: 'uploaded', fileName: main });
}

/** A teacher shipped with the app: model.json and its weights, fetched from the app's own origin. */
export async function loadShippedTeacher(url: string, label: string): Promise<AdoptedTeacher> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load the shipped teacher (${url}): HTTP ${response.status}.`);
  const json = await response.text();
  const manifest: { weightsManifest?: { paths: string[] }[] } = JSON.parse(json);
  const paths = (manifest.weightsManifest ?? []).flatMap((g) => g.paths);
  const base = url.slice(0, url.lastIndexOf('/') + 1);
  const shards = await Promise.all(
    paths.map(async (p) => {
      const r = await fetch(base + p);
      if (!r.ok) throw new Error(`Could not load the shipped teacher's weights (${base + p}): HTTP ${r.status}.`);
      return { name: p, bytes: new Uint8Array(await r.arrayBuffer()) };
    }),
  );
  const files: ModelFile[] = [{ name: 'model.json', bytes: new TextEncoder().encode(json) }, ...shards];
  // Named by its catalogue id, so that an ensemble with this member can say which teacher it was.
  const shipped = SHIPPED_TEACHERS.find((t) => url.endsWith(t.path));
  const descriptor: TeacherDescriptor = shipped ? { kind: 'shipped', id: shipped.id } : { kind: 'uploaded', fileName: url };
  return adopt(await importModel(files), files, 'shipped', label, descriptor);
}

/** A student from a layers-model file: validated against the data set, then kept as the starting point of both students. */
export async function loadUploadedStudent(files: File[]): Promise<{ description: string; params: number }> {
  const modelFiles = await filesOf(files);
  const model = await importModel(modelFiles);
  try {
    const { dataset } = requireData();
    checkModelFits(model, dataset);
    if (model.inputShape.length !== 1) {
      throw new Error(
        `An uploaded student must take flat rows of ${dataset.numFeatures} features; this one expects [${model.inputShape.join(',')}]. Add a Reshape layer at its input.`,
      );
    }
    const probe = await toStudentModel(model); // refuses graph models and softmax outputs it cannot make linear
    const params = probe.countParams();
    probe.dispose();
    const name = files.find((f) => /\.(json|zip)$/i.test(f.name))?.name ?? 'model';
    session.studentInit?.model.dispose();
    session.studentInit = { model, description: `Uploaded ${name}`, reimport: () => importModel(modelFiles) };
    return { description: `Uploaded ${name}`, params };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
