import type * as tf from '@tensorflow/tfjs';
import { bornAgainRefusal, bornAgainStudent, generationSeed, type GenerationResult } from '../core/born-again';
import { disposeQuietly } from '../core/checkpoint';
import type { Dataset } from '../core/data/types';
import { METHOD_LABELS, methodConflict } from '../core/method-rules';
import { buildModel } from '../core/models';
import { mutual, mutualRefusal, peerSeed } from '../core/mutual';
import { studentPreset } from '../core/presets';
import type { SweepCell, SweepSpec } from '../core/sweep';
import { distill, type DistillConfig, type DistillEpoch, type DistillLossPoint, type TrainerEvent } from '../core/trainer';
import { generationsOf, tellingGenerations } from './method-runs';
import type { DistillRunConfig } from './protocol';
import type { SessionTeacher } from './session';
import type { DataTensors } from '../core/tensors';

/**
 * What one cell of a sweep trains, by the base settings' method: Hinton KD and DKD one student of
 * the cell's preset; born-again the generations of the teacher's architecture (the cell's value is
 * the last generation's); mutual learning two students of the preset (the value is student 1's).
 * The scratch control, when the cell trains it, is the one the method's single run trains.
 */
export interface CellTraining {
  events: AsyncGenerator<TrainerEvent<DistillLossPoint, DistillEpoch>>;
  /** The cell's distilled test accuracy, once `events` are spent; `last` is the last epoch's summary. */
  distilledAccuracy: (last: DistillEpoch) => number;
  /** Mutual learning's student 2, once `events` are spent. */
  peerAccuracy?: (last: DistillEpoch) => number | undefined;
  /** Frees every model of the cell, whether or not the run finished. */
  dispose: () => void;
}

/** Students trained per run of a sweep with this method, the control aside: the run's share of the work. */
export function studentsPerRun(base: DistillRunConfig): number {
  const method = base.loss.method;
  if (method?.method === 'born-again') return method.generations;
  return method?.method === 'mutual' ? 2 : 1;
}

export interface CellArgs {
  base: DistillRunConfig;
  cell: SweepCell;
  seed: number;
  config: DistillConfig;
  withScratch: boolean;
  teacher: SessionTeacher;
  dataset: Dataset;
  data: DataTensors;
}

export async function cellTraining(a: CellArgs): Promise<CellTraining> {
  const { teacher, data, config } = a;
  const method = a.base.loss.method;
  if (method?.method === 'born-again') {
    if (!teacher.layers) throw new Error('Method "Born-again" needs a TensorFlow.js layers teacher.');
    const scratch = a.withScratch ? await bornAgainStudent(teacher.layers, generationSeed(a.seed, 1)) : null;
    let last: tf.LayersModel | null = null;
    const done: GenerationResult[] = [];
    const generations = generationsOf(teacher.model, teacher.layers, scratch, config, method.generations, (m) => {
      last = m;
    });
    return {
      // Generation by generation stays inside the sweep: the page's Generations table is a single run's.
      events: tellingGenerations(generations, 0, method.generations, () => {}, done),
      distilledAccuracy: () => {
        const final = done.at(-1);
        if (!final) throw new Error('The born-again run ended without a generation.');
        return final.testAccuracy;
      },
      dispose: () => disposeQuietly(scratch, last as tf.LayersModel | null),
    };
  }
  const architecture = studentPreset(a.cell.studentPreset).spec;
  // Built from the same seed as the control, so every distilled student of this seed starts where it did.
  const distilled = buildModel(architecture, a.dataset, a.seed);
  const scratch = a.withScratch ? buildModel(architecture, a.dataset, a.seed) : null;
  if (method?.method === 'mutual') {
    const peer = buildModel(architecture, a.dataset, peerSeed(a.seed));
    return {
      // The teacher only measures (accuracy, agreement, KL): it teaches neither student.
      events: mutual({ first: distilled, second: peer, scratch, reference: teacher.model, data, config }),
      distilledAccuracy: (last) => last.distilledAccuracy,
      peerAccuracy: (last) => last.peerAccuracy,
      dispose: () => disposeQuietly(distilled, peer, scratch),
    };
  }
  const events = distill({
    teacher: teacher.model,
    teacherLayers: teacher.layers,
    distilled,
    scratch,
    data,
    config,
    imageShape: a.dataset.imageShape,
  });
  return {
    events,
    distilledAccuracy: (last) => last.distilledAccuracy,
    dispose: () => disposeQuietly(distilled, scratch),
  };
}

/**
 * The refusals of a sweep with the base settings' method, before any run: the method's own (as a
 * single run would meet them), a soft-target cell the method refuses, and for born-again a sweep
 * over student presets, which has no meaning when every student takes the teacher's architecture.
 */
export function refuseMethods(base: DistillRunConfig, spec: SweepSpec, teacher: SessionTeacher): void {
  const method = base.loss.method?.method;
  // A sweep's students come from presets, one seed a run: the run's student source and repeats are not the sweep's.
  const run = { loss: base.loss, transfer: base.transfer, studentSource: 'preset' as const };
  if (method === 'born-again') {
    const refusal = bornAgainRefusal(run, teacher.result.kind, teacher.layers !== null);
    if (refusal) throw new Error(refusal);
    if (spec.studentPresets.length > 1)
      throw new Error(
        `Method "${METHOD_LABELS['born-again']}" trains students of the teacher's architecture, so a sweep over student presets has nothing to compare: pick one student preset (it is not used).`,
      );
  }
  if (method === 'mutual') {
    const refusal = mutualRefusal(run);
    if (refusal) throw new Error(refusal);
  }
  for (const softTargets of spec.softTargets ?? [base.loss.softTargets]) {
    const conflict = methodConflict(method, softTargets, base.transfer);
    if (conflict) throw new Error(conflict);
  }
}
