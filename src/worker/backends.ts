import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendEnv, BackendName, DeviceProbe } from '../core/backend';
import { installWasmKernelFixes } from '../core/kernels/install';
import { withWasmThreads } from './wasm-threads';

// The .wasm binaries are bundled and served by the app itself: nothing from another origin.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

// Kernel-level fixes to the wasm registry only (see src/core/kernels/install.ts).
installWasmKernelFixes();

const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|lavapipe/i;

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

async function probeWebGpu(): Promise<DeviceProbe> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { available: false, software: false, detail: 'this browser has no WebGPU (navigator.gpu is missing)' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { available: false, software: false, detail: 'no WebGPU adapter was offered' };
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description, info.device].filter(Boolean).join(' ') || 'unnamed adapter';
  const software = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter || SOFTWARE_GPU.test(name));
  return { available: true, software, detail: `${software ? 'software adapter' : 'adapter'}: ${name}` };
}

function probeWebGl(): DeviceProbe {
  if (typeof OffscreenCanvas === 'undefined') return { available: false, software: false, detail: 'no OffscreenCanvas in workers' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { available: false, software: false, detail: 'WebGL2 is not available' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  const software = SOFTWARE_GPU.test(renderer);
  return { available: true, software, detail: `${software ? 'software renderer' : 'renderer'}: ${renderer}` };
}

/** Threads for the wasm backend, fixed at its first initialisation (planWasmThreads before that). */
let wasmThreads = 1;
export function planWasmThreads(threads: number): void {
  wasmThreads = threads;
}

function probeWasm(): DeviceProbe {
  if (typeof WebAssembly === 'undefined') return { available: false, software: false, detail: 'no WebAssembly' };
  const threads = self.crossOriginIsolated ? 'threads allowed' : 'single thread (page not cross-origin isolated)';
  return { available: true, software: false, detail: `WebAssembly, ${threads}` };
}

export const workerBackendEnv: BackendEnv = {
  async probe(name: BackendName): Promise<DeviceProbe> {
    switch (name) {
      case 'webgpu':
        return probeWebGpu();
      case 'webgl':
        return probeWebGl();
      case 'wasm':
        return probeWasm();
      case 'cpu':
        return { available: true, software: false, detail: 'plain JavaScript' };
    }
  },
  async activate(name: BackendName): Promise<boolean> {
    const go = async () => {
      const ok = await tf.setBackend(name);
      if (ok) await tf.ready();
      return ok;
    };
    return name === 'wasm' ? withWasmThreads(wasmThreads, go) : go();
  },
  threads(name: BackendName): number | undefined {
    return name === 'wasm' ? getThreadsCount() : undefined;
  },
};
