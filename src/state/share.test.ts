import { describe, expect, it } from 'vitest';
import { DEFAULT_LOSS, DEFAULT_TRANSFER, type ExperimentConfig } from '../core/experiment';
import { DEFAULT_CONFIG } from './config';
import { readSharedExperiment, settingsFromExperiment, shareHash } from './share';

const experiment: ExperimentConfig = {
  version: 1,
  data: { kind: 'toy', toy: 'moons', size: 400, noise: 0.2, seed: 3 },
  teacher: { kind: 'shipped', id: 'moons-mlp' },
  student: { kind: 'preset', preset: 'mlp-16' },
  loss: {
    ...DEFAULT_LOSS,
    temperature: 8,
    alpha: 0.5,
    scaleByT2: false,
    logitMse: 0.25,
    hint: { weight: 2, teacherLayer: 1, studentLayer: 0 },
  },
  transfer: { ...DEFAULT_TRANSFER, labelledFraction: 0.1, omitClass: 1 },
  optimiser: { name: 'adam', learningRate: 0.01, batchSize: 32, epochs: 7 },
  seed: 42,
};

describe('shared links', () => {
  it('round-trips an experiment through the hash, URL-safe', () => {
    const hash = shareHash(experiment);
    expect(hash).toMatch(/^#experiment=[A-Za-z0-9_-]+$/);
    expect(readSharedExperiment(hash)).toEqual({ experiment });
  });

  it('keeps non-ASCII file names', () => {
    const withFile: ExperimentConfig = {
      ...experiment,
      data: { kind: 'csv', fileName: 'données été 😀.csv', labelColumn: 0, normalisation: 'none', testFraction: 0.2, seed: 1 },
      teacher: { kind: 'uploaded', fileName: 'model.json' },
    };
    expect(readSharedExperiment(shareHash(withFile))).toEqual({ experiment: withFile });
  });

  it('ignores other hashes and explains damaged or invalid ones', () => {
    expect(readSharedExperiment('')).toBeNull();
    expect(readSharedExperiment('#results')).toBeNull();
    expect(readSharedExperiment(shareHash(experiment).slice(0, 40))).toEqual({ error: expect.stringMatching(/damaged/) });
    const bad = shareHash({ ...experiment, loss: { ...experiment.loss, temperature: -1 } });
    expect(readSharedExperiment(bad)).toEqual({ error: expect.stringMatching(/^The link's experiment is not valid: loss\.temperature/) });
  });

  it('turns an experiment into the studio settings', () => {
    const { config, todo } = settingsFromExperiment(experiment, DEFAULT_CONFIG);
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      studentPreset: 'mlp-16',
      studentEpochs: 7,
      batchSize: 32,
      learningRate: 0.01,
      seed: 42,
      temperature: 8,
      alpha: 0.5,
      scaleByT2: false,
      logitMse: 0.25,
      hintTeacherLayer: 1,
      hintStudentLayer: 0,
      hintWeight: 2,
      labelledFraction: 0.1,
      omitClass: 1,
      jitter: 0,
    });
    expect(todo).toEqual([]);
  });

  it('says which files must be supplied again and what to train', () => {
    const { todo } = settingsFromExperiment(
      {
        ...experiment,
        data: { kind: 'images', fileName: 'cats.zip', width: 28, height: 28, channels: 1, testFraction: 0.2, seed: 1 },
        teacher: { kind: 'preset', preset: 'mlp-256', epochs: 3, batchSize: 64, learningRate: 0.001, seed: 9 },
        student: { kind: 'uploaded', fileName: 'student.zip' },
      },
      DEFAULT_CONFIG,
    );
    expect(todo).toEqual([
      'Upload "cats.zip" again in the Data panel: files are never part of a link.',
      "Train the teacher (Train teacher): it was trained with batch 64, learning rate 0.001, seed 9; set those first, then the student's.",
      'Upload the student "student.zip" again in the Student panel.',
    ]);
  });

  it('says how to rebuild a shared ensemble: one Train ensemble when it can, else member by member', () => {
    const preset = { kind: 'preset' as const, preset: 'mlp-256' as const, epochs: 4, batchSize: 32, learningRate: 0.01 };
    const trained = settingsFromExperiment(
      {
        ...experiment,
        teacher: { kind: 'ensemble', combine: 'mean-prob', members: [1, 2, 3, 4].map((seed) => ({ ...preset, seed })) },
      },
      DEFAULT_CONFIG,
    );
    expect(trained.config).toMatchObject({ ensembleSize: 4, ensembleCombine: 'mean-prob', teacherPreset: 'mlp-256', teacherEpochs: 4 });
    expect(trained.todo).toEqual(['Train the ensemble (Train ensemble, in the Ensemble panel) to reproduce it: 4 teachers, seeds 1 to 4.']);
    const mixed = settingsFromExperiment(
      {
        ...experiment,
        teacher: {
          kind: 'ensemble',
          combine: 'mean-log-prob',
          members: [
            { kind: 'onnx', fileName: 'resnet.onnx', sha256: 'ab' },
            { kind: 'shipped', id: 'moons-mlp' },
          ],
        },
      },
      DEFAULT_CONFIG,
    );
    expect(mixed.config.ensembleSize).toBe(DEFAULT_CONFIG.ensembleSize);
    expect(mixed.todo).toEqual([
      'Build the ensemble again in the Ensemble panel (add each teacher, then Use ensemble as teacher): 1. "resnet.onnx"; 2. the shipped teacher moons-mlp.',
    ]);
    const onnx = settingsFromExperiment({ ...experiment, teacher: { kind: 'onnx', fileName: 'net.onnx', sha256: 'ab' } }, DEFAULT_CONFIG);
    expect(onnx.todo).toEqual(['Upload the teacher "net.onnx" again: files are never part of a link.']);
  });
});
