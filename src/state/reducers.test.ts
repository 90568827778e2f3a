import { describe, expect, it } from 'vitest';
import type { CsvPreview } from '../core/data/csv';
import type { DatasetSummary } from '../core/data/types';
import type { DistillEpoch } from '../core/trainer';
import type { DistillResults, Dropped, FromWorker, TeacherResult } from '../worker/protocol';
import { DEFAULT_CONFIG, distillRunConfig } from './config';
import { clearDropped, isCurrentAnswer, reduceStudio } from './reducers';
import { INITIAL_STUDIO, NO_EPOCHS, type StudioState } from './store';

const model = { testAccuracy: 0.9, agreement: 0.9, params: 10, bytes: 40, latencyMsPerSample: null };
const teacher = (description: string): TeacherResult => ({ ...model, description, source: 'shipped', exportable: true, hintLayers: null });
const results: DistillResults = {
  teacher: teacher('T'),
  distilled: { ...model, description: 'S' },
  scratch: { ...model, description: 'S' },
  config: distillRunConfig(DEFAULT_CONFIG),
};
const iris: DatasetSummary = {
  name: 'Iris',
  family: 'iris',
  numFeatures: 4,
  numClasses: 3,
  classNames: ['a', 'b', 'c'],
  trainCount: 120,
  testCount: 30,
};
const epoch: DistillEpoch = {
  epoch: 1,
  teacherAccuracy: 1,
  distilledAccuracy: 0.9,
  scratchAccuracy: 0.8,
  distilledAgreement: 0.9,
  scratchAgreement: 0.8,
  distilledKL: 0.1,
  scratchKL: 0.2,
};
const NOTHING: Dropped = { teacher: false, students: false, uploadedStudent: false };
const ALL: Dropped = { teacher: true, students: true, uploadedStudent: true };

/** A studio with a teacher, a distilled run, an uploaded student and a download behind it. */
function studio(over: Partial<StudioState> = {}): StudioState {
  return {
    ...INITIAL_STUDIO,
    config: DEFAULT_CONFIG,
    dataset: { ...iris, name: 'MNIST', family: 'mnist' },
    teacher: teacher('CNN'),
    teacherDescriptor: { kind: 'shipped', id: 'mnist-cnn' },
    results,
    distillEpochs: [epoch],
    teacherEpochs: [],
    uploadedStudent: { description: 'mlp', params: 5, fileName: 'model.json' },
    studentSource: 'uploaded',
    lastExport: { target: 'distilled', quantization: 'none', bytes: 40, testAccuracy: 0.9, fileNames: ['model.json'] },
    ...over,
  };
}

describe('isCurrentAnswer: the request-id check, once for every answer', () => {
  const answers: [FromWorker, keyof StudioState][] = [
    [{ type: 'dataLoaded', requestId: 7, dataset: iris, dropped: NOTHING }, 'dataRequest'],
    [{ type: 'dataFailed', requestId: 7, message: 'x' }, 'dataRequest'],
    [{ type: 'dataProgress', requestId: 7, done: 1, total: 2 }, 'dataRequest'],
    [{ type: 'csvPreviewFailed', requestId: 7, message: 'x' }, 'dataRequest'],
    [{ type: 'teacherLoaded', requestId: 7, teacher: teacher('T'), dropped: NOTHING }, 'teacherRequest'],
    [{ type: 'teacherFailed', requestId: 7, message: 'x' }, 'teacherRequest'],
    [{ type: 'teacherQuestion', requestId: 7, fileName: 'm.onnx', question: { layouts: ['nhwc', 'nchw'] } }, 'teacherRequest'],
    [{ type: 'teacherProgress', requestId: 7, stage: 'logits', done: 1, total: 2, etaSeconds: null }, 'teacherRequest'],
    [{ type: 'studentLoaded', requestId: 7, description: 'd', params: 1 }, 'studentRequest'],
    [{ type: 'studentFailed', requestId: 7, message: 'x' }, 'studentRequest'],
    [{ type: 'exportFailed', requestId: 7, message: 'x' }, 'exportRequest'],
  ];
  const pending = {
    dataRequest: { id: 7, label: '', done: 0, total: 0 },
    teacherRequest: { id: 7, label: '', descriptor: { kind: 'shipped' as const, id: 'x' } },
    studentRequest: { id: 7, label: '', fileName: 'f' },
    exportRequest: { id: 7, label: '', purpose: 'download' as const },
  };

  it.each(answers)('%o answers %s only while that request is the one waited for', (msg, field) => {
    expect(isCurrentAnswer(studio({ ...pending }), msg)).toBe(true);
    expect(isCurrentAnswer(studio({ ...pending, [field]: null }), msg)).toBe(false);
    expect(isCurrentAnswer(studio({ ...pending, [field]: { ...pending[field as keyof typeof pending], id: 8 } }), msg)).toBe(false);
  });

  it('lets everything that is not an answer through', () => {
    expect(isCurrentAnswer(studio(), { type: 'stopped', runId: 1 })).toBe(true);
    // The explorer checks its own requests.
    expect(isCurrentAnswer(studio(), { type: 'exampleFailed', requestId: 99, index: 0, message: 'x' })).toBe(true);
  });
});

