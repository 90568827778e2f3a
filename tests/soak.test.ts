import * as tf from '@tensorflow/tfjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSoak } from '../src/core/bench/soak';
import { useCpuBackend } from '../src/core/test-setup';

beforeAll(useCpuBackend);

/**
 * A real garbage collector, or why there is none: node --expose-gc gives global.gc; otherwise V8's
 * flag is set at run time and gc is taken from a fresh context (V8 only exposes it to contexts made after).
 */
function findGc(): { gc: () => void } | { why: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g };
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void };
    return { why: 'V8 did not expose gc to a new context' };
  } catch (e) {
    return { why: `gc is not available (${e instanceof Error ? e.message : String(e)})` };
  }
}

describe('long runs do not grow', () => {
  it('200 epochs of distillation with a scratch control: the same tensor count at every epoch, and none left after', async () => {
    const before = tf.memory().numTensors;
    const report = await runSoak({ epochs: 200, rows: 120 });
    expect(report.epochs).toBe(200);
    expect(new Set(report.numTensors.perEpoch).size).toBe(1); // constant across epochs
    expect(report.numTensors.start).toBe(before);
    expect(report.numTensors.end).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
    expect(report.numBytes.end).toBe(report.numBytes.start);
  });

  it('and the JS heap stays bounded (measured after a full GC, between epoch 20 and epoch 200)', async (ctx) => {
    const found = findGc();
    if ('why' in found) {
      ctx.skip(`heap check skipped: ${found.why}; the tensor count test above still holds`);
      return;
    }
    const heap = () => {
      found.gc();
      found.gc();
      return process.memoryUsage().heapUsed;
    };
    let at20 = 0;
    const report = await runSoak({
      epochs: 200,
      rows: 120,
      heap,
      onEpoch: (epoch) => {
        if (epoch === 20) at20 = heap();
      },
    });
    const at200 = report.heapBytes?.end ?? Number.NaN;
    // The run keeps nothing per epoch: what it holds after 20 epochs it holds after 200, give or take
    // V8's own caches (compiled code, feedback). 180 epochs of leaked events or tensors would be MBs.
    expect(at200 - at20).toBeLessThan(2 * 1024 * 1024);
  });
});
