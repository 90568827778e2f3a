import { afterEach, describe, expect, it } from 'vitest';
import threadedWasmGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { simulateTfjsVersions } from './versions';
import { withReportedCores } from './wasm-threads';

afterEach(() => simulateTfjsVersions(null));

/** Like a browser's: the getter is on the prototype, the instance has no own property. */
class FakeNavigator {
  get hardwareConcurrency(): number {
    return 2;
  }
}

/** Contract: tfjs's threaded wasm build sizes its thread pool from navigator.hardwareConcurrency, read as it starts. */
describe('the threaded wasm build', () => {
  it('reads navigator.hardwareConcurrency for its core count (which withReportedCores raises)', () => {
    expect(threadedWasmGlue).toContain(
      'function _emscripten_num_logical_cores(){if(ENVIRONMENT_IS_NODE)return require("os").cpus().length;return navigator["hardwareConcurrency"]}',
    );
  });
});

describe('withReportedCores', () => {
  it('reports the cores asked for while the backend starts, then the real count again', async () => {
    const navigator = new FakeNavigator();
    const seen = await withReportedCores({ navigator }, 4, async () => navigator.hardwareConcurrency);
    expect(seen).toBe(4);
    expect(navigator.hardwareConcurrency).toBe(2);
    expect(Object.getOwnPropertyNames(navigator)).toEqual([]);
  });

  it('restores the navigator when the start fails, and leaves one with enough cores alone', async () => {
    const navigator = new FakeNavigator();
    await expect(withReportedCores({ navigator }, 8, async () => Promise.reject(new Error('no wasm')))).rejects.toThrow('no wasm');
    expect(navigator.hardwareConcurrency).toBe(2);
    expect(await withReportedCores({ navigator }, 2, async () => Object.getOwnPropertyNames(navigator))).toEqual([]);
  });

  it('touches nothing on another tfjs', async () => {
    simulateTfjsVersions({ 'tfjs-core': '4.23.0' });
    const navigator = new FakeNavigator();
    expect(await withReportedCores({ navigator }, 4, async () => navigator.hardwareConcurrency)).toBe(2);
  });
});
