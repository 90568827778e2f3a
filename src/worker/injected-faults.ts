import type { BackendEnv } from '../core/backend';
import type { FaultInjection } from '../core/faults';

/**
 * TEST-ONLY fault injection: `?inject=` in the page URL, passed in 'init' (see core/faults.ts).
 * Used only behind `if (TEST_HOOKS)`, so the product bundle has none of it. Each fault fires once.
 */
export class InjectedFaults {
  constructor(private injection: FaultInjection | null) {}

  /** ?inject=backend-failure@N: the epoch at which the next run fails as a broken backend would. */
  takeFailAtEpoch(): number | undefined {
    if (this.injection?.kind !== 'backend-failure') return undefined;
    const { epoch } = this.injection;
    this.injection = null;
    return epoch;
  }

  /** ?inject=pretend-hardware-gpu: the backend choice sees this machine's software GPUs as hardware, and measures them. */
  backends(env: BackendEnv): BackendEnv {
    if (this.injection?.kind !== 'pretend-hardware-gpu') return env;
    return {
      ...env,
      probe: async (name) => {
        const p = await env.probe(name);
        return p.software ? { ...p, software: false, detail: `${p.detail} (treated as hardware: ?inject=pretend-hardware-gpu)` } : p;
      },
    };
  }

  /** ?inject=worker-crash: the next 'distill' makes the worker throw an uncaught error, as a crash would. */
  maybeCrash(): void {
    if (this.injection?.kind !== 'worker-crash') return;
    this.injection = null;
    setTimeout(() => {
      throw new Error('Injected worker crash (?inject=worker-crash, for tests).');
    });
  }
}
