import { loadTeachableMachine } from '../core/model-io/teachable-machine';
import type { ModelFile } from '../core/model-io';
import { evaluateTeacher } from '../core/results';
import { withKnownRows } from '../core/teacher-model';
import { logitsProgress } from './onnx-teachers';
import type { Dropped, FromWorker, TeacherResult } from './protocol';
import { requireData, setTeacher, type SessionTeacher } from './session';

/**
 * A Teachable Machine image export as the teacher: its classes matched to the data set's by name,
 * its logits on the data set computed once with progress (each image is resized first, too slow to
 * repeat for every distillation), measured, and only then put in place of the previous teacher.
 */
export async function loadTeachableUpload(
  files: ModelFile[],
  fileName: string,
  requestId: number,
  post: (msg: FromWorker) => void,
): Promise<{ teacher: TeacherResult; dropped: Dropped }> {
  const made = await build(files, fileName, requestId, post);
  const dropped = setTeacher(made);
  return { teacher: made.result, dropped };
}

async function build(
  files: ModelFile[],
  fileName: string,
  requestId: number,
  post: (msg: FromWorker) => void,
  known?: TeacherResult,
): Promise<SessionTeacher> {
  const { dataset, data } = requireData();
  const tm = await loadTeachableMachine(files, { classNames: dataset.classNames, imageShape: dataset.imageShape });
  try {
    const model = await withKnownRows(tm.model, [data.xTrain, data.xTest], logitsProgress(requestId, post));
    try {
      const result: TeacherResult = known ?? {
        ...(await evaluateTeacher(model, { params: tm.params, bytes: tm.bytes }, data.xTest, data.yTest)),
        description: `Uploaded ${fileName} (${tm.description})`,
        source: 'uploaded',
        kind: 'teachable-machine',
        exportable: false,
        hintLayers: null,
        descriptor: { kind: 'teachable-machine', fileName },
      };
      return {
        model,
        layers: null,
        result,
        dispose: () => {
          model.dispose();
          tm.model.dispose();
        },
        // After a backend switch: made again from its files (kept in memory), already measured.
        recreate: () => build(files, fileName, requestId, () => {}, result),
      };
    } catch (e) {
      model.dispose();
      throw e;
    }
  } catch (e) {
    tm.model.dispose();
    throw e;
  }
}
