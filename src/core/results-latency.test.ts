import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { LATENCY_REPEATS, measureLatencies, measureLatency } from './results';
import type { TeacherModel } from './teacher-model';

/** A fake clock, and models that advance it by their cost per pass (the first pass costs more: compiling), logging each pass. */
function bench(costs: Record<string, number>, slow: { from: number; to: number; extra: number } = { from: 0, to: 0, extra: 0 }) {
  let now = 0;
  const log: string[] = [];
  const models = Object.entries(costs).map(([name, cost]): TeacherModel => {
    let first = true;
    return {
      logits: async (x) => {
        const n = log.push(name);
        // A slow stretch of the device: every pass in it costs `extra` more, whichever model runs.
        now += (first ? 50 : cost) + (n >= slow.from && n < slow.to ? slow.extra : 0);
        first = false;
        return tf.zeros([x.shape[0], 2]);
      },
    };
  });
  return { clock: { now: () => now }, models, log };
}

const x = tf.zeros([4, 3]) as tf.Tensor2D;
afterAll(() => x.dispose());

/** The log with runs of the same model collapsed: the order in which timings (and warm-ups) took turns. */
const turns = (log: string[]) => log.filter((m, i) => m !== log[i - 1]);

describe('measureLatencies', () => {
  it('warms each model up, then interleaves their timings, rotating who goes first', async () => {
    const { clock, models, log } = bench({ A: 1, B: 1, C: 3 });
    await measureLatencies(models, x, clock, 4);
    // Warm-up and calibration, model after model (36 passes). Then single passes in turn: A B C, B C A, C A B, …
    expect(turns(log.slice(0, 36))).toEqual(['A', 'B', 'C']);
    expect(log.slice(36, 48)).toEqual(['A', 'B', 'C', 'B', 'C', 'A', 'C', 'A', 'B', 'A', 'B', 'C']);
    // Once C has done its 7 passes in a round, A and B go on taking turns.
    const rest = log.slice(36 + 3 * 7, 36 + 20 + 20 + 7);
    expect(rest).not.toContain('C');
    expect(rest.filter((m) => m === 'A')).toHaveLength(20 - 7);
    // Passes per timing: enough for ~20 ms, found by doubling until a run takes 5 ms (A: 1 warm-up + 1 + 2 + 4 + 8, then
    // timings of 20 passes of 1 ms; C: 1 + 1 + 2, then timings of 7 passes of 3 ms).
    expect(log.filter((m) => m === 'A')).toHaveLength(16 + 4 * 20);
    expect(log.filter((m) => m === 'C')).toHaveLength(4 + 4 * 7);
  });

  it('reports the median per sample and its quartiles; a slow stretch moves neither identical model', async () => {
    const { clock, models } = bench({ A: 2, B: 2, C: 8 }, { from: 20, to: 30, extra: 6 });
    const [a, b, c] = await measureLatencies(models, x, clock);
    expect(a.msPerSample).toBe(2 / 4);
    expect(b.msPerSample).toBe(2 / 4);
    expect(c.msPerSample).toBe(8 / 4);
    expect(a.q1).toBe(0.5);
    // The slow stretch lands in A's and B's early timings alike: their upper quartiles move together.
    expect(a.q3).toBeGreaterThanOrEqual(a.msPerSample);
    expect(Math.abs(a.q3 - b.q3)).toBeLessThan(0.5);
  });

  it('measureLatency: one model, LATENCY_REPEATS timings by default, leaking no tensor', async () => {
    const { clock, models, log } = bench({ A: 5 });
    const before = tf.memory().numTensors;
    expect(await measureLatency(models[0], x, clock)).toBe(5 / 4);
    // 5 ms a pass: a warm-up, one pass to calibrate (5 ms is enough), then 4 passes a timing.
    expect(log).toHaveLength(2 + 4 * LATENCY_REPEATS);
    expect(tf.memory().numTensors).toBe(before);
  });
});
