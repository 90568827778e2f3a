/**
 * ONNX Runtime Web, imported only when an ONNX model is loaded (a dynamic import: the bundler puts it
 * in a chunk of its own, outside the first load and the worker's start). The wasm build runs on the
 * wasm execution provider; the WebGPU build is tried only when asked for, and falls back to wasm.
 *
 * Where its .mjs/.wasm files come from: in the browser, the URLs the worker gives setOrtWasmPaths
 * (the app serves them); in Node (tests), ONNX Runtime finds its own files next to its module.
 */
import type * as Ort from 'onnxruntime-web/wasm';
import { clipName, inFile, OnnxError, shortDetail } from './onnx-error';
import type { OnnxModelInfo } from './types';

export type OrtModule = typeof Ort;
export type OrtSession = Ort.InferenceSession;

export interface OrtWasmPaths {
  mjs: string;
  wasm: string;
  /** The WebGPU build's files (ort-wasm-simd-threaded.asyncify.*), when the app serves them. */
  webgpu?: { mjs: string; wasm: string };
}

let wasmPaths: OrtWasmPaths | null = null;
let threads: number | undefined;
let wasmBuild: Promise<OrtModule> | null = null;
let webgpuBuild: Promise<OrtModule> | null = null;

/**
 * One thread unless the caller asks for more. More would need cross-origin isolation, and ONNX Runtime
 * starts its pthread workers from its own module's URL: once bundled (Vite), that chunk imports the
 * worker's entry chunk, so each pthread worker would run the studio's worker code too (measured on the
 * product build: ort.wasm.bundle.min-*.js begins with an import from distill.worker-*.js).
 */
const DEFAULT_THREADS = 1;

function configure(ort: OrtModule, paths: { mjs: string; wasm: string } | undefined): OrtModule {
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = threads ?? DEFAULT_THREADS;
  ort.env.wasm.proxy = false;
  if (paths) ort.env.wasm.wasmPaths = { mjs: paths.mjs, wasm: paths.wasm };
  return ort;
}

/**
 * ONNX Runtime's wasm files' URLs in the browser, set before the first load; null in Node. `numThreads`
 * (optional, default 1) applies to builds loaded later.
 */
export function setOrtWasmPaths(paths: OrtWasmPaths | null, options: { numThreads?: number } = {}): void {
  wasmPaths = paths;
  threads = options.numThreads;
}

async function importBuild(provider: 'wasm' | 'webgpu'): Promise<OrtModule> {
  if (provider === 'webgpu') {
    webgpuBuild ??= import('onnxruntime-web/webgpu').then((ort) => configure(ort, wasmPaths?.webgpu));
    return webgpuBuild.catch((e) => {
      webgpuBuild = null;
      throw e;
    });
  }
  wasmBuild ??= import('onnxruntime-web/wasm').then((ort) => configure(ort, wasmPaths ?? undefined));
  return wasmBuild.catch((e) => {
    // A failed import (e.g. offline before the files were cached) may succeed on the next try.
    wasmBuild = null;
    throw e;
  });
}

/** ONNX Runtime's message without its C++ source location and signature. */
function ortMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text
    .replace(/^Error:\s*/, '')
    .replace(/Can't create a session\.?\s*(ERROR_CODE: \d+,\s*)?(ERROR_MESSAGE:\s*)?/, '')
    .replace(/\S+\.(?:h|cc|cpp):\d+\s+.*?\)\s+(?=[A-Z])/, '');
}

/** Turns ONNX Runtime's refusal to create a session into an OnnxError that names what is wrong. */
export function sessionError(e: unknown, info: OnnxModelInfo, fileName: string): OnnxError {
  const message = ortMessage(e);
  const registered = /(\S+:)?([^\s:(]+)\(-?\d+\) is not a registered function\/op/.exec(message);
  const other =
    /Could not find an implementation for (\S+?)\(\d+\)/.exec(message) ?? /No Op registered for (\S+) with domain_version/.exec(message);
  const op = registered ? `${registered[1] ?? ''}${registered[2]}` : other?.[1];
  if (op) {
    return new OnnxError(
      inFile(
        fileName,
        `the model uses the op ${clipName(op)}, which ONNX Runtime Web cannot run (${shortDetail(message)}). Export it with standard ONNX ops.`,
      ),
    );
  }
  if (/protobuf parsing failed/i.test(message))
    return new OnnxError(inFile(fileName, `not an ONNX model (ONNX Runtime: ${shortDetail(message)})`));
  if (/[Oo]pset \d+|official support for domain/.test(message)) {
    return new OnnxError(inFile(fileName, `the model's opset is not supported by ONNX Runtime Web 1.30 (${shortDetail(message)})`));
  }
  const custom = info.ops.find((o) => o.includes(':') && !o.startsWith('ai.onnx.ml:') && !o.startsWith('com.microsoft:'));
  const hint = custom ? ` It uses ${custom}, an op outside the standard ONNX set.` : '';
  return new OnnxError(inFile(fileName, `ONNX Runtime could not load the model (${shortDetail(message)}).${hint}`));
}

export interface OrtRuntime {
  ort: OrtModule;
  session: OrtSession;
  provider: 'wasm' | 'webgpu';
}

async function create(provider: 'wasm' | 'webgpu', bytes: Uint8Array): Promise<OrtRuntime> {
  const ort = await importBuild(provider);
  const session = await ort.InferenceSession.create(bytes, { executionProviders: [provider], graphOptimizationLevel: 'all' });
  return { ort, session, provider };
}

/** A session over `bytes`; WebGPU when asked for and it works, else wasm. Throws OnnxError when the model cannot run. */
export async function openOrtSession(
  bytes: Uint8Array,
  info: OnnxModelInfo,
  fileName: string,
  provider: 'wasm' | 'webgpu' = 'wasm',
): Promise<OrtRuntime> {
  // Without navigator.gpu (Node, browsers without WebGPU) the WebGPU build (~26 MB of wasm) is not even fetched.
  const hasWebGpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
  if (provider === 'webgpu' && hasWebGpu) {
    try {
      return await create('webgpu', bytes);
    } catch {
      // No WebGPU adapter, its build not served, or an op it lacks: the wasm provider decides.
    }
  }
  let ort: OrtModule;
  try {
    ort = await importBuild('wasm');
  } catch (e) {
    throw new OnnxError(inFile(fileName, `ONNX Runtime could not be loaded (${shortDetail(e instanceof Error ? e.message : String(e))})`));
  }
  try {
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    return { ort, session, provider: 'wasm' };
  } catch (e) {
    throw sessionError(e, info, fileName);
  }
}
