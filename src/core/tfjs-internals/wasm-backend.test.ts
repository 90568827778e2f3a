import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import threadedWasmGlue from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';
import { simulateTfjsVersions } from './versions';
import { isWasmBackend, wasmHeap, withWasmHeapCapture, type WasmGlobal } from './wasm-backend';

beforeAll(async () => {
  await tf.setBackend('wasm');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => simulateTfjsVersions(null));

/** Contract: the wasm backend's heap, where fused Adam (kernels/fused-adam.ts) and the row gather read and write tensors in place. */
describe("tfjs-backend-wasm's heap", () => {
  it('is exported as backend.wasm.asm.memory, and makeOutput/typedArrayFromHeap give views into it at the tensor', async () => {
    const backend = tf.backend();
    expect(isWasmBackend(backend)).toBe(true);
    if (!isWasmBackend(backend)) return;
    const heap = wasmHeap(backend);
    expect(heap).toBeInstanceOf(WebAssembly.Memory);
    const t = tf.tensor1d([1, 2, 3]);
    const view = backend.typedArrayFromHeap(t);
    expect(view.buffer).toBe(heap?.buffer);
    expect(Array.from(view)).toEqual([1, 2, 3]);
    // A view written in place is the tensor's value.
    view[1] = 7;
    expect(Array.from(await t.data())).toEqual([1, 7, 3]);
    const out = backend.makeOutput([2], 'float32');
    expect(out.shape).toEqual([2]);
    expect(backend.typedArrayFromHeap(out).buffer).toBe(heap?.buffer);
    tf.engine().makeTensorFromTensorInfo(out).dispose();
    t.dispose();
  });

  it("is made, in the threaded build, by the glue's own `new WebAssembly.Memory({…, shared: true})` (which withWasmHeapCapture wraps)", () => {
    expect(threadedWasmGlue).toMatch(
      /wasmMemory=new WebAssembly\.Memory\(\{"initial":INITIAL_MEMORY\/65536,"maximum":[^}]*"shared":true\}\)/,
    );
  });
});

function fakeGlobal(): WasmGlobal & { WebAssembly: { Memory: typeof WebAssembly.Memory } } {
  return { WebAssembly: { Memory: WebAssembly.Memory } };
}

describe('withWasmHeapCapture', () => {
  it('notes the shared memory made while the backend starts, and puts the global back', async () => {
    const global = fakeGlobal();
    const made = await withWasmHeapCapture(global, async () => {
      new global.WebAssembly.Memory({ initial: 1 });
      return new global.WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    });
    expect(Object.getPrototypeOf(made)).toBe(WebAssembly.Memory.prototype);
    expect(made.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(global.WebAssembly.Memory).toBe(WebAssembly.Memory);
    // A backend that exports no memory (a threaded build) runs over the noted one.
    expect(wasmHeap({})).toBe(made);
  });

  it('puts the global back when the start fails', async () => {
    const global = fakeGlobal();
    await expect(withWasmHeapCapture(global, async () => Promise.reject(new Error('no wasm')))).rejects.toThrow('no wasm');
    expect(global.WebAssembly.Memory).toBe(WebAssembly.Memory);
  });

  it('touches nothing on another tfjs', async () => {
    simulateTfjsVersions({ 'tfjs-core': '4.23.0' });
    const global = fakeGlobal();
    await withWasmHeapCapture(global, async () => expect(global.WebAssembly.Memory).toBe(WebAssembly.Memory));
  });
});
