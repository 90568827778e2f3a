import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeToyDataset } from '../core/data/toy';
import { useCpuBackend } from '../core/test-setup';
import { DEFAULT_LOSS, DEFAULT_TRANSFER } from '../core/experiment';
import type { DistillRunConfig, EnsembleCombine, FromWorker, TeacherResult, TeacherRunConfig, ToWorker } from './protocol';
import { createRouter } from './router';
import { adoptDataset, session } from './session';

/** The worker's own routing, as the page drives it, on a platform without other backends. */
const route = createRouter({
  backends: { probe: async () => ({ available: false, software: false, detail: 'no backends in this test' }), activate: async () => false },
  planWasmThreads: () => {},
});

const moons = () => makeToyDataset({ kind: 'moons', size: 240, noise: 0.1, seed: 1 });
const config: TeacherRunConfig = { preset: 'mlp-256', epochs: 12, batchSize: 32, learningRate: 0.01, seed: 99 };

const distillConfig: DistillRunConfig = {
  studentPreset: 'mlp-16',
  studentSource: 'preset',
  epochs: 1,
  batchSize: 32,
  learningRate: 0.01,
  seed: 1,
  loss: DEFAULT_LOSS,
  transfer: DEFAULT_TRANSFER,
};

let id = 0;
async function send(msg: ToWorker | ((id: number) => ToWorker), onMessage?: (m: FromWorker) => void): Promise<FromWorker[]> {
  const out: FromWorker[] = [];
  await route(typeof msg === 'function' ? msg(++id) : msg, (m) => {
    out.push(m);
    onMessage?.(m);
  });
  return out;
}
const of = <T extends FromWorker['type']>(msgs: FromWorker[], type: T) =>
  msgs.filter((m): m is Extract<FromWorker, { type: T }> => m.type === type);
const one = <T extends FromWorker['type']>(msgs: FromWorker[], type: T) => {
  const found = of(msgs, type);
  expect(found, `one '${type}' in ${msgs.map((m) => m.type).join(', ')}`).toHaveLength(1);
  return found[0];
};

const trainEnsemble = (size: number, combine: EnsembleCombine = 'mean-log-prob', epochs = config.epochs) =>
  send((runId) => ({ type: 'trainEnsemble', runId, config: { ...config, epochs }, size, combine }));
const trainTeacher = (seed: number, epochs = 2) => send((runId) => ({ type: 'trainTeacher', runId, config: { ...config, seed, epochs } }));
const add = () => send((requestId) => ({ type: 'addToEnsemble', requestId }));
const remove = (index: number) => send((requestId) => ({ type: 'removeFromEnsemble', requestId, index }));
const use = (combine: EnsembleCombine) => send((requestId) => ({ type: 'useEnsemble', requestId, combine }));

/** Test accuracy of `combine` over the members' logits, computed in plain JS from each member's own logits. */
async function handAccuracy(combine: EnsembleCombine): Promise<number> {
  const members = session.teacher?.members ?? [];
  const data = session.data as NonNullable<typeof session.data>;
  const perMember = await Promise.all(
    members.map(async (m) => {
      const t = await m.logits(data.xTest);
      const rows = (await t.array()) as number[][];
      t.dispose();
      return rows.map((z) => {
        const max = Math.max(...z);
        const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
        return z.map((v) => v - lse);
      });
    }),
  );
  const labels = (await data.yTest.array()) as number[];
  let right = 0;
  labels.forEach((label, r) => {
    const classes = perMember[0][r].length;
    const scores = Array.from({ length: classes }, (_, k) => {
      const values = perMember.map((lp) => lp[r][k]);
      return combine === 'mean-log-prob' ? values.reduce((s, v) => s + v, 0) : values.reduce((s, v) => s + Math.exp(v), 0);
    });
    if (scores.indexOf(Math.max(...scores)) === label) right++;
  });
  return right / labels.length;
}

let baseline = 0;

beforeAll(async () => {
  await useCpuBackend();
  adoptDataset(moons());
  baseline = tf.memory().numTensors;
});

afterAll(() => {
  adoptDataset(makeToyDataset({ kind: 'moons', size: 10, noise: 0.1, seed: 1 })); // frees the teacher, the members and the data
});

/** A two-class layers model for Two moons, as model.json and its weights file. */
async function savedModelFiles(): Promise<Record<string, ArrayBuffer>> {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
  const files: Record<string, ArrayBuffer> = {};
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsManifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }];
      const json = { modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest };
      files['model.json'] = new TextEncoder().encode(JSON.stringify(json)).buffer as ArrayBuffer;
      files['weights.bin'] = artifacts.weightData as ArrayBuffer;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files;
}

