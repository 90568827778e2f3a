import { isRegisteredClass } from '../tfjs-internals';
import { ModelIoError, clip } from './errors';
import { present } from '../present';

/**
 * Deepest nesting of arrays and objects model.json may have. Real models stay far below (a layer in a
 * model nested in a model is about 10 levels down); tfjs walks the topology recursively, so a file nested
 * thousands deep would overflow its stack rather than be refused.
 */
export const MAX_JSON_DEPTH = 100;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function tooDeepError(fileName: string): ModelIoError {
  return new ModelIoError(
    'not-a-model',
    `'${fileName}' is nested too deeply (over ${MAX_JSON_DEPTH} levels): it is not a model the studio can read.`,
  );
}

/** Throws tooDeepError when arrays and objects in `value` nest more than MAX_JSON_DEPTH deep (walked without recursion). */
export function checkJsonDepth(fileName: string, value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = present(stack.pop());
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) throw tooDeepError(fileName);
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
}

/**
 * Class names of every layer in a Keras topology, nested models, wrapped layers and RNN cells included,
 * in document order. Walked without recursion, and refused (ModelIoError) past MAX_JSON_DEPTH levels.
 */
export function layerClassNames(topology: unknown, fileName = 'model.json'): string[] {
  const found = new Set<string>();
  const root = isRecord(topology) && isRecord(topology.model_config) ? topology.model_config : topology;
  // Children are pushed in reverse so that they come off the stack in document order.
  const stack: [unknown, number][] = [[root, 0]];
  const push = (children: readonly unknown[], depth: number) => {
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth]);
  };
  while (stack.length > 0) {
    const [node, depth] = present(stack.pop());
    if (depth > MAX_JSON_DEPTH) throw tooDeepError(fileName);
    if (Array.isArray(node)) {
      push(node, depth + 1);
      continue;
    }
    if (!isRecord(node) || typeof node.class_name !== 'string') continue;
    found.add(node.class_name);
    const config = node.config;
    // Old Sequential configs are the bare list of layers.
    if (Array.isArray(config)) push(config, depth + 1);
    if (!isRecord(config)) continue;
    push([config.layers, config.layer, config.backward_layer, config.cell, config.cells], depth + 1);
  }
  return [...found];
}

/**
 * The first layer class tfjs has no registration for. Checked before deserializing because tfjs
 * fails half-way through, leaving the layers it already built (and their weights) allocated. Only the
 * map's own keys count: '__proto__' or 'toString' are not layers just because every object has them.
 */
export function firstUnknownLayer(topology: unknown, fileName = 'model.json'): string | undefined {
  const unknown = layerClassNames(topology, fileName).find((name) => !isRegisteredClass(name));
  return unknown === undefined ? undefined : clip(unknown);
}
