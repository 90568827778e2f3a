import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { LATENCY_REPEATS, measureLatencies, measureLatency, WARMUP_PASSES } from './results';
import type { TeacherModel } from './teacher-model';

type Cost = number | ((nth: number) => number);

/**
 * A fake clock, and models that advance it by their cost per pass (the first pass costs more:
 * compiling; a cost may also depend on how many passes the model has run: a JIT settling), logging
 * each pass.
 */
function bench(costs: Record<string, Cost>, slow: { from: number; to: number; extra: number } = { from: 0, to: 0, extra: 0 }) {
  let now = 0;
  const log: string[] = [];
  const models = Object.entries(costs).map(([name, cost]): TeacherModel => {
    let nth = 0;
    return {
      logits: async (x) => {
        const n = log.push(name);
        // A slow stretch of the device: every pass in it costs `extra` more, whichever model runs.
        now += (nth === 0 ? 50 : typeof cost === 'number' ? cost : cost(nth)) + (n >= slow.from && n < slow.to ? slow.extra : 0);
        nth++;
        return tf.zeros([x.shape[0], 2]);
      },
    };
  });
  return { clock: { now: () => now }, models, log };
}

const x = tf.zeros([4, 3]) as tf.Tensor2D;
afterAll(() => x.dispose());

describe('measureLatencies', () => {
  it('warms every model up in turn, then times them in turn, rotating who goes first', async () => {
    const { clock, models, log } = bench({ A: 1, B: 1, C: 3 });
    await measureLatencies(models, x, clock, 4, 0);
    // Warm-up: A and B WARMUP_PASSES each (1 ms a pass), C until 400 ms of its own (50 + 117 × 3).
    expect(log.slice(0, 9)).toEqual(['A', 'B', 'C', 'B', 'C', 'A', 'C', 'A', 'B']);
    const warmUp = 2 * WARMUP_PASSES + 118;
    expect(log.slice(0, warmUp).filter((m) => m === 'C')).toHaveLength(118);
    // Then one timing each a round, the fastest of 3 blocks (of ~0.25 ms: one pass here) taken in turns: A B C, B C A,
    // C A B; the next round starts one further on: B C A, C A B, A B C.
    const timings = log.slice(warmUp);
    expect(timings.slice(0, 18)).toEqual([...'ABCBCACAB', ...'BCACABABC']);
    expect(timings).toHaveLength(4 * 3 * 3);
  });

  it('times blocks of passes lasting about 0.25 ms, per sample', async () => {
    const { clock, models, log } = bench({ A: 0.05 });
    const [a] = await measureLatencies(models, x, clock, 3, 0);
    // 3 timings of 3 blocks of 5 passes.
    expect(log).toHaveLength(WARMUP_PASSES + 3 * 3 * 5);
    expect(a.msPerSample).toBeCloseTo(0.05 / 4, 9);
  });

  it('gives identical models blocks of one length although a slow stretch hit one warm-up (the fast end of its passes)', async () => {
    // A's passes 150-189, most of the last quarter of its warm-up, cost 3x: its median pass there says 0.15 ms, its fast end 0.05.
    const slowStretch = (nth: number) => (nth >= 150 && nth < 190 ? 0.15 : 0.05);
    const { clock, models, log } = bench({ A: slowStretch, B: 0.05 });
    await measureLatencies(models, x, clock, 4, 0);
    const timings = log.slice(2 * WARMUP_PASSES);
    expect(timings.filter((m) => m === 'A')).toHaveLength(4 * 3 * 5);
    expect(timings.filter((m) => m === 'B')).toHaveLength(4 * 3 * 5);
  });

  it('goes on timing while the budget lasts, after the minimum of timings', async () => {
    const { clock, models, log } = bench({ A: 1, B: 1, C: 1 });
    await measureLatencies(models, x, clock, 1, 100);
    // Rounds of 9 ms (3 blocks of each model) start while less than 100 ms have gone: 12 of them.
    expect(log.slice(3 * WARMUP_PASSES)).toHaveLength(9 * 12);
  });

  it('identical models come out alike although their passes got 5× cheaper over the first 150 (a JIT settling)', async () => {
    const settling = (nth: number) => (nth < 150 ? 5 - (4 * nth) / 150 : 1);
    const { clock, models } = bench({ A: settling, B: settling, C: 4 });
    const [a, b, c] = await measureLatencies(models, x, clock);
    expect(a.msPerSample).toBe(1 / 4);
    expect(b.msPerSample).toBe(1 / 4);
    expect(c.msPerSample).toBe(4 / 4);
  });

  it('reports the median per sample and its quartiles; a slow stretch moves neither identical model', async () => {
    // Warm-up: A and B 176 passes (50 + 175 × 2 = 400 ms), C 45 (50 + 44 × 8): the stretch lands in the timings, and
    // spans every block of rounds 1 to 7 (9 blocks a round, from log entry 397).
    const { clock, models } = bench({ A: 2, B: 2, C: 8 }, { from: 400, to: 480, extra: 6 });
    const [a, b, c] = await measureLatencies(models, x, clock, 21, 0);
    expect(a.msPerSample).toBe(2 / 4);
    expect(b.msPerSample).toBe(2 / 4);
    expect(c.msPerSample).toBe(8 / 4);
    expect(a.q1).toBe(0.5);
    // The slow stretch lands in A's and B's early timings alike: their upper quartiles move together.
    expect(a.q3).toBeGreaterThan(a.msPerSample);
    expect(Math.abs(a.q3 - b.q3)).toBeLessThan(0.5);
  });

  it('measureLatency: one model, LATENCY_REPEATS timings at least, leaking no tensor', async () => {
    const { clock, models, log } = bench({ A: 5 });
    const before = tf.memory().numTensors;
    expect(await measureLatency(models[0], x, clock, LATENCY_REPEATS, 0)).toBe(5 / 4);
    // 5 ms a pass: warm until 400 ms of its own (50 + 70 × 5), then timings of 3 blocks of one pass.
    expect(log).toHaveLength(71 + 3 * LATENCY_REPEATS);
    expect(tf.memory().numTensors).toBe(before);
  });
});
