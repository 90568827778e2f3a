import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnsembleCombine, OnnxChoice, TeacherResult, TeacherRunConfig } from '../worker/protocol';
import { DEFAULT_CONFIG } from './config';
import { addRefusal, addTeacherToEnsemble, combineEnsemble, combineRefusal, removeEnsembleMember, trainEnsemble } from './ensemble-actions';
import { answerTeacherQuestion, cancelTeacherQuestion, uploadTeacher } from './load-actions';
import { enterNumber } from './settings-actions';
import { INITIAL_STUDIO, useStudio } from './store';
import { fakeWorkerClient } from './test-worker-client';
import { useWorkerSession } from './worker-session';

/** What the page sent the worker, in order. */
let sent: unknown[][] = [];
let nextId = 0;
const record =
  (name: string) =>
  (...args: unknown[]) => {
    sent.push([name, ...args]);
    return ++nextId;
  };

const model = { agreement: 1, params: 10, bytes: 40, latencyMsPerSample: null };
const member = (n: number): TeacherResult => ({
  ...model,
  testAccuracy: 0.9,
  description: `MLP ${n}`,
  source: 'trained',
  exportable: true,
  hintLayers: null,
  descriptor: { kind: 'preset', preset: 'mlp-1200', epochs: 1, batchSize: 128, learningRate: 0.003, seed: n },
});
const current = member(9);
const backend = { name: 'cpu' as const, reason: '', detail: '', attempts: [] };

beforeEach(() => {
  sent = [];
  nextId = 0;
  useStudio.setState({ ...INITIAL_STUDIO, config: DEFAULT_CONFIG, backend, teacher: current });
  useWorkerSession.setState({
    client: fakeWorkerClient({
      loadTeacher: (files: File[], onnx?: OnnxChoice) => record('loadTeacher')(files, onnx),
      addToEnsemble: record('addToEnsemble'),
      removeFromEnsemble: (index: number) => record('removeFromEnsemble')(index),
      combineMembers: (combine: EnsembleCombine) => record('combineMembers')(combine),
      trainEnsemble: (config: TeacherRunConfig, size: number, combine: EnsembleCombine) => record('trainEnsemble')(config, size, combine),
    }),
  });
});
afterEach(() => useWorkerSession.setState({ client: null }));

describe('answering an ONNX model’s question', () => {
  const onnx = new File([new Uint8Array([1])], 'net.onnx');

  it('Use these sends the same files again with the choice; Cancel drops them and the teacher stays', () => {
    uploadTeacher([onnx]);
    expect(sent).toEqual([['loadTeacher', [onnx], undefined]]);
    expect(useStudio.getState().teacherRequest).toMatchObject({ files: [onnx], descriptor: { kind: 'uploaded', fileName: 'net.onnx' } });
    const question = { layouts: ['nhwc' as const, 'nchw' as const] };
    useStudio.setState({ teacherRequest: null, teacherQuestion: { files: [onnx], fileName: 'net.onnx', question } });

    answerTeacherQuestion({ layout: 'nchw' });
    expect(sent[1]).toEqual(['loadTeacher', [onnx], { layout: 'nchw' }]);
    expect((sent[1] as [string, File[]])[1][0]).toBe(onnx); // the very File the person chose: the worker reads it again
    expect(useStudio.getState()).toMatchObject({ teacherQuestion: null, teacherRequest: { id: 2 } });

    useStudio.setState({ teacherRequest: null, teacherQuestion: { files: [onnx], fileName: 'net.onnx', question } });
    cancelTeacherQuestion();
    expect(useStudio.getState()).toMatchObject({ teacherQuestion: null, teacherRequest: null, teacher: current });
    expect(sent).toHaveLength(2);
  });

  it('names a Teachable Machine upload by its model.json, not its metadata.json', () => {
    const files = ['metadata.json', 'model.json', 'weights.bin'].map((n) => new File(['{}'], n));
    uploadTeacher(files);
    expect(useStudio.getState().teacherRequest?.descriptor).toEqual({ kind: 'uploaded', fileName: 'model.json' });
  });
});

describe('ensemble actions', () => {
  it('Add teacher needs a teacher and room; it waits for the worker’s answer before the next request', () => {
    expect(addRefusal({ teacher: null, ensembleMembers: [] })).toMatch(/first/);
    expect(addRefusal({ teacher: current, ensembleMembers: Array.from({ length: 8 }, (_, i) => member(i)) })).toBe(
      'An ensemble has at most 8 members.',
    );
    expect(addRefusal({ teacher: current, ensembleMembers: [member(1)] })).toBeNull();
    addTeacherToEnsemble();
    addTeacherToEnsemble(); // still waiting: not sent twice
    expect(sent).toEqual([['addToEnsemble']]);
    expect(useStudio.getState().ensembleRequest).toEqual({ id: 1, label: 'Adding the teacher' });
  });

  it('Remove member N asks the worker for index N − 1', () => {
    useStudio.setState({ ensembleMembers: [member(1), member(2)] });
    removeEnsembleMember(1);
    expect(sent).toEqual([['removeFromEnsemble', 1]]);
    expect(useStudio.getState().ensembleRequest?.label).toBe('Removing member 2');
  });

  it('Use ensemble as teacher needs 2 to 8 members, and is waited for as a teacher load, with the combine chosen', () => {
    useStudio.setState({ ensembleMembers: [member(1)] });
    expect(combineRefusal(useStudio.getState())).toBe('An ensemble needs at least 2 members (it has 1).');
    combineEnsemble();
    expect(sent).toEqual([]);
    useStudio.setState((s) => ({ ensembleMembers: [member(1), member(2)], config: { ...s.config, ensembleCombine: 'mean-prob' } }));
    combineEnsemble();
    expect(sent).toEqual([['combineMembers', 'mean-prob']]);
    expect(useStudio.getState().teacherRequest).toMatchObject({
      id: 1,
      descriptor: { kind: 'ensemble', combine: 'mean-prob', members: [member(1).descriptor, member(2).descriptor] },
    });
  });

  it('Train ensemble trains N teachers of the chosen preset and epochs, seeds 1..N, as a teacher run', () => {
    enterNumber('ensembleSize', 4);
    enterNumber('teacherEpochs', 2);
    trainEnsemble();
    const config = { preset: 'mlp-1200', epochs: 2, batchSize: 128, learningRate: 0.003, seed: 1 };
    expect(sent).toEqual([['trainEnsemble', config, 4, 'mean-log-prob']]);
    const run = useStudio.getState().run;
    expect(run).toMatchObject({ id: 1, kind: 'teacher', status: 'running', ensemble: { size: 4, trained: [] } });
    expect(run?.teacher).toEqual({
      kind: 'ensemble',
      combine: 'mean-log-prob',
      members: [1, 2, 3, 4].map((seed) => ({ kind: 'preset', ...config, seed })),
    });
  });

  it('a bad ensemble size is explained and blocks Train ensemble', () => {
    enterNumber('ensembleSize', 9);
    expect(useStudio.getState().invalid.ensembleSize).toBe('Ensemble size must be from 2 to 8.');
    expect(useStudio.getState().config.ensembleSize).toBe(3);
    trainEnsemble();
    expect(sent).toEqual([]);
  });
});
