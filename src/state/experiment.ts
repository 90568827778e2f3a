import type { DataDescriptor, ExperimentConfig, TeacherDescriptor } from '../core/experiment';
import type { DataSource } from '../worker/protocol';
import type { DatasetSummary } from '../core/data/types';
import { distillRunConfig, fitToData, type StudioConfig } from './config';

/** A data source as an experiment names it: files by name (they are the user's, and stay here). */
export function describeSource(source: DataSource): DataDescriptor {
  switch (source.kind) {
    case 'mnist':
    case 'iris':
    case 'toy':
      return source;
    case 'csv': {
      const { file, testFile, ...rest } = source;
      return { ...rest, fileName: file.name, ...(testFile ? { testFileName: testFile.name } : {}) };
    }
    case 'images': {
      const { file, ...rest } = source;
      return { ...rest, fileName: file.name };
    }
  }
}

/** Built-in data as the worker loads it; null for files, which cannot be remembered or shared (they are the user's). */
export function builtInSource(d: DataDescriptor): DataSource | null {
  return d.kind === 'mnist' || d.kind === 'iris' || d.kind === 'toy' ? d : null;
}

/** The whole experiment the Distill button would run now, or null while there is no teacher. */
export function currentExperiment(
  config: StudioConfig,
  data: { descriptor: DataDescriptor; summary: DatasetSummary | null },
  teacher: { descriptor: TeacherDescriptor | null; canHint: boolean },
  student: { source: 'preset' | 'uploaded'; fileName?: string },
): ExperimentConfig | null {
  if (!teacher.descriptor) return null;
  const asked = distillRunConfig(config, student.source);
  const run = data.summary ? fitToData(asked, data.summary, teacher.canHint) : asked;
  return {
    version: 1,
    data: data.descriptor,
    teacher: teacher.descriptor,
    student:
      student.source === 'uploaded'
        ? { kind: 'uploaded', fileName: student.fileName ?? 'student model' }
        : { kind: 'preset', preset: run.studentPreset },
    loss: run.loss,
    transfer: run.transfer,
    optimiser: { name: 'adam', learningRate: run.learningRate, batchSize: run.batchSize, epochs: run.epochs },
    seed: run.seed,
    // Only when on: an experiment without them reads exactly as it did before these options.
    ...(run.quantAware && { quantAware: { ...run.quantAware } }),
    ...(run.repeats !== undefined && run.repeats > 1 && { repeats: run.repeats }),
  };
}