describe('reduceStudio', () => {
  it('dataLoaded clears exactly what the worker dropped, and the curves of the previous data set', () => {
    const before = studio({ dataRequest: { id: 3, label: 'Loading', done: 1, total: 2, descriptor: { kind: 'iris', seed: 1 } } });
    const kept = reduceStudio(before, { type: 'dataLoaded', requestId: 3, dataset: iris, dropped: NOTHING });
    expect(kept).toMatchObject({
      dataset: iris,
      dataDescriptor: { kind: 'iris', seed: 1 },
      dataRequest: null,
      distillEpochs: NO_EPOCHS,
      teacherEpochs: [],
      notice: 'Loaded Iris.',
    });
    for (const field of ['teacher', 'teacherDescriptor', 'results', 'lastExport', 'uploadedStudent', 'studentSource'] as const)
      expect(kept).not.toHaveProperty(field);
    const all = reduceStudio(before, { type: 'dataLoaded', requestId: 3, dataset: iris, dropped: ALL });
    expect(all).toMatchObject({
      teacher: null,
      teacherDescriptor: null,
      results: null,
      lastExport: null,
      uploadedStudent: null,
      studentSource: 'preset',
    });
  });

  it('clearDropped: the teacher, the students with their results, the uploaded student, each on its own', () => {
    expect(clearDropped(NOTHING)).toEqual({});
    expect(clearDropped({ ...NOTHING, teacher: true })).toEqual({ teacher: null, teacherDescriptor: null });
    expect(clearDropped({ ...NOTHING, students: true })).toEqual({ results: null, distillEpochs: NO_EPOCHS, lastExport: null });
    expect(clearDropped({ ...NOTHING, uploadedStudent: true })).toEqual({ uploadedStudent: null, studentSource: 'preset' });
  });

  it('teacherLoaded takes the teacher and its descriptor from the request; the students go only when dropped', () => {
    const before = studio({ teacherRequest: { id: 4, label: 'Loading', descriptor: { kind: 'uploaded', fileName: 't.zip' } } });
    const patch = reduceStudio(before, {
      type: 'teacherLoaded',
      requestId: 4,
      teacher: teacher('MLP'),
      dropped: { teacher: true, students: true, uploadedStudent: false },
    });
    expect(patch).toMatchObject({
      teacher: teacher('MLP'),
      teacherDescriptor: { kind: 'uploaded', fileName: 't.zip' },
      teacherRequest: null,
      results: null,
      lastExport: null,
    });
    expect(patch?.notice).toBe('Teacher ready: MLP, 90.00% on the test set.');
    expect(patch).not.toHaveProperty('uploadedStudent');
    expect(reduceStudio(before, { type: 'teacherLoaded', requestId: 4, teacher: teacher('MLP'), dropped: NOTHING })).not.toHaveProperty(
      'results',
    );
  });

  it('teacherDone names the trained teacher as the run described it, and ends the run', () => {
    const before = studio({
      run: {
        id: 2,
        kind: 'teacher',
        status: 'running',
        teacher: { kind: 'preset', preset: 'cnn-32-64', epochs: 1, batchSize: 64, learningRate: 0.001, seed: 1 },
      },
    });
    const patch = reduceStudio(before, {
      type: 'teacherDone',
      runId: 2,
      teacher: teacher('CNN'),
      dropped: { teacher: true, students: true, uploadedStudent: false },
    });
    expect(patch).toMatchObject({
      run: null,
      progress: null,
      teacher: teacher('CNN'),
      teacherDescriptor: { kind: 'preset', preset: 'cnn-32-64' },
      results: null,
    });
  });

  it('backendChanged drops the teacher and uploaded student it lost, but keeps the last results on the page', () => {
    const patch = reduceStudio(studio(), {
      type: 'backendChanged',
      backend: { name: 'cpu', reason: 'r', detail: '', attempts: [] },
      message: 'moved',
      dropped: ALL,
    });
    expect(patch).toMatchObject({ incident: 'moved', teacher: null, uploadedStudent: null });
    expect(patch).not.toHaveProperty('results');
  });

  it('a failed data load says that nothing changed, naming what is still loaded', () => {
    const before = studio({ dataRequest: { id: 5, label: '', done: 0, total: 0 } });
    expect(reduceStudio(before, { type: 'dataFailed', requestId: 5, message: 'Bad CSV.' })).toEqual({
      dataRequest: null,
      dataError: 'Bad CSV. Nothing was changed: MNIST is still loaded.',
    });
  });

  it('a CSV preview keeps the file its request holds; without one it changes nothing', () => {
    const file = new File(['a,b'], 'x.csv');
    const preview: CsvPreview = { columns: ['a', 'b'], rows: [], delimiter: ',', hasHeader: false, labelColumn: 1 };
    const withFile = studio({ dataRequest: { id: 6, label: '', done: 0, total: 0, file } });
    expect(reduceStudio(withFile, { type: 'csvPreview', requestId: 6, fileName: 'x.csv', preview })).toMatchObject({
      dataRequest: null,
      csvPreview: { requestId: 6, file, fileName: 'x.csv' },
    });
    expect(
      reduceStudio(studio({ dataRequest: { id: 6, label: '', done: 0, total: 0 } }), {
        type: 'csvPreview',
        requestId: 6,
        fileName: 'x.csv',
        preview,
      }),
    ).toBeNull();
  });

  it('pause and resume change the run only while there is one; epochs append', () => {
    const running = studio({ run: { id: 1, kind: 'distill', status: 'running' } });
    expect(reduceStudio(running, { type: 'paused', runId: 1 })).toEqual({ run: { id: 1, kind: 'distill', status: 'paused' } });
    expect(reduceStudio(studio(), { type: 'paused', runId: 1 })).toBeNull();
    expect(reduceStudio(running, { type: 'distillEpoch', runId: 1, summary: epoch })).toEqual({ distillEpochs: [epoch, epoch] });
  });

  it('an export for download records what it weighed; one for the library does not', () => {
    const exported = {
      target: 'distilled' as const,
      quantization: 'uint8' as const,
      files: [{ name: 'model.json', bytes: new ArrayBuffer(1) }],
      bytes: 10,
      testAccuracy: 0.8,
    };
    const download = studio({ exportRequest: { id: 9, label: '', purpose: 'download' } });
    expect(reduceStudio(download, { type: 'exported', requestId: 9, exported })).toEqual({
      exportRequest: null,
      exportError: null,
      lastExport: { target: 'distilled', quantization: 'uint8', bytes: 10, testAccuracy: 0.8, fileNames: ['model.json'] },
    });
    const library = studio({ exportRequest: { id: 9, label: '', purpose: { libraryName: 'mine' } } });
    expect(reduceStudio(library, { type: 'exported', requestId: 9, exported })).toEqual({ exportRequest: null, exportError: null });
  });

  it('other stores’ messages leave the studio alone', () => {
    expect(
      reduceStudio(studio(), {
        type: 'sweepProgress',
        runId: 1,
        progress: { runsDone: 1, runsTotal: 2, elapsedSeconds: 1, etaSeconds: null, samplesPerSec: 5 },
      }),
    ).toBeNull();
    expect(reduceStudio(studio(), { type: 'pong', id: 1 })).toBeNull();
  });
});

