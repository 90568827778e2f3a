import { describe, expect, it } from 'vitest';
import { assembleSimdAdam } from '../../../scripts/assemble-simd-adam';
import wat from './simd-adam.wat?raw';
import { SIMD_ADAM_SHARED_WASM, SIMD_ADAM_WASM } from './simd-adam.wasm';

describe('simd-adam.wasm.ts', () => {
  it('holds exactly what wabt assembles from simd-adam.wat (else rerun scripts/assemble-wat.ts)', async () => {
    const { plain, shared } = await assembleSimdAdam(wat);
    expect(Array.from(SIMD_ADAM_WASM)).toEqual(Array.from(plain));
    expect(Array.from(SIMD_ADAM_SHARED_WASM)).toEqual(Array.from(shared));
  });

  it('differs between the two only in the memory import: shared, with a maximum', async () => {
    const imports = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    expect(imports(SIMD_ADAM_WASM)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(imports(SIMD_ADAM_SHARED_WASM)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(
      () =>
        new WebAssembly.Instance(new WebAssembly.Module(SIMD_ADAM_SHARED_WASM), {
          env: { memory: new WebAssembly.Memory({ initial: 1 }) },
        }),
    ).toThrow();
    expect(
      () =>
        new WebAssembly.Instance(new WebAssembly.Module(SIMD_ADAM_WASM), {
          env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true }) },
        }),
    ).toThrow();
  });

  it('refuses a .wat whose memory import is not the plain one it knows how to make shared', async () => {
    await expect(assembleSimdAdam('(module (import "env" "memory" (memory 1)))')).rejects.toThrow('must import its memory exactly once');
  });
});
