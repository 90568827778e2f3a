import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendEnv, type BackendName, type DeviceProbe } from './backend';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

/** A fake platform: every "activation" really runs on tfjs's CPU backend, so the smoke test is real. */
function fakeEnv(probes: Partial<Record<BackendName, DeviceProbe>>, failing: BackendName[] = []): BackendEnv & { activated: BackendName[] } {
  const activated: BackendName[] = [];
  return {
    activated,
    async probe(name) {
      return probes[name] ?? { available: true, software: false, detail: name };
    },
    async activate(name) {
      activated.push(name);
      if (failing.includes(name)) return false;
      await tf.setBackend('cpu');
      return true;
    },
  };
}

const softwareGpu = { available: true, software: true, detail: 'SwiftShader' };

describe('selectBackend', () => {
  it('takes a hardware WebGPU first', async () => {
    const info = await selectBackend(fakeEnv({}));
    expect(info.name).toBe('webgpu');
    expect(info.reason).toMatch(/fastest backend that works/);
  });

  it('never lets a software GPU win over wasm', async () => {
    const env = fakeEnv({ webgpu: softwareGpu, webgl: softwareGpu });
    const info = await selectBackend(env);
    expect(info.name).toBe('wasm');
    expect(env.activated).toEqual(['wasm']);
    expect(info.reason).toMatch(/Skipped webgpu and webgl: software-emulated GPU/);
  });

  it('ranks software WebGL above cpu when wasm fails, and software WebGPU last', async () => {
    const env = fakeEnv({ webgpu: softwareGpu, webgl: softwareGpu }, ['wasm', 'webgl']);
    const info = await selectBackend(env);
    expect(env.activated).toEqual(['wasm', 'webgl', 'cpu']);
    expect(info.name).toBe('cpu');
    expect(info.attempts.filter((a) => !a.ok).map((a) => a.name)).toEqual(['wasm', 'webgl']);
  });

  it('honours a forced backend, software or not', async () => {
    const info = await selectBackend(fakeEnv({ webgpu: softwareGpu }), 'webgpu');
    expect(info.name).toBe('webgpu');
    expect(info.reason).toMatch(/asked for in the URL/);
  });

  it('falls back from a forced backend that fails, and says so', async () => {
    const info = await selectBackend(fakeEnv({ webgpu: { available: false, software: false, detail: 'no adapter' } }), 'webgpu');
    expect(info.name).toBe('webgl');
    expect(info.reason).toMatch(/webgpu was asked for but failed, so fell back to webgl/);
    expect(info.attempts[0]).toEqual({ name: 'webgpu', ok: false, note: 'not available: no adapter' });
  });

  it('says what failed when nothing works', async () => {
    await expect(selectBackend(fakeEnv({}, ['webgpu', 'webgl', 'wasm', 'cpu']))).rejects.toThrow(/No backend could run a training step: webgpu: smoke test failed: failed to initialise/);
  });

  it('leaves no tensor behind after the smoke test', async () => {
    const before = tf.memory().numTensors;
    await selectBackend(fakeEnv({}));
    expect(tf.memory().numTensors).toBe(before);
  });
});