describe('reduceStudio: ONNX questions and progress (issue 13)', () => {
  const onnx = new File([new Uint8Array([8, 1])], 'net.onnx');
  const asking = studio({
    teacherRequest: { id: 4, label: 'Loading net.onnx', descriptor: { kind: 'uploaded', fileName: 'net.onnx' }, files: [onnx] },
  });
  const question = {
    inputs: [
      { name: 'a', elemType: 'float32', dims: ['batch', 4] },
      { name: 'b', elemType: 'float32', dims: [1, 4] },
    ],
  };

  it('a question keeps the files for the answer, ends the request and changes nothing else', () => {
    const patch = reduceStudio(asking, { type: 'teacherQuestion', requestId: 4, fileName: 'net.onnx', question });
    expect(patch).toEqual({
      teacherRequest: null,
      teacherError: null,
      teacherQuestion: { files: [onnx], fileName: 'net.onnx', question },
    });
    expect(patch?.teacherQuestion?.files[0]).toBe(onnx); // the very File, not a copy: the worker reads it again
  });

  it('progress goes on the request it belongs to, with the time left', () => {
    const msg = { type: 'teacherProgress', requestId: 4, stage: 'logits', done: 500, total: 2000, etaSeconds: 12 } as const;
    expect(reduceStudio(asking, msg)?.teacherRequest).toMatchObject({
      id: 4,
      files: [onnx],
      progress: { done: 500, total: 2000, etaSeconds: 12 },
    });
    expect(reduceStudio(studio(), msg)).toBeNull();
  });

  it('a failed ONNX model keeps the teacher in use and says so; the question, if any, goes', () => {
    const before = { ...asking, teacherQuestion: { files: [onnx], fileName: 'net.onnx', question } };
    const patch = reduceStudio(before, { type: 'teacherFailed', requestId: 4, message: 'net.onnx: the op Foo is not supported.' });
    expect(patch).toEqual({
      teacherRequest: null,
      teacherQuestion: null,
      teacherError: 'net.onnx: the op Foo is not supported. The previous teacher is still in use.',
    });
    expect(patch).not.toHaveProperty('teacher');
  });

  it('the worker names an ONNX teacher (its hash, the choice) in the experiment, over the page’s guess', () => {
    const descriptor = { kind: 'onnx' as const, fileName: 'net.onnx', sha256: 'ab12', input: 'a', layout: 'flat' as const };
    const patch = reduceStudio(asking, {
      type: 'teacherLoaded',
      requestId: 4,
      teacher: { ...teacher('ONNX MLP'), kind: 'onnx', descriptor },
      dropped: NOTHING,
    });
    expect(patch).toMatchObject({ teacherDescriptor: descriptor, teacherRequest: null, teacherQuestion: null });
  });
});

