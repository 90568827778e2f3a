import { DEFAULT_METHOD, type ExperimentConfig, type TeacherDescriptor } from '../core/experiment';
import { parseExperiment } from '../core/experiment-validate';
import { LABELLED_FRACTIONS, type StudioConfig } from './config';
import { errorText } from '../core/error-text';

/**
 * An experiment in a link: `#experiment=<base64url of its JSON>`. The hash never reaches a server,
 * so sharing a link shares settings without sending them anywhere.
 */
const PREFIX = '#experiment=';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export function shareHash(experiment: ExperimentConfig): string {
  return PREFIX + toBase64Url(JSON.stringify(experiment));
}

export type SharedExperiment = { experiment: ExperimentConfig } | { error: string };

/** Null when the hash holds no experiment; else the experiment or why it could not be read. */
export function readSharedExperiment(hash: string): SharedExperiment | null {
  if (!hash.startsWith(PREFIX)) return null;
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(hash.slice(PREFIX.length)));
  } catch {
    return { error: 'The link is damaged (its experiment is not readable JSON): it may have been cut short when copied.' };
  }
  try {
    return { experiment: parseExperiment(json) };
  } catch (e) {
    return { error: `The link's experiment is not valid: ${errorText(e)}.` };
  }
}

/**
 * The studio's settings for a shared experiment, and what the person must still do by hand:
 * files are never in a link, and a teacher trained here shares the students' batch size, learning
 * rate and seed in this studio.
 */
export function settingsFromExperiment(e: ExperimentConfig, base: StudioConfig): { config: StudioConfig; todo: string[] } {
  const todo: string[] = [];
  const fraction = LABELLED_FRACTIONS.find((f) => f.value === e.transfer.labelledFraction)?.value;
  if (fraction === undefined)
    todo.push(`The labelled fraction ${e.transfer.labelledFraction} is not one the studio offers; using all rows.`);
  const config: StudioConfig = {
    ...base,
    studentPreset: e.student.kind === 'preset' ? e.student.preset : base.studentPreset,
    studentEpochs: e.optimiser.epochs,
    batchSize: e.optimiser.batchSize,
    learningRate: e.optimiser.learningRate,
    seed: e.seed,
    temperature: e.loss.temperature,
    alpha: e.loss.alpha,
    scaleByT2: e.loss.scaleByT2,
    logitMse: e.loss.logitMse,
    hintTeacherLayer: e.loss.hint ? e.loss.hint.teacherLayer : null,
    hintStudentLayer: e.loss.hint ? e.loss.hint.studentLayer : base.hintStudentLayer,
    hintWeight: e.loss.hint ? e.loss.hint.weight : base.hintWeight,
    // Absent in the experiment: the defaults (Hinton KD, the teacher's targets), not whatever the page had.
    method: e.loss.method?.method ?? DEFAULT_METHOD.method,
    dkdAlpha: e.loss.method?.dkdAlpha ?? DEFAULT_METHOD.dkdAlpha,
    dkdBeta: e.loss.method?.dkdBeta ?? DEFAULT_METHOD.dkdBeta,
    generations: e.loss.method?.generations ?? DEFAULT_METHOD.generations,
    softTargets: e.loss.softTargets ?? 'teacher',
    labelledFraction: fraction ?? 1,
    omitClass: e.transfer.omitClass,
    jitter: e.transfer.jitter,
    // Absent: the training set. The other option's fields keep the page's values.
    transferData: e.transfer.data?.kind ?? 'training',
    mixupAlpha: e.transfer.data?.kind === 'mixup' ? e.transfer.data.alpha : base.mixupAlpha,
    synthPerClass: e.transfer.data?.kind === 'synthesised' ? e.transfer.data.perClass : base.synthPerClass,
    synthSteps: e.transfer.data?.kind === 'synthesised' ? e.transfer.data.steps : base.synthSteps,
    // Absent: trained in float32 over one seed. The quantisation fields keep the page's values when it is off.
    trainForUint8: e.quantAware !== undefined,
    quantLastEpochs: e.quantAware?.lastEpochs ?? base.quantLastEpochs,
    quantScheme: e.quantAware ? (e.quantAware.perChannel ? 'per-channel' : 'per-tensor') : base.quantScheme,
    quantActivations: e.quantAware ? e.quantAware.activations : base.quantActivations,
    repeats: e.repeats ?? 1,
  };
  if (e.data.kind === 'csv' || e.data.kind === 'images')
    todo.push(`Upload "${e.data.fileName}" again in the Data panel: files are never part of a link.`);
  if (e.teacher.kind === 'uploaded' || e.teacher.kind === 'onnx' || e.teacher.kind === 'teachable-machine')
    todo.push(`Upload the teacher "${e.teacher.fileName}" again: files are never part of a link.`);
  if (e.teacher.kind === 'ensemble') todo.push(ensembleTodo(e.teacher, config));
  if (e.teacher.kind === 'preset') {
    config.teacherPreset = e.teacher.preset;
    config.teacherEpochs = e.teacher.epochs;
    const differs =
      e.teacher.batchSize !== e.optimiser.batchSize || e.teacher.learningRate !== e.optimiser.learningRate || e.teacher.seed !== e.seed;
    todo.push(
      differs
        ? `Train the teacher (Train teacher): it was trained with batch ${e.teacher.batchSize}, learning rate ${e.teacher.learningRate}, seed ${e.teacher.seed}; set those first, then the student's.`
        : 'Train the teacher (Train teacher) to reproduce it: teachers trained here are not part of a link.',
    );
  }
  if (e.student.kind === 'uploaded') todo.push(`Upload the student "${e.student.fileName}" again in the Student panel.`);
  return { config, todo };
}

type EnsembleDescriptor = Extract<TeacherDescriptor, { kind: 'ensemble' }>;

/** A member as a person would look for it again. */
function memberName(d: TeacherDescriptor): string {
  switch (d.kind) {
    case 'shipped':
      return `the shipped teacher ${d.id}`;
    case 'preset':
      return `${d.preset} (${d.epochs} epochs, seed ${d.seed})`;
    case 'ensemble':
      return `an ensemble of ${d.members.length}`;
    default:
      return `"${d.fileName}"`;
  }
}

/**
 * What rebuilding a shared ensemble takes. One Train ensemble reproduces N members of one preset with seeds 1..N, so
 * the settings are set for it (`config` is changed); any other ensemble is listed member by member.
 */
function ensembleTodo(teacher: EnsembleDescriptor, config: StudioConfig): string {
  config.ensembleCombine = teacher.combine;
  const first = teacher.members[0];
  const trainable =
    first?.kind === 'preset' &&
    teacher.members.every(
      (m, i) =>
        m.kind === 'preset' &&
        m.preset === first.preset &&
        m.epochs === first.epochs &&
        m.batchSize === config.batchSize &&
        m.learningRate === config.learningRate &&
        m.seed === i + 1,
    );
  if (trainable) {
    config.teacherPreset = first.preset;
    config.teacherEpochs = first.epochs;
    config.ensembleSize = teacher.members.length;
    return `Train the ensemble (Train ensemble, in the Ensemble panel) to reproduce it: ${teacher.members.length} teachers, seeds 1 to ${teacher.members.length}.`;
  }
  const members = teacher.members.map((m, i) => `${i + 1}. ${memberName(m)}`).join('; ');
  return `Build the ensemble again in the Ensemble panel (add each teacher, then Use ensemble as teacher): ${members}.`;
}
