import initWabt from 'wabt';

/**
 * simd-adam.wat assembled with wabt, for a plain memory and for a shared one (threaded tfjs builds)
 * from the same text. Plain TypeScript (no Node APIs), so that simd-adam.test.ts can run it too;
 * scripts/assemble-wat.ts writes the result out.
 */

/** The memory import as the .wat writes it (a plain memory), and as a threaded tfjs build needs it. */
const PLAIN_MEMORY = '(import "env" "memory" (memory 0))';
/** A shared memory must declare a maximum: 65536 pages (4 GiB), the most there is, so any heap fits. */
const SHARED_MEMORY = '(import "env" "memory" (memory 0 65536 shared))';

async function assemble(name: string, text: string): Promise<Uint8Array> {
  const wabt = await initWabt();
  const features = { simd: true, threads: true };
  const module = wabt.parseWat(name, text, features);
  try {
    // validate() takes the features again (its typings omit the argument).
    Reflect.apply(module.validate, module, [features]);
    return module.toBinary({ write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

/** The module for a plain memory and for a shared one, from the same text. */
export async function assembleSimdAdam(wat: string): Promise<{ plain: Uint8Array; shared: Uint8Array }> {
  if (wat.split(PLAIN_MEMORY).length !== 2) throw new Error(`simd-adam.wat must import its memory exactly once as ${PLAIN_MEMORY}.`);
  return {
    plain: await assemble('simd-adam.wat', wat),
    shared: await assemble('simd-adam.wat (shared)', wat.replace(PLAIN_MEMORY, SHARED_MEMORY)),
  };
}