describe('reduceStudio: ensembles (issue 13)', () => {
  const member = (n: number): TeacherResult => ({
    ...teacher(`MLP seed ${n}`),
    testAccuracy: 0.9 + n / 100,
    descriptor: { kind: 'preset', preset: 'mlp-1200', epochs: 1, batchSize: 128, learningRate: 0.003, seed: n },
  });
  const ensemble: TeacherResult = {
    ...teacher('Ensemble of 3'),
    source: 'ensemble',
    kind: 'ensemble',
    combine: 'mean-log-prob',
    members: [member(1), member(2), member(3)],
    descriptor: {
      kind: 'ensemble',
      combine: 'mean-log-prob',
      members: [1, 2, 3].map((n) => member(n).descriptor ?? { kind: 'uploaded', fileName: '' }),
    },
  };

  it('a new data set ends the members: the worker let them go with the data they were fitted to', () => {
    const before = studio({ ensembleMembers: [member(1), member(2)], dataRequest: { id: 3, label: '', done: 0, total: 0 } });
    expect(reduceStudio(before, { type: 'dataLoaded', requestId: 3, dataset: iris, dropped: ALL })).toMatchObject({ ensembleMembers: [] });
  });

  it('ensembleMembers is the worker’s list; it ends the request it answers and says why one was refused', () => {
    const waiting = studio({ ensembleRequest: { id: 8, label: 'Adding the teacher' } });
    expect(reduceStudio(waiting, { type: 'ensembleMembers', requestId: 8, members: [member(1)] })).toEqual({
      ensembleMembers: [member(1)],
      ensembleRequest: null,
      ensembleMessage: null,
    });
    const full = 'An ensemble has at most 8 members.';
    expect(reduceStudio(waiting, { type: 'ensembleMembers', requestId: 8, members: [member(1)], message: full })).toMatchObject({
      ensembleRequest: null,
      ensembleMessage: full,
    });
    // An older answer updates the list but leaves the request waited for alone.
    expect(reduceStudio(waiting, { type: 'ensembleMembers', requestId: 7, members: [] })).toEqual({ ensembleMembers: [] });
  });

  it('members removed: the list shrinks to what the worker kept', () => {
    const three = studio({ ensembleMembers: [member(1), member(2), member(3)], ensembleRequest: { id: 2, label: '' } });
    expect(reduceStudio(three, { type: 'ensembleMembers', requestId: 2, members: [member(1), member(3)] })?.ensembleMembers).toEqual([
      member(1),
      member(3),
    ]);
  });

  it('Train ensemble: each finished member is shown as it finishes; the members change only when the run ends well', () => {
    let state = studio({
      ensembleMembers: [member(7)],
      run: { id: 3, kind: 'teacher', status: 'running', ensemble: { size: 3, trained: [] } },
    });
    for (const index of [0, 1, 2]) {
      const patch = reduceStudio(state, { type: 'ensembleMemberDone', runId: 3, index, size: 3, member: member(index + 1) });
      expect(patch?.run?.ensemble?.trained).toHaveLength(index + 1);
      expect(patch).not.toHaveProperty('ensembleMembers');
      state = { ...state, ...patch };
    }
    expect(state.run?.ensemble?.trained).toEqual([member(1), member(2), member(3)]);
    // Stopped part-way, the worker frees what it trained: the run goes, and the members are still the old ones.
    const stopped = reduceStudio(state, { type: 'stopped', runId: 3 });
    expect({ ...state, ...stopped }).toMatchObject({ run: null, ensembleMembers: [member(7)] });
    expect(reduceStudio(studio(), { type: 'ensembleMemberDone', runId: 3, index: 0, size: 3, member: member(1) })).toBeNull();
  });

  it('teacherDone with an ensemble: the teacher, its members and the worker’s descriptor naming each member', () => {
    const before = studio({ run: { id: 3, kind: 'teacher', status: 'running', ensemble: { size: 3, trained: ensemble.members ?? [] } } });
    const patch = reduceStudio(before, { type: 'teacherDone', runId: 3, teacher: ensemble, dropped: ALL });
    expect(patch).toMatchObject({
      run: null,
      teacher: ensemble,
      teacherDescriptor: ensemble.descriptor,
      ensembleMembers: ensemble.members,
    });
    expect(patch?.notice).toBe('Teacher ready: ensemble of 3, 90.00% on the test set.');
  });

  it('Use ensemble as teacher: loaded like any teacher; a refusal is said in the panel too, and the old teacher stays', () => {
    const combining = studio({
      ensembleMembers: [member(1), member(2)],
      teacherRequest: { id: 5, label: 'Combining 2 teachers', descriptor: { kind: 'ensemble', combine: 'mean-prob', members: [] } },
    });
    expect(reduceStudio(combining, { type: 'teacherLoaded', requestId: 5, teacher: ensemble, dropped: NOTHING })).toMatchObject({
      teacher: ensemble,
      teacherDescriptor: ensemble.descriptor,
      ensembleMembers: ensemble.members,
    });
    const failed = reduceStudio(combining, { type: 'teacherFailed', requestId: 5, message: 'The members disagree on the classes.' });
    expect(failed).toMatchObject({ ensembleMessage: 'The members disagree on the classes. The previous teacher is still in use.' });
    expect(failed).not.toHaveProperty('teacher');
    expect(failed).not.toHaveProperty('ensembleMembers');
  });
});
