import * as tf from '@tensorflow/tfjs';
import { hackEnabled } from './versions';

/** A weight as Layer.addWeight returns it (a LayerVariable). */
export interface MadeWeight {
  dispose(): void;
}
const isMadeWeight = (v: unknown): v is MadeWeight =>
  typeof v === 'object' && v !== null && 'dispose' in v && typeof v.dispose === 'function';

/**
 * Layer.addWeight is protected in tfjs-layers 4.22's typings; every weight of every built-in layer
 * goes through it, and apply is where a layer is built. Patched only inside withLayerBuildWatched.
 */
type Method = (this: unknown, ...args: unknown[]) => unknown;
const isMethod = (v: unknown): v is Method => typeof v === 'function';

function layerMethods(): { proto: object; addWeight: Method; apply: Method } {
  const proto: object = tf.layers.Layer.prototype;
  const addWeight: unknown = Reflect.get(proto, 'addWeight');
  const apply: unknown = Reflect.get(proto, 'apply');
  if (!isMethod(addWeight) || !isMethod(apply))
    throw new Error("tfjs's Layer has no addWeight or apply method any more: models cannot be loaded watched.");
  return { proto, addWeight, apply };
}

/** tfjs's class registry: class name → [constructor, fromConfig]. Public, but patched below. */
function classRegistry() {
  return tf.serialization.SerializationMap.getMap().classNameMap;
}

/** Whether tfjs knows a serializable class (a layer, say) by this name; only the registry's own keys count. */
export function isRegisteredClass(className: string): boolean {
  return Object.hasOwn(classRegistry(), className);
}

/** What withLayerBuildWatched reports while layers are built. */
export interface LayerBuildWatch {
  /** Before a layer makes a weight: throw to refuse it (nothing is allocated yet). */
  beforeWeight(layerName: string, weightName: string, shape: readonly (number | null)[]): void;
  /** Each weight made; its initial value is zeros (whatever the layer's initializer). */
  madeWeight(weight: MadeWeight): void;
  /** A layer's construction (its class's fromConfig) or build (apply) threw: innermost first. */
  layerFailed(layerName: unknown, className: string): void;
}

/** Whether models can be built watched here (on the tfjs-layers it was written for). */
export function layerBuildWatchable(): boolean {
  return hackEnabled('layer-build-watch');
}

/**
 * Runs `build` (synchronous) with tfjs's layer machinery watched: Layer.prototype.addWeight and
 * apply, and the fromConfig of each class in `classNames`, wrapped for the duration of the call and
 * restored before it returns, so no other code ever sees them. Throws if not layerBuildWatchable().
 */
export function withLayerBuildWatched<T>(classNames: readonly string[], watch: LayerBuildWatch, build: () => T): T {
  if (!layerBuildWatchable()) throw new Error('Watching a layer build is off on this tfjs (see internalsStatus).');
  const { proto, addWeight, apply } = layerMethods();
  Reflect.set(
    proto,
    'addWeight',
    function (
      this: tf.layers.Layer,
      name: string,
      shape: (number | null)[],
      dtype: unknown,
      _initializer: unknown,
      ...rest: unknown[]
    ): MadeWeight {
      const [regularizer, trainable, constraint] = rest;
      watch.beforeWeight(this.name, name, shape);
      // addWeight makes the initial value, then the variable; should the variable fail (a bad name), the value is freed here.
      let initial: tf.Tensor | undefined;
      const zeros = { apply: (s: number[], d?: tf.DataType) => (initial = tf.zeros(s, d)) };
      try {
        const weight = addWeight.call(this, name, shape, dtype, zeros, regularizer, trainable, constraint, () => zeros);
        if (!isMadeWeight(weight)) throw new Error('Layer.addWeight returned no weight.');
        watch.madeWeight(weight);
        return weight;
      } catch (e) {
        if (initial && !initial.isDisposed) initial.dispose();
        throw e;
      }
    },
  );
  Reflect.set(proto, 'apply', function (this: tf.layers.Layer, ...args: unknown[]): unknown {
    try {
      return apply.apply(this, args);
    } catch (e) {
      watch.layerFailed(this.name, this.getClassName());
      throw e;
    }
  });
  const registry = classRegistry();
  const saved = new Map<string, (typeof registry)[string]>();
  for (const className of classNames) {
    const entry = registry[className];
    if (!entry) continue;
    const [cls, fromConfig] = entry;
    if (typeof fromConfig !== 'function') continue;
    saved.set(className, entry);
    registry[className] = [
      cls,
      (c, config, ...rest) => {
        try {
          return fromConfig(c, config, ...rest);
        } catch (e) {
          watch.layerFailed(typeof config === 'object' && config !== null && 'name' in config ? config.name : undefined, className);
          throw e;
        }
      },
    ];
  }
  try {
    return build();
  } finally {
    Reflect.set(proto, 'addWeight', addWeight);
    Reflect.set(proto, 'apply', apply);
    for (const [className, entry] of saved) registry[className] = entry;
  }
}

/**
 * tfjs-layers 4.22's Dropout keeps its seed in a private `seed` field, read on every call: one
 * fixed seed would freeze the mask. Sets it; false (and nothing changed) on another tfjs-layers.
 * Throws when a Dropout layer no longer has the field.
 */
export function setDropoutSeed(layer: tf.layers.Layer, seed: number): boolean {
  if (!hackEnabled('dropout-seed')) return false;
  if (layer.getClassName() !== 'Dropout')
    throw new Error(`setDropoutSeed: '${layer.name}' is a ${layer.getClassName()}, not a Dropout layer.`);
  if (!Object.hasOwn(layer, 'seed')) throw new Error("tfjs's Dropout layer has no seed field any more: dropout cannot be seeded.");
  Reflect.set(layer, 'seed', seed);
  return true;
}
