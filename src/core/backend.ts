import * as tf from '@tensorflow/tfjs';
import { adam } from './kernels/fused-adam';
import { hardCrossEntropy } from './losses';
import { minimizeStep, trainableVariables } from './tensors';
import type { BackendName } from './backend-names';
import { measureTrainingSpeed, type Calibration, type Clock } from './calibrate';
import { internalsStatus } from './tfjs-internals';
import { errorText } from './error-text';

export type { BackendName } from './backend-names';

/** What the environment says about the device behind a backend, before any tensor is made. */
export interface DeviceProbe {
  available: boolean;
  /** A software emulation of a GPU (SwiftShader, llvmpipe): far slower than wasm. */
  software: boolean;
  detail: string;
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  note: string;
}

export interface BackendInfo {
  name: BackendName;
  /** One sentence for the user: why this backend runs. */
  reason: string;
  detail: string;
  attempts: BackendAttempt[];
  /** Set when hardware GPUs were measured against wasm (now, or on an earlier visit). */
  calibration?: Calibration;
  /** wasm only: the threads its matrix products run on. */
  threads?: number;
}

export interface SelectOptions {
  /** What an earlier visit measured on this device; used when its deviceKey still matches. */
  remembered?: Calibration | null;
  /** Training samples per second of the active backend (default: a short real measurement). */
  measure?: () => Promise<number>;
  clock?: Clock;
}

/** The platform-specific parts, supplied by the worker (or by tests). */
export interface BackendEnv {
  probe(name: BackendName): Promise<DeviceProbe>;
  /** Makes `name` the active tfjs backend; false when it cannot initialise. */
  activate(name: BackendName): Promise<boolean>;
  /** How many threads an active backend computes on, where that is a choice (wasm); shown with its name. */
  threads?(name: BackendName): number | undefined;
}

/** The `threads` field of a BackendInfo for `name`, when the platform says. */
function threadsOf(env: BackendEnv, name: BackendName): { threads?: number } {
  const threads = env.threads?.(name);
  return threads === undefined ? {} : { threads };
}

/** The reason a backend runs, and what core/tfjs-internals turned off here: nothing, on the tfjs it was written for. */
function withInternalsNote(reason: string): string {
  const off = internalsStatus().message;
  return off ? `${reason} ${off}` : reason;
}

