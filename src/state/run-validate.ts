import { parseSizeSweepResult } from '../core/size-sweep';
import { isStudentArchId } from '../core/student-archs';
import type { DistillEpoch, DistillLossPoint } from '../core/trainer';
import type { RepeatResult } from '../worker/protocol';
import type { RunModel, RunRecord, SizeSweepRecord, StoredRun, StudentRef } from './run-record';

/** Any record of the history: a distillation (records without a kind are), or a size sweep. */
export function parseStoredRun(raw: unknown): StoredRun {
  const o = object(raw, 'the record');
  if (o.kind === 'size-sweep') return parseSizeSweepRecord(o);
  if (o.kind !== undefined && o.kind !== 'distill')
    throw new Error(`it is of kind ${JSON.stringify(o.kind)}, which this build does not know`);
  return parseRunRecord(o);
}

export function parseSizeSweepRecord(raw: unknown): SizeSweepRecord {
  const o = object(raw, 'the record');
  if (o.version !== 1) throw new Error(`it has version ${JSON.stringify(o.version)}, this build reads version 1`);
  const spec = object(o.spec, 'spec');
  const students = array(spec.students, 'spec.students').map((id, i) => {
    if (!isStudentArchId(id)) throw new Error(`spec.students[${i}] is not a student this build knows`);
    return id;
  });
  const seeds = array(spec.seeds, 'spec.seeds').map((s, i) => num(s, `spec.seeds[${i}]`));
  const results = array(o.results, 'results').map((r, i) => {
    const parsed = parseSizeSweepResult(r);
    if (!parsed) throw new Error(`results[${i}] is damaged`);
    return parsed;
  });
  if (o.status !== 'finished' && o.status !== 'cancelled' && o.status !== 'failed') throw new Error('status is missing');
  return {
    version: 1,
    kind: 'size-sweep',
    id: num(o.id, 'id'),
    name: str(o.name, 'name'),
    createdAt: num(o.createdAt, 'createdAt'),
    dataset: str(o.dataset, 'dataset'),
    context: str(o.context, 'context'),
    spec: { students, seeds },
    results,
    status: o.status,
  };
}

/**
 * Reads a record back from IndexedDB. Storage outlives code: a record written by an older or newer
 * build, or damaged, must be refused here with a reason, not crash the Runs view later.
 */
export function parseRunRecord(raw: unknown): RunRecord {
  const o = object(raw, 'the record');
  if (o.version === undefined) throw new Error('its version is missing');
  if (o.version !== 1) throw new Error(`it has version ${JSON.stringify(o.version)}, this build reads version 1`);
  const config = object(o.config, 'config');
  const loss = object(config.loss, 'config.loss');
  for (const key of ['epochs', 'batchSize', 'learningRate', 'seed'] as const) num(config[key], `config.${key}`);
  num(loss.temperature, 'config.loss.temperature');
  num(loss.alpha, 'config.loss.alpha');
  str(config.studentPreset, 'config.studentPreset');
  if (config.studentSource !== 'preset' && config.studentSource !== 'uploaded') throw new Error('config.studentSource is missing');
  if (o.experiment !== null) object(o.experiment, 'experiment');
  const results = object(o.results, 'results');
  return {
    version: 1,
    kind: 'distill',
    id: num(o.id, 'id'),
    name: str(o.name, 'name'),
    createdAt: num(o.createdAt, 'createdAt'),
    dataset: str(o.dataset, 'dataset'),
    studentLabel: str(o.studentLabel, 'studentLabel'),
    experiment: o.experiment as RunRecord['experiment'],
    config: o.config as RunRecord['config'],
    epochs: array(o.epochs, 'epochs').map((e, i) => epoch(e, `epochs[${i}]`)),
    loss: array(o.loss, 'loss').map((p, i) => lossPoint(p, `loss[${i}]`)),
    results: {
      teacher: runModel(results.teacher, 'results.teacher'),
      distilled: runModel(results.distilled, 'results.distilled'),
      scratch: runModel(results.scratch, 'results.scratch'),
    },
    // Records saved before Repeats have none.
    ...(o.repeats !== undefined && { repeats: array(o.repeats, 'repeats').map((r, i) => repeat(r, `repeats[${i}]`)) }),
    student: student(o.student),
  };
}

const EPOCH_KEYS = [
  'epoch',
  'teacherAccuracy',
  'distilledAccuracy',
  'scratchAccuracy',
  'distilledAgreement',
  'scratchAgreement',
  'distilledKL',
  'scratchKL',
] as const;

function epoch(raw: unknown, path: string): DistillEpoch {
  const o = object(raw, path);
  for (const key of EPOCH_KEYS) num(o[key], `${path}.${key}`);
  return o as unknown as DistillEpoch;
}

function lossPoint(raw: unknown, path: string): DistillLossPoint {
  const o = object(raw, path);
  for (const key of ['step', 'total', 'soft', 'hard', 'scratch'] as const) num(o[key], `${path}.${key}`);
  return o as unknown as DistillLossPoint;
}

function repeat(raw: unknown, path: string): RepeatResult {
  const o = object(raw, path);
  return {
    seed: num(o.seed, `${path}.seed`),
    teacher: num(o.teacher, `${path}.teacher`),
    distilled: num(o.distilled, `${path}.distilled`),
    scratch: num(o.scratch, `${path}.scratch`),
  };
}

function runModel(raw: unknown, path: string): RunModel {
  const o = object(raw, path);
  const orNull = (v: unknown, key: string) => (v === null ? null : num(v, `${path}.${key}`));
  return {
    description: str(o.description, `${path}.description`),
    testAccuracy: num(o.testAccuracy, `${path}.testAccuracy`),
    agreement: num(o.agreement, `${path}.agreement`),
    params: orNull(o.params, 'params'),
    bytes: orNull(o.bytes, 'bytes'),
    latencyMsPerSample: orNull(o.latencyMsPerSample, 'latencyMsPerSample'),
    ...(o.latencySpread != null && {
      latencySpread: {
        q1: num(object(o.latencySpread, `${path}.latencySpread`).q1, `${path}.latencySpread.q1`),
        q3: num(object(o.latencySpread, `${path}.latencySpread`).q3, `${path}.latencySpread.q3`),
      },
    }),
  };
}

function student(raw: unknown): StudentRef {
  const o = object(raw, 'student');
  if (o.status === 'saved') return { status: 'saved', libraryId: num(o.libraryId, 'student.libraryId') };
  if (o.status === 'failed') return { status: 'failed', reason: str(o.reason, 'student.reason') };
  // Still "saving" when read back: the page closed before the student was stored.
  if (o.status === 'saving') return { status: 'failed', reason: 'The page closed before the student was saved.' };
  throw new Error('student is missing');
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${path} is missing`);
  return v as Record<string, unknown>;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${path} is missing`);
  return v;
}

/** NaN is a number here: a metric that could not be computed (no control student) is stored as NaN. */
function num(v: unknown, path: string): number {
  if (typeof v !== 'number') throw new Error(`${path} is not a number`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new Error(`${path} is not text`);
  return v;
}
