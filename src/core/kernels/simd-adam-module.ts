import { wasmApi, type WasmMemory } from './wasm-api';

/**
 * A tiny WebAssembly module, assembled here byte by byte (no compiler in the build), with one
 * function: Adam's update over float32 arrays in the tfjs wasm backend's own memory, four lanes at
 * a time (WebAssembly SIMD), one pass for the new weight and both new moments.
 *
 *   adam(w, g, m, v, wOut, mOut, vOut, bytes, beta1, 1-beta1, beta2, 1-beta2, lr/c1, 1/c2, eps)
 *
 * The first seven arguments are byte offsets into the imported memory; `bytes` is how many bytes
 * of each array to process (a multiple of 16: the caller finishes the last 0-3 elements). Per
 * element:  m' = beta1·m + (1-beta1)·g,  v' = beta2·v + (1-beta2)·g²,
 *           w' = w − (lr/c1)·m' / (√(v'·(1/c2)) + eps)     (c1, c2: Adam's bias corrections)
 */

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const simd = (op: number) => (op < 0x80 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
const load = [...simd(0x00), 0x00, 0x00]; // v128.load, align 0, offset 0
const store = [...simd(0x0b), 0x00, 0x00]; // v128.store
const splat = simd(0x13); // f32x4.splat
const [sqrt, add, sub, mul, div] = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd); // f32x4.*
const i32Add = [0x6a];

// Parameters 0-14 as above; locals: 15 the byte index, 16-22 the splatted constants, 23-25 g, m', v'.
const [W, G_, M_, V_, WOUT, MOUT, VOUT, BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
const I = 15;
const [B1, K1, B2, K2, STEP, UNBIAS2, EPS] = [16, 17, 18, 19, 20, 21, 22];
const [G, M, V] = [23, 24, 25];
const at = (base: number) => [...get(base), ...get(I), ...i32Add];

const body = [
  // locals: one i32, ten v128
  0x02, 0x01, I32, 0x0a, V128,
  // the seven scalar arguments, each splatted to four lanes
  ...[8, 9, 10, 11, 12, 13, 14].flatMap((param, k) => [...get(param), ...splat, ...set(B1 + k)]),
  0x02, 0x40, // block
  0x03, 0x40, // loop
  ...get(I), ...get(BYTES), 0x4f, 0x0d, 0x01, // if i >= bytes: break
  ...at(G_), ...load, ...set(G),
  ...at(M_), ...load, ...get(B1), ...mul, ...get(G), ...get(K1), ...mul, ...add, ...set(M),
  ...at(V_), ...load, ...get(B2), ...mul, ...get(G), ...get(G), ...mul, ...get(K2), ...mul, ...add, ...set(V),
  ...at(MOUT), ...get(M), ...store,
  ...at(VOUT), ...get(V), ...store,
  ...at(WOUT),
  ...at(W), ...load,
  ...get(STEP), ...get(M), ...mul,
  ...get(V), ...get(UNBIAS2), ...mul, ...sqrt, ...get(EPS), ...add,
  ...div, ...sub, ...store,
  ...get(I), 0x41, 0x10, ...i32Add, ...set(I), // i += 16
  0x0c, 0x00, // continue
  0x0b, // end loop
  0x0b, // end block
  0x0b, // end function
];

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/** The module's bytes, importing `env.memory` as a shared memory (threaded tfjs builds) or not. */
export function simdAdamModuleBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const params = [...Array(8).fill(I32), ...Array(7).fill(F32)];
  // Limits: minimum 0 pages, so that any memory of the backend's fits; a shared memory must declare a
  // maximum (65536 pages, 4 GiB, the most there is), a plain one must not (tfjs's has none).
  const limits = sharedMemory ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, params.length, ...params, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, ...limits]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('adam'), 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

export type SimdAdam = (w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, bytes: number, beta1: number, keep1: number, beta2: number, keep2: number, step: number, unbias2: number, eps: number) => void;

/** The compiled function over `memory`, or null where WebAssembly SIMD is missing. */
export function instantiateSimdAdam(memory: WasmMemory): SimdAdam | null {
  const bytes = simdAdamModuleBytes(typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer);
  if (!wasmApi.validate(bytes)) return null;
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
  return instance.exports.adam as SimdAdam;
}