describe('ensembles in the worker', () => {
  let trained: TeacherResult;

  it('trains 2 teachers with seeds 1 and 2, with progress through both, and makes their ensemble the teacher', async () => {
    const msgs = await trainEnsemble(2);
    const done = of(msgs, 'ensembleMemberDone');
    expect(done.map((d) => [d.index, d.size])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(done.map((d) => d.member.descriptor)).toEqual([
      { kind: 'preset', preset: 'mlp-256', epochs: 12, batchSize: 32, learningRate: 0.01, seed: 1 },
      { kind: 'preset', preset: 'mlp-256', epochs: 12, batchSize: 32, learningRate: 0.01, seed: 2 },
    ]);
    expect(done[0].member.description).toMatch(/seed 1$/);
    // The seeds make different teachers: they disagree on some of the test rows' logits.
    expect(done[0].member.testAccuracy).toBeGreaterThan(0.8);
    expect(done[1].member.testAccuracy).toBeGreaterThan(0.8);

    // Progress runs over the whole ensemble: samples and epochs only go up, to the end of the second member.
    const progress = of(msgs, 'metrics').map((m) => m.progress);
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i].samplesDone).toBeGreaterThanOrEqual(progress[i - 1].samplesDone);
    const last = progress.at(-1);
    expect(last?.samplesDone).toBe(last?.samplesTotal);
    expect(last?.epochs).toBe(24);
    expect(progress.some((p) => p.epoch > 12)).toBe(true);
    expect(of(msgs, 'metrics').every((m) => m.losses === null)).toBe(true);
    expect(of(msgs, 'teacherEpoch')).toHaveLength(0);

    const teacher = one(msgs, 'teacherDone').teacher;
    trained = teacher;
    expect(teacher).toMatchObject({ kind: 'ensemble', source: 'ensemble', combine: 'mean-log-prob', exportable: false, hintLayers: null });
    expect(teacher.members?.map((m) => m.testAccuracy)).toEqual(done.map((d) => d.member.testAccuracy));
    expect(teacher.descriptor).toEqual({ kind: 'ensemble', combine: 'mean-log-prob', members: done.map((d) => d.member.descriptor) });
    expect(teacher.params).toBe((done[0].member.params ?? 0) * 2);
    expect(teacher.testAccuracy).toBeGreaterThan(0.8);
    expect(teacher.testAccuracy).toBeCloseTo(await handAccuracy('mean-log-prob'), 6);
    expect(one(msgs, 'ensembleMembers').members.map((m) => m.description)).toEqual(done.map((d) => d.member.description));
    expect(msgs.at(-1)?.type).toBe('teacherDone');
  });

  it('distils from the ensemble, whose test outputs carry each member’s logits', async () => {
    const msgs = await send((runId) => ({
      type: 'distill',
      runId,
      config: { ...distillConfig },
      keep: { name: 'student', dataset: 'Two moons' },
    }));
    const results = one(msgs, 'distillDone').results;
    expect(results.teacher.kind).toBe('ensemble');
    const outputs = results.testOutputs;
    const members = session.teacher?.members ?? [];
    expect(outputs?.members).toHaveLength(2);
    const x = session.data?.xTest as tf.Tensor2D;
    for (const [i, member] of members.entries()) {
      const logits = await member.logits(x);
      expect(outputs?.members?.[i]).toEqual(await logits.data());
      logits.dispose();
    }
    // The teacher's soft targets are the members' mean log-probabilities.
    const k = outputs?.numClasses ?? 0;
    const logSoftmax = (row: Float32Array) => {
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((acc, v) => acc + Math.exp(v - max), 0));
      return Array.from(row, (v) => v - lse);
    };
    const [a, b] = (outputs?.members ?? []).map((m) => logSoftmax(m.subarray(0, k)));
    for (let c = 0; c < k; c++) expect(outputs?.teacher[c]).toBeCloseTo((a[c] + b[c]) / 2, 5);
  });

  it('keeps the members when another teacher replaces the ensemble, and makes them the teacher again', async () => {
    const single = await trainTeacher(5);
    expect(one(single, 'teacherDone').teacher.kind).not.toBe('ensemble');
    expect(session.ensembleMembers).toHaveLength(2);
    const msgs = await use('mean-prob');
    const loaded = one(msgs, 'teacherLoaded');
    expect(loaded.dropped.teacher).toBe(true);
    expect(loaded.teacher.combine).toBe('mean-prob');
    expect(loaded.teacher.members?.map((m) => m.testAccuracy)).toEqual(trained.members?.map((m) => m.testAccuracy));
    expect(loaded.teacher.testAccuracy).toBeCloseTo(await handAccuracy('mean-prob'), 6);
    expect(one(msgs, 'ensembleMembers').members).toHaveLength(2);
  });

  it('adds the current teacher, which outlives being replaced, refuses it twice, and removes members', async () => {
    await trainTeacher(7);
    const added = one(await add(), 'ensembleMembers');
    expect(added.message).toBeUndefined();
    expect(added.members).toHaveLength(3);
    const again = one(await add(), 'ensembleMembers');
    expect(again.message).toBe('This teacher is already in the ensemble.');
    expect(again.members).toHaveLength(3);

    // Replacing the teacher leaves it working in the list: the three make an ensemble.
    await trainTeacher(8);
    const three = one(await use('mean-log-prob'), 'teacherLoaded').teacher;
    expect(three.members).toHaveLength(3);
    // A teacher trained on its own names itself too, so the ensemble of all three has a descriptor for the experiment JSON.
    expect(three.descriptor?.kind === 'ensemble' && three.descriptor.members.map((d) => d.kind === 'preset' && d.seed)).toEqual([1, 2, 7]);
    expect(three.testAccuracy).toBeCloseTo(await handAccuracy('mean-log-prob'), 6);

    // An ensemble does not join an ensemble.
    expect(one(await add(), 'ensembleMembers').message).toMatch(/cannot be a member of another ensemble/);

    // Removing a member the ensemble teacher still uses keeps it alive for the teacher.
    const removed = one(await remove(0), 'ensembleMembers');
    expect(removed.members.map((m) => m.description)).toEqual(three.members?.slice(1).map((m) => m.description));
    expect(await handAccuracy('mean-log-prob')).toBeCloseTo(three.testAccuracy, 6);
    expect(one(await remove(5), 'ensembleMembers').message).toBe('There is no ensemble member 6: the ensemble has 2.');
  });

  it('refuses an ensemble of fewer than 2 teachers, and more than 8', async () => {
    await remove(0);
    const failed = one(await use('mean-log-prob'), 'teacherFailed');
    expect(failed.message).toMatch(/^An ensemble needs at least 2 teachers; it has 1\./);
    expect(session.teacher?.result.kind).toBe('ensemble'); // the teacher the user had is still there

    for (let seed = 10; session.ensembleMembers.length < 8; seed++) {
      await trainTeacher(seed, 1);
      expect(one(await add(), 'ensembleMembers').message).toBeUndefined();
    }
    await trainTeacher(20, 1);
    const full = one(await add(), 'ensembleMembers');
    expect(full.message).toBe('An ensemble has at most 8 teachers: remove one first.');
    expect(full.members).toHaveLength(8);
    expect(one(await use('mean-prob'), 'teacherLoaded').teacher.members).toHaveLength(8);

    const tooMany = await trainEnsemble(9, 'mean-prob', 1);
    expect(one(tooMany, 'error').message).toBe('An ensemble needs 2 to 8 teachers; it has 9 teachers.');
    expect(session.ensembleMembers).toHaveLength(8);
  });

  it('stopped part-way, changes nothing and frees the members it trained', async () => {
    const before = tf.memory().numTensors;
    const members = session.ensembleMembers;
    let runId = 0;
    const msgs = await send(
      (r) => {
        runId = r;
        return { type: 'trainEnsemble', runId: r, config: { ...config, epochs: 2 }, size: 3, combine: 'mean-log-prob' };
      },
      (m) => {
        if (m.type === 'ensembleMemberDone') void route({ type: 'stop', runId }, () => {});
      },
    );
    expect(of(msgs, 'ensembleMemberDone')).toHaveLength(1);
    expect(msgs.at(-1)).toEqual({ type: 'stopped', runId });
    expect(session.ensembleMembers).toBe(members);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a shipped and an uploaded member in the ensemble’s descriptor, so that its experiment JSON says which teachers they were', async () => {
    // A small model saved as a model.json and its weights: served as the shipped Two moons teacher, then uploaded.
    const saved = await savedModelFiles();
    const serve = async (url: string) => new Response(saved[url.slice(url.lastIndexOf('/') + 1)]);
    vi.stubGlobal('fetch', serve);
    try {
      await send((requestId) => ({ type: 'loadShippedTeacher', requestId, url: '/distill/models/moons-mlp/model.json', label: 'Moons' }));
    } finally {
      vi.unstubAllGlobals();
    }
    while (session.ensembleMembers.length > 0) await remove(0);
    await add();
    const files = Object.entries(saved).map(([name, bytes]) => new File([bytes], name));
    expect(one(await send((requestId) => ({ type: 'loadTeacher', requestId, files })), 'teacherLoaded').teacher.descriptor).toEqual({
      kind: 'uploaded',
      fileName: 'model.json',
    });
    await add();
    const ensemble = one(await use('mean-prob'), 'teacherLoaded').teacher;
    const named = ensemble.descriptor?.kind === 'ensemble' ? ensemble.descriptor.members : [];
    expect(named).toEqual([
      { kind: 'shipped', id: 'moons-mlp' },
      { kind: 'uploaded', fileName: 'model.json' },
    ]);
  });

  it('a new data set drops the members, and no tensor is left behind', async () => {
    const msgs = await send((requestId) => ({
      type: 'loadData',
      requestId,
      source: { kind: 'toy', toy: 'moons', size: 240, noise: 0.1, seed: 1 },
    }));
    expect(one(msgs, 'dataLoaded').dropped.teacher).toBe(true);
    expect(session.ensembleMembers).toEqual([]);
    expect(session.teacher).toBeNull();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(one(await use('mean-log-prob'), 'teacherFailed').message).toMatch(/it has 0\./);
  });
});
