import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { hackEnabled, internalsStatus, reportFallback, simulateTfjsVersions, WRITTEN_FOR } from './versions';

afterEach(() => simulateTfjsVersions(null));

describe('the tfjs the internals were written for', () => {
  // The alarm for an upgrade: every contract test beside this one must be rerun, and WRITTEN_FOR moved, together.
  it('is the tfjs installed', () => {
    expect(WRITTEN_FOR).toEqual({ 'tfjs-core': tf.version['tfjs-core'], 'tfjs-layers': tf.version['tfjs-layers'] });
    expect(internalsStatus()).toMatchObject({ disabled: [], message: null });
  });

  it('on another tfjs-core, turns off every hack that reads it, and says which and why', () => {
    simulateTfjsVersions({ 'tfjs-core': '4.23.0' });
    const status = internalsStatus();
    expect(status.disabled.map((d) => d.feature)).toEqual(['fused-adam', 'wasm-kernels', 'wasm-heap-capture', 'wasm-thread-count']);
    expect(status.disabled[0].why).toBe('tfjs-core is 4.23.0, but this hack was written for 4.22.0');
    expect(status.message).toMatch(
      /^Turned off: fused Adam on wasm \(tfjs-core is 4\.23\.0, but this hack was written for 4\.22\.0; tfjs's own Adam runs/,
    );
    expect(status.message).toContain('the wasm kernel fixes');
    expect(hackEnabled('fused-adam')).toBe(false);
    expect(hackEnabled('dropout-seed')).toBe(true);
  });

  it('on another tfjs-layers, turns off the layer hacks only', () => {
    simulateTfjsVersions({ 'tfjs-layers': '5.0.0' });
    expect(internalsStatus().disabled.map((d) => d.feature)).toEqual(['layer-build-watch', 'dropout-seed']);
    expect(internalsStatus().found).toEqual({ 'tfjs-core': tf.version['tfjs-core'], 'tfjs-layers': '5.0.0' });
  });

  it('lists a hack that could not run here with its reason', () => {
    reportFallback('fused-adam', "this browser's WebAssembly has no SIMD");
    expect(internalsStatus().disabled).toEqual([
      { feature: 'fused-adam', label: 'fused Adam on wasm', why: "this browser's WebAssembly has no SIMD" },
    ]);
  });
});
