import * as tf from '@tensorflow/tfjs';
import { hardCrossEntropy } from './losses';
import { minimizeStep, trainableVariables } from './tensors';
import type { BackendName } from './backend-names';

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
}

/** The platform-specific parts, supplied by the worker (or by tests). */
export interface BackendEnv {
  probe(name: BackendName): Promise<DeviceProbe>;
  /** Makes `name` the active tfjs backend; false when it cannot initialise. */
  activate(name: BackendName): Promise<boolean>;
}

/** One real training step (forward, backward, Adam update, a read): missing kernels show here, not mid-run. */
export async function smokeTrainStep(): Promise<void> {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 2 })] });
  const optimizer = tf.train.adam(0.01);
  try {
    const loss = tf.tidy(() =>
      minimizeStep(
        optimizer,
        () => {
          const logits = model.apply(tf.tensor2d([[1, 2, 3], [0, -1, 0.5]]), { training: true }) as tf.Tensor2D;
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

/**
 * Picks the backend to train on. Without `forced`, hardware GPUs come first, then wasm; a software
 * GPU only ranks above cpu (WebGL) or last (WebGPU), because on a machine without a GPU it is
 * tens of times slower than wasm. A forced backend that fails falls back, and says so.
 */
export async function selectBackend(env: BackendEnv, forced?: BackendName): Promise<BackendInfo> {
  const attempts: BackendAttempt[] = [];
  const probes = new Map<BackendName, DeviceProbe>();
  const probe = async (name: BackendName) => {
    let p = probes.get(name);
    if (!p) {
      p = await env.probe(name).catch((e: unknown) => ({ available: false, software: false, detail: errorText(e) }));
      probes.set(name, p);
    }
    return p;
  };
  const tryOne = async (name: BackendName): Promise<boolean> => {
    const p = await probe(name);
    if (!p.available) {
      attempts.push({ name, ok: false, note: `not available: ${p.detail}` });
      return false;
    }
    try {
      if (!(await env.activate(name))) throw new Error('failed to initialise');
      await smokeTrainStep();
      attempts.push({ name, ok: true, note: p.detail });
      return true;
    } catch (e) {
      attempts.push({ name, ok: false, note: `smoke test failed: ${errorText(e)}` });
      return false;
    }
  };
  const info = (name: BackendName, reason: string): BackendInfo => ({ name, reason, detail: probes.get(name)?.detail ?? '', attempts });

  if (forced) {
    if (await tryOne(forced)) return info(forced, `${forced} was asked for in the URL (?backend=${forced}).`);
  }
  const order: BackendName[] = [];
  for (const name of ['webgpu', 'webgl'] as const) if (!(await probe(name)).software) order.push(name);
  order.push('wasm');
  if ((await probe('webgl')).software) order.push('webgl');
  order.push('cpu');
  if ((await probe('webgpu')).software) order.push('webgpu');

  for (const name of order) {
    if (name === forced) continue;
    if (await tryOne(name)) {
      const skipped = attempts.filter((a) => !a.ok).map((a) => `${a.name} (${a.note})`);
      const softwareSkipped = (['webgpu', 'webgl'] as const).filter((b) => probes.get(b)?.software && order.indexOf(b) > order.indexOf(name));
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

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
