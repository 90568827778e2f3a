import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, type BackendName } from './backend';
import { measureTrainingSpeed } from './calibrate';
import { fakeEnv } from './test-backend-env';
import { useCpuBackend } from './test-setup';

beforeAll(useCpuBackend);

const softwareGpu = { available: true, software: true, detail: 'SwiftShader' };

describe('selectBackend', () => {
  it('measures hardware GPUs against wasm and takes the fastest, remembering what it measured', async () => {
    const speeds: Partial<Record<BackendName, number>> = { webgpu: 5000, webgl: 9000, wasm: 7000 };
    const env = fakeEnv({});
    let now = 0;
    const clock = () => (now += 600); // read when the measuring starts and when it ends
    const info = await selectBackend(env, undefined, { measure: async () => speeds[env.activated.at(-1) as BackendName] ?? 0, clock });
    expect(info.name).toBe('webgl');
    expect(env.activated).toEqual(['webgpu', 'webgl', 'wasm', 'webgl']); // each measured, then the winner made active again
    expect(info.reason).toBe(
      'webgl measured fastest here (webgl 9,000 samples/s, wasm 7,000 samples/s, webgpu 5,000 samples/s; measured in 0.6 s).',
    );
    expect(info.calibration?.results.map((r) => r.name)).toEqual(['webgl', 'wasm', 'webgpu']);
    expect(info.calibration?.deviceKey).toBe('webgpu: webgpu | webgl: webgl | wasm: wasm');
  });

  it('reuses a remembered measurement on the same device, and measures again on another', async () => {
    const remembered = {
      deviceKey: 'webgpu: webgpu | webgl: webgl | wasm: wasm',
      results: [
        { name: 'wasm' as const, samplesPerSec: 8000 },
        { name: 'webgpu' as const, samplesPerSec: 6000 },
      ],
      measuredAt: Date.UTC(2026, 10, 1),
    };
    let measured = 0;
    const measure = async () => ++measured;
    const same = fakeEnv({});
    const info = await selectBackend(same, undefined, { remembered, measure });
    expect(info.name).toBe('wasm');
    expect(same.activated).toEqual(['wasm']);
    expect(measured).toBe(0);
    expect(info.reason).toBe(
      'wasm was measured fastest on this device (wasm 8,000 samples/s, webgpu 6,000 samples/s; measured 2026-11-01).',
    );
    const other = fakeEnv({ webgl: { available: true, software: false, detail: 'a new GPU' } });
    await selectBackend(other, undefined, { remembered, measure });
    expect(measured).toBe(3);
  });

  it('skips a backend whose measurement fails', async () => {
    const env = fakeEnv({ webgl: { available: false, software: false, detail: 'none' } });
    const info = await selectBackend(env, undefined, {
      measure: async () => {
        if (env.activated.at(-1) === 'webgpu') throw new Error('device lost');
        return 100;
      },
    });
    expect(info.name).toBe('wasm');
    expect(info.calibration?.results).toEqual([{ name: 'wasm', samplesPerSec: 100 }]);
    expect(info.attempts.find((a) => a.name === 'webgpu')).toEqual({ name: 'webgpu', ok: false, note: 'smoke test failed: device lost' });
  });

  it('says how many threads the chosen backend computes on, where the platform says', async () => {
    const env = {
      ...fakeEnv({ webgpu: softwareGpu, webgl: softwareGpu }),
      threads: (name: BackendName) => (name === 'wasm' ? 3 : undefined),
    };
    expect((await selectBackend(env)).threads).toBe(3);
    expect((await selectBackend(env, 'cpu')).threads).toBeUndefined();
    expect((await selectBackend(fakeEnv({ webgpu: softwareGpu, webgl: softwareGpu }))).threads).toBeUndefined();
  });

  it('does not measure where no hardware GPU is offered: wasm', async () => {
    const info = await selectBackend(fakeEnv({ webgpu: softwareGpu, webgl: softwareGpu }), undefined, {
      measure: async () => Promise.reject(new Error('must not measure')),
    });
    expect(info.name).toBe('wasm');
    expect(info.calibration).toBeUndefined();
  });

  it('measures real training speed with a clock, freeing every tensor', async () => {
    const before = tf.memory().numTensors;
    let t = 0;
    const speed = await measureTrainingSpeed(() => (t += 10), 100); // 10 ms per clock read
    expect(speed).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
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
    await expect(selectBackend(fakeEnv({}, ['webgpu', 'webgl', 'wasm', 'cpu']))).rejects.toThrow(
      /No backend could run a training step: webgpu: smoke test failed: failed to initialise/,
    );
  });

  it('leaves no tensor behind after the smoke test', async () => {
    const before = tf.memory().numTensors;
    await selectBackend(fakeEnv({}));
    expect(tf.memory().numTensors).toBe(before);
  });
});
