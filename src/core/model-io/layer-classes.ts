import * as tf from '@tensorflow/tfjs';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Class names of every layer in a Keras topology, nested models and wrapped layers included. */
export function layerClassNames(topology: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isRecord(node) || typeof node.class_name !== 'string') return;
    found.add(node.class_name);
    const config = node.config;
    // Old Sequential configs are the bare list of layers.
    if (Array.isArray(config)) config.forEach(visit);
    if (!isRecord(config)) return;
    visit(config.layers);
    visit(config.layer);
    visit(config.backward_layer);
  };
  visit(isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology);
  return [...found];
}

/**
 * The first layer class tfjs has no registration for. Checked before deserializing because tfjs
 * fails half-way through, leaving the layers it already built (and their weights) allocated.
 */
export function firstUnknownLayer(topology: unknown): string | undefined {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  return layerClassNames(topology).find((name) => !(name in known));
}
