import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { FUSED_ADAM_KERNEL } from '../kernels/fused-adam';
import { installWasmKernelFixes } from '../kernels/install';
import { internalsStatus, simulateTfjsVersions } from './versions';
import { addMissingWasmKernel, isOurWasmKernel, replaceWasmKernel, WASM } from './wasm-kernels';

afterEach(() => simulateTfjsVersions(null));

/** The stock kernels the studio wraps, and those it adds (see kernels/install.ts). */
const REPLACED = ['BatchMatMul', 'Conv2DBackpropInput', 'GatherV2', '_FusedMatMul'];
const ADDED = ['Conv2DBackpropFilter', FUSED_ADAM_KERNEL];

const identity = (original: tf.KernelFunc) => original;

/** Contract: tfjs-backend-wasm's kernel registry, which kernels/* change. */
describe("tfjs-backend-wasm's kernels", () => {
  it('include each kernel the studio replaces, and lack each one it adds', () => {
    // Runs first, before any installation in this file.
    expect(REPLACED.filter((name) => tf.getKernel(name, WASM) === undefined)).toEqual([]);
    expect(REPLACED.filter(isOurWasmKernel)).toEqual([]);
    expect(ADDED.filter((name) => tf.getKernel(name, WASM) !== undefined)).toEqual([]);
  });

  it('after installWasmKernelFixes, are ours exactly where listed above', () => {
    installWasmKernelFixes();
    const ours = tf
      .getKernelsForBackend(WASM)
      .map((k) => k.kernelName)
      .filter(isOurWasmKernel);
    expect(ours.sort()).toEqual([...REPLACED, ...ADDED].sort());
  });
});

describe('replaceWasmKernel and addMissingWasmKernel', () => {
  it('fail loudly when the kernel to replace is missing, or the one to add exists already', () => {
    expect(() => replaceWasmKernel('NoSuchKernel', identity)).toThrow(
      'Cannot replace the wasm NoSuchKernel kernel: tfjs-backend-wasm has none registered',
    );
    expect(() => addMissingWasmKernel('Add', () => ({ dataId: {}, shape: [], dtype: 'float32' }))).toThrow(
      'tfjs-backend-wasm now has a Add kernel of its own',
    );
  });

  it('change nothing on another tfjs, which internalsStatus reports', () => {
    simulateTfjsVersions({ 'tfjs-core': '4.23.0' });
    const before = tf.getKernel('Sub', WASM)?.kernelFunc;
    replaceWasmKernel('Sub', () => () => ({ dataId: {}, shape: [], dtype: 'float32' }));
    expect(tf.getKernel('Sub', WASM)?.kernelFunc).toBe(before);
    expect(() => replaceWasmKernel('NoSuchKernel', identity)).not.toThrow();
    expect(internalsStatus().disabled.map((d) => d.feature)).toContain('wasm-kernels');
  });
});
