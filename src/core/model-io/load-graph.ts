import * as tf from '@tensorflow/tfjs';
import { ModelIoError, errorMessage, formatShape } from './errors';
import type { ModelJsonDoc } from './types';
import type { Predictor } from './wrap';

interface GraphNode {
  name: string;
  op: string;
  input: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function graphNodes(topology: object): Map<string, GraphNode> {
  const nodes = new Map<string, GraphNode>();
  const topo: Record<string, unknown> = { ...topology };
  const list = topo.node;
  if (!Array.isArray(list)) return nodes;
  for (const n of list) {
    if (!isRecord(n) || typeof n.name !== 'string' || typeof n.op !== 'string') continue;
    const input = Array.isArray(n.input) ? n.input.filter((i): i is string => typeof i === 'string') : [];
    nodes.set(n.name, { name: n.name, op: n.op, input });
  }
  return nodes;
}

/** 'Identity:0' and '^Foo' name the node 'Identity' and 'Foo'. */
function nodeName(ref: string): string {
  return ref.replace(/^\^/, '').replace(/:\d+$/, '');
}

const PASS_THROUGH = new Set(['Identity', 'IdentityN', 'StopGradient', 'Snapshot']);

/** Converted models usually end Softmax -> Identity; look through such pass-through ops. */
function outputIsSoftmax(nodes: Map<string, GraphNode>, output: string): boolean {
  let node = nodes.get(nodeName(output));
  for (let hops = 0; node && PASS_THROUGH.has(node.op) && hops < 100; hops++) {
    const data = node.input.find((i) => !i.startsWith('^'));
    node = data === undefined ? undefined : nodes.get(nodeName(data));
  }
  return node?.op === 'Softmax';
}

function checkConstsHaveWeights(jsonName: string, nodes: Map<string, GraphNode>, doc: ModelJsonDoc): void {
  const names = new Set(doc.weightsManifest.flatMap((g) => g.weights.map((w) => w.name)));
  for (const n of nodes.values()) {
    if (n.op === 'Const' && !names.has(n.name)) {
      throw new ModelIoError('weight-mismatch', `'${jsonName}' has no weight for the graph's constant '${n.name}': its weightsManifest does not match its graph.`);
    }
  }
}

/** A graph model from model.json and checked weights; inference only (tfjs cannot train a GraphModel). */
export async function loadGraphPredictor(jsonName: string, doc: ModelJsonDoc, artifacts: tf.io.ModelArtifacts): Promise<Predictor> {
  const nodes = graphNodes(doc.modelTopology);
  checkConstsHaveWeights(jsonName, nodes, doc);
  let model: tf.GraphModel;
  try {
    model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    throw new ModelIoError('load-failed', `Could not load the graph model: ${errorMessage(e)}`);
  }
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new ModelIoError(
        'unsupported-model',
        `The graph model has ${model.inputs.length} input(s) and ${model.outputs.length} output(s); the studio needs exactly one of each.`,
      );
    }
    const input = model.inputs[0];
    if (input.dtype !== undefined && input.dtype !== 'float32') {
      throw new ModelIoError('unsupported-model', `The graph model's input is ${input.dtype}; the studio feeds float32 features.`);
    }
    const shape = (input.shape ?? []).slice(1);
    if (input.shape === undefined || !shape.every((d) => d > 0)) {
      throw new ModelIoError('unsupported-model', `The graph model's input shape ${formatShape(input.shape ?? [])} has unknown sizes; the studio needs a fixed input size.`);
    }
    const graph = model;
    return {
      kind: 'graph',
      inputShape: shape,
      structuralSoftmax: outputIsSoftmax(nodes, graph.outputNodes[0]),
      run: (x) => {
        const out = graph.execute(x);
        return Array.isArray(out) ? out[0] : out;
      },
      dispose: () => graph.dispose(),
    };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
