import { beforeAll, describe, expect, it } from 'vitest';
import { fallbackOrder, selectFallback, type BackendName } from './backend';
import { backendFailure, InjectedBackendFailure, parseInjection } from './faults';
import { fakeEnv } from './test-backend-env';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const software = { available: true, software: true, detail: 'SwiftShader' };
const missing = { available: false, software: false, detail: 'none here' };

describe('backend failures', () => {
  it("tells a failing backend from the run's own errors", () => {
    expect(backendFailure(new Error('Device was lost: the GPU process crashed'))?.reason).toBe('device lost');
    expect(backendFailure(new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"))?.reason).toBe('missing kernel');
    expect(backendFailure(new RangeError('Array buffer allocation failed'))?.reason).toBe('out of memory');
    expect(backendFailure(new Error('WebGL context lost'))?.reason).toBe('GPU context lost');
    expect(backendFailure(new InjectedBackendFailure(2))).toEqual({
      reason: 'injected failure',
      message: expect.stringContaining('epoch 2'),
    });
    expect(
      backendFailure(new Error('Student loss became NaN at step 12: training diverged. Lower the learning rate and run again.')),
    ).toBeNull();
    expect(backendFailure(new Error('Batch size must be a whole number from 1 to 4096, got 0.'))).toBeNull();
    expect(backendFailure('out of memory')?.reason).toBe('out of memory');
  });

  it('parses the test-only ?inject= flag', () => {
    expect(parseInjection(null)).toBeNull();
    expect(parseInjection('backend-failure@2')).toEqual({ kind: 'backend-failure', epoch: 2 });
    expect(parseInjection('worker-crash')).toEqual({ kind: 'worker-crash' });
    expect(parseInjection('pretend-hardware-gpu')).toEqual({ kind: 'pretend-hardware-gpu' });
    expect(parseInjection('backend-failure@0')).toEqual({ error: expect.stringMatching(/Ignored \?inject=backend-failure@0/) });
    expect(parseInjection('everything')).toHaveProperty('error');
  });
});

describe('fallback after a mid-run failure', () => {
  it("follows selectBackend's order, skipping the failed backend", async () => {
    const probe = async (name: BackendName) =>
      ({ webgpu: software, webgl: software })[name as 'webgpu' | 'webgl'] ?? { available: true, software: false, detail: name };
    expect(await fallbackOrder(probe)).toEqual(['wasm', 'webgl', 'cpu', 'webgpu']);
    const env = fakeEnv({ webgpu: missing, webgl: missing });
    const info = await selectFallback(env, 'wasm', 'injected failure');
    expect(info.name).toBe('cpu');
    expect(env.activated).toEqual(['cpu']);
    expect(info.reason).toBe('wasm failed mid-run (injected failure), so fell back to cpu.');
    expect(info.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['wasm', false],
      ['webgpu', false],
      ['webgl', false],
      ['cpu', true],
    ]);
  });

  it('goes from a hardware GPU to the next one, then to wasm, skipping every backend that failed before', async () => {
    const env = fakeEnv({});
    expect((await selectFallback(env, 'webgpu', 'device lost')).name).toBe('webgl');
    const wasm = await selectFallback({ ...env, threads: (name) => (name === 'wasm' ? 2 : undefined) }, 'webgl', 'GPU context lost', [
      'webgpu',
    ]);
    expect(wasm.name).toBe('wasm');
    expect(wasm.threads).toBe(2);
    expect(env.activated).toEqual(['webgl', 'wasm']);
  });

  it('tries the next when one fails its smoke test, and names every backend tried when none works', async () => {
    const env = fakeEnv({ webgpu: missing, webgl: software }, ['webgl']);
    expect((await selectFallback(env, 'wasm', 'out of memory')).name).toBe('cpu');
    expect(env.activated).toEqual(['webgl', 'cpu']);
    const none = fakeEnv({ webgpu: missing, webgl: missing }, ['cpu']);
    await expect(selectFallback(none, 'wasm', 'out of memory')).rejects.toThrow(
      'No other backend could take over from wasm: webgpu: not available: none here; webgl: not available: none here; cpu: smoke test failed: failed to initialise.',
    );
    await expect(selectFallback(fakeEnv({ webgpu: missing, webgl: missing }), 'cpu', 'x', ['wasm'])).rejects.toThrow(
      /none left to try|not available/,
    );
  });
});