/** One real training step (forward, backward, Adam update, a read): missing kernels show here, not mid-run. */
export async function smokeTrainStep(): Promise<void> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 2 })],
  });
  const optimizer = adam(0.01);
  try {
    const loss = tf.tidy(() =>
      minimizeStep(
        optimizer,
        () => {
          const logits = model.apply(
            tf.tensor2d([
              [1, 2, 3],
              [0, -1, 0.5],
            ]),
            { training: true },
          ) as tf.Tensor2D;
          return hardCrossEntropy(tf.tensor1d([0, 1], 'int32'), logits);
        },
        trainableVariables(model),
      ),
    );
    const [value] = await loss.data();
    loss.dispose();
    if (!Number.isFinite(value)) throw new Error(`the loss of a test step was ${value}`);
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Probes each backend once per call (a probe that throws counts as unavailable, with its reason). */
function cachedProbes(env: BackendEnv): { probes: Map<BackendName, DeviceProbe>; probe: (name: BackendName) => Promise<DeviceProbe> } {
  const probes = new Map<BackendName, DeviceProbe>();
  const probe = async (name: BackendName) => {
    let p = probes.get(name);
    if (!p) {
      p = await env.probe(name).catch((e: unknown) => ({ available: false, software: false, detail: errorText(e) }));
      probes.set(name, p);
    }
    return p;
  };
  return { probes, probe };
}

/**
 * Picks the backend to train on. Without `forced`, hardware GPUs come first, then wasm; a software
 * GPU only ranks above cpu (WebGL) or last (WebGPU), because on a machine without a GPU it is
 * tens of times slower than wasm. A forced backend that fails falls back, and says so.
 */
export async function selectBackend(env: BackendEnv, forced?: BackendName, options: SelectOptions = {}): Promise<BackendInfo> {
  const attempts: BackendAttempt[] = [];
  const { probes, probe } = cachedProbes(env);
  /** Activates `name` and trains on it (`check`: one step, or the whole calibration measurement). */
  const tryOne = async (name: BackendName, check: () => Promise<unknown> = smokeTrainStep): Promise<boolean> => {
    const p = await probe(name);
    if (!p.available) {
      attempts.push({ name, ok: false, note: `not available: ${p.detail}` });
      return false;
    }
    try {
      if (!(await env.activate(name))) throw new Error('failed to initialise');
      await check();
      attempts.push({ name, ok: true, note: p.detail });
      return true;
    } catch (e) {
      attempts.push({ name, ok: false, note: `smoke test failed: ${errorText(e)}` });
      return false;
    }
  };
  const info = (name: BackendName, reason: string): BackendInfo => ({
    name,
    reason: withInternalsNote(reason),
    detail: probes.get(name)?.detail ?? '',
    attempts,
    ...threadsOf(env, name),
  });

  if (forced) {
    if (await tryOne(forced)) return info(forced, `${forced} was asked for in the URL (?backend=${forced}).`);
  }
  if (!forced) {
    const hardware: BackendName[] = [];
    for (const name of ['webgpu', 'webgl'] as const) {
      const p = await probe(name);
      if (p.available && !p.software) hardware.push(name);
    }
    // A hardware GPU is not always faster than wasm (small models, integrated GPUs): measure, once per device.
    if (hardware.length > 0) {
      const chosen = await calibrated([...hardware, 'wasm'], await deviceKey(probe), tryOne, env, options);
      if (chosen) return { ...info(chosen.name, chosen.reason), calibration: chosen.calibration };
    }
  }
  const order = await fallbackOrder(probe);

  for (const name of order) {
    if (name === forced) continue;
    if (await tryOne(name)) {
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.name} (${a.note})`);
      const softwareSkipped = (['webgpu', 'webgl'] as const).filter(
        (b) => probes.get(b)?.software && order.indexOf(b) > order.indexOf(name),
      );
      const why = [
        forced ? `${forced} was asked for but failed, so fell back to ${name}.` : `${name} is the fastest backend that works here.`,
        softwareSkipped.length ? `Skipped ${softwareSkipped.join(' and ')}: software-emulated GPU, far slower than wasm.` : '',
        skipped.length ? `Unavailable: ${skipped.join('; ')}.` : '',
      ];
      return info(name, why.filter(Boolean).join(' '));
    }
  }
  throw new Error(`No backend could run a training step: ${attempts.map((a) => `${a.name}: ${a.note}`).join('; ')}`);
}

/**
 * Backends from best to last resort when nothing was measured: hardware GPUs, wasm, a software
 * WebGL, cpu, a software WebGPU (tens of times slower than wasm).
 */
export async function fallbackOrder(probe: (name: BackendName) => Promise<DeviceProbe>): Promise<BackendName[]> {
  const order: BackendName[] = [];
  for (const name of ['webgpu', 'webgl'] as const) if (!(await probe(name)).software) order.push(name);
  order.push('wasm');
  if ((await probe('webgl')).software) order.push('webgl');
  order.push('cpu');
  if ((await probe('webgpu')).software) order.push('webgpu');
  return order;
}

/**
 * After `failed` broke mid-run: the next backend of selectBackend's fallback order that passes the
 * smoke test, skipping every backend that has failed in this session (`failed` and `skip`), and
 * made active. Throws, naming each backend tried, when none works.
 */
export async function selectFallback(
  env: BackendEnv,
  failed: BackendName,
  why: string,
  skip: readonly BackendName[] = [],
): Promise<BackendInfo> {
  const { probe } = cachedProbes(env);
  const attempts: BackendAttempt[] = [{ name: failed, ok: false, note: `failed mid-run: ${why}` }];
  for (const name of await fallbackOrder(probe)) {
    if (name === failed || skip.includes(name)) continue;
    const p = await probe(name);
    if (!p.available) {
      attempts.push({ name, ok: false, note: `not available: ${p.detail}` });
      continue;
    }
    try {
      if (!(await env.activate(name))) throw new Error('failed to initialise');
      await smokeTrainStep();
      attempts.push({ name, ok: true, note: p.detail });
      return {
        name,
        reason: withInternalsNote(`${failed} failed mid-run (${why}), so fell back to ${name}.`),
        detail: p.detail,
        attempts,
        ...threadsOf(env, name),
      };
    } catch (e) {
      attempts.push({ name, ok: false, note: `smoke test failed: ${errorText(e)}` });
    }
  }
  throw new Error(
    `No other backend could take over from ${failed}: ${
      attempts
        .slice(1)
        .map((a) => `${a.name}: ${a.note}`)
        .join('; ') || 'none left to try'
    }.`,
  );
}

export { errorText };

async function deviceKey(probe: (name: BackendName) => Promise<DeviceProbe>): Promise<string> {
  const parts: string[] = [];
  for (const name of ['webgpu', 'webgl', 'wasm'] as const) parts.push(`${name}: ${(await probe(name)).detail}`);
  return parts.join(' | ');
}

const rate = (r: { name: BackendName; samplesPerSec: number }) =>
  `${r.name} ${Math.round(r.samplesPerSec).toLocaleString('en-US')} samples/s`;

/**
 * The fastest of `candidates` on this device: from an earlier visit's measurement when the device
 * is the same, else measured now (each candidate smoke-tested, then timed). Null when none works.
 */
async function calibrated(
  candidates: BackendName[],
  key: string,
  tryOne: (name: BackendName, check?: () => Promise<unknown>) => Promise<boolean>,
  env: BackendEnv,
  options: SelectOptions,
): Promise<{ name: BackendName; reason: string; calibration: Calibration } | null> {
  const remembered = options.remembered;
  if (remembered && remembered.deviceKey === key && remembered.results.length > 0) {
    for (const r of remembered.results) {
      if (candidates.includes(r.name) && (await tryOne(r.name))) {
        const when = new Date(remembered.measuredAt).toISOString().slice(0, 10);
        return {
          name: r.name,
          reason: `${r.name} was measured fastest on this device (${remembered.results.map(rate).join(', ')}; measured ${when}).`,
          calibration: remembered,
        };
      }
    }
  }
  const clock = options.clock ?? Date.now; // the worker passes performance.now
  const measure = options.measure ?? (() => measureTrainingSpeed(clock));
  const started = clock();
  const results: Calibration['results'] = [];
  for (const name of candidates) {
    // The measurement is a real training run: it is the smoke test too, and compiles its kernels once, not twice.
    let samplesPerSec = 0;
    if (await tryOne(name, async () => (samplesPerSec = await measure()))) results.push({ name, samplesPerSec });
  }
  if (results.length === 0) return null;
  results.sort((a, b) => b.samplesPerSec - a.samplesPerSec);
  const best = results[0].name;
  if (!(await env.activate(best))) return null;
  const calibration: Calibration = { deviceKey: key, results, measuredAt: Date.now() };
  const took = ((clock() - started) / 1000).toFixed(1);
  return { name: best, reason: `${best} measured fastest here (${results.map(rate).join(', ')}; measured in ${took} s).`, calibration };
}
