import * as tf from '@tensorflow/tfjs';
import type { BackendEnv, BackendName, DeviceProbe } from './backend';

/**
 * A fake platform for backend tests: each backend's probe as given (else available hardware), and
 * every "activation" really runs on tfjs's CPU backend, so smoke tests and measurements are real.
 */
export function fakeEnv(
  probes: Partial<Record<BackendName, DeviceProbe>>,
  failing: BackendName[] = [],
): BackendEnv & { activated: BackendName[] } {
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
