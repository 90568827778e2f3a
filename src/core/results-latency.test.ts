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
    // Warm-up: two passes each, one after the other. Then rounds of A B C, B C A, C A B, A B C.
    expect(turns(log)).toEqual(['A', 'B', 'C', 'A', 'B', 'C', 'B', 'C', 'A', 'C', 'A', 'B', 'A', 'B', 'C']);
    // Passes per timing: enough for ~5 ms (A and B: 5 passes of 1 ms; C: 2 of 3 ms).
    expect(log.filter((m) => m === 'A')).toHaveLength(2 + 4 * 5);
    expect(log.filter((m) => m === 'C')).toHaveLength(2 + 4 * 2);
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
    expect(log).toHaveLength(2 + LATENCY_REPEATS);
    expect(tf.memory().numTensors).toBe(before);
  });
});
