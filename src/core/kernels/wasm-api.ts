/**
 * The parts of the WebAssembly JavaScript API the kernels use. The engine is compiled without DOM
 * or Node types (tsconfig.core.json), which is where TypeScript declares WebAssembly.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
