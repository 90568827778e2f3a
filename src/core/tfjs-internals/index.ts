/**
 * The one place that touches private internals of tfjs and of the browser. Each hack is a named
 * function here, runs only on the tfjs it was written for (WRITTEN_FOR; internalsStatus says what is
 * off and why), and has a contract test beside it that fails when the internal changes.
 */
export { adamPrivateState, type AdamMoment, type AdamPrivateState } from './adam-state';
export {
  isRegisteredClass,
  layerBuildWatchable,
  setDropoutSeed,
  withLayerBuildWatched,
  type LayerBuildWatch,
  type MadeWeight,
} from './layers';
export {
  hackEnabled,
  internalsStatus,
  reportFallback,
  simulateTfjsVersions,
  WRITTEN_FOR,
  type DisabledFeature,
  type InternalFeature,
  type InternalsStatus,
} from './versions';
export { isWasmBackend, wasmHeap, withWasmHeapCapture, type WasmBackendLike, type WasmGlobal, type WasmMemory } from './wasm-backend';
export { addMissingWasmKernel, isOurWasmKernel, replaceWasmKernel, WASM } from './wasm-kernels';
export { withReportedCores, type NavigatorGlobal } from './wasm-threads';
