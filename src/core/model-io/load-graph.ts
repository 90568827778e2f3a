import * as tf from '@tensorflow/tfjs';
import { ModelIoError, clip, formatShape, libraryDetail } from './errors';
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
      throw new ModelIoError(
        'weight-mismatch',
        `'${jsonName}' has no weight for the graph's constant '${clip(n.name)}': its weightsManifest does not match its graph.`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The graph's structure, checked before tfjs reads it: tfjs trusts every field (a node without an op,
// an input naming no node, a missing "versions" all end in a TypeError after the weights are decoded).

function malformed(jsonName: string, why: string): ModelIoError {
  return new ModelIoError('not-a-model', `'${jsonName}' is not a graph model the studio can read: ${why}.`);
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
/** Names tfjs would look up in a plain object, where '__proto__' or 'constructor' already mean something. */
const isReservedName = (name: string): boolean => Object.hasOwn(Object.prototype, name);

/** Nodes of a graph or of one of its functions: each named once, with an op, taking inputs from nodes that exist. */
function checkNodes(jsonName: string, list: unknown, where: string, extraNames: readonly string[] = []): void {
  if (!Array.isArray(list)) throw malformed(jsonName, `${where} has no list of nodes ("node")`);
  const names = new Set<string>(extraNames);
  for (const [i, n] of list.entries()) {
    if (!isRecord(n) || typeof n.name !== 'string' || n.name === '') throw malformed(jsonName, `node ${i} of ${where} has no name`);
    const name = clip(n.name);
    if (isReservedName(n.name)) throw malformed(jsonName, `a node of ${where} is named '${name}', which is reserved`);
    if (names.has(n.name)) throw malformed(jsonName, `two nodes of ${where} are named '${name}'`);
    names.add(n.name);
    if (typeof n.op !== 'string' || n.op === '') throw malformed(jsonName, `node '${name}' of ${where} has no op`);
    if (n.input !== undefined && !isStringArray(n.input))
      throw malformed(jsonName, `node '${name}' of ${where} has a malformed list of inputs`);
    if (n.attr !== undefined && n.attr !== null && !isRecord(n.attr))
      throw malformed(jsonName, `node '${name}' of ${where} has malformed attributes`);
  }
  for (const n of list as { name: string; input?: string[] }[]) {
    for (const input of n.input ?? []) {
      if (!names.has(nodeName(input).split(':')[0])) {
        throw malformed(jsonName, `node '${clip(n.name)}' of ${where} takes input '${clip(input)}', which is not a node of it`);
      }
    }
  }
}

function checkArgs(v: unknown): boolean {
  return Array.isArray(v) && v.every((a) => isRecord(a) && typeof a.name === 'string');
}

/** Functions (the bodies of control-flow ops): a signature with named arguments, nodes, and what they return. */
function checkLibrary(jsonName: string, library: unknown): void {
  if (library === undefined || library === null) return;
  if (!isRecord(library)) throw malformed(jsonName, 'its function library must be an object');
  const functions = library.function;
  if (functions === undefined || functions === null) return;
  if (!Array.isArray(functions)) throw malformed(jsonName, 'its function library has no list of functions');
  for (const [i, f] of functions.entries()) {
    const sig = isRecord(f) ? f.signature : undefined;
    if (
      !isRecord(f) ||
      !isRecord(sig) ||
      typeof sig.name !== 'string' ||
      !checkArgs(sig.inputArg ?? []) ||
      !checkArgs(sig.outputArg ?? [])
    ) {
      throw malformed(jsonName, `function ${i} of its library has a malformed signature`);
    }
    if (f.ret !== undefined && !(isRecord(f.ret) && Object.values(f.ret).every((r) => typeof r === 'string'))) {
      throw malformed(jsonName, `function '${clip(sig.name)}' of its library has a malformed list of outputs`);
    }
    const args = ((sig.inputArg ?? []) as { name: string }[]).map((a) => a.name.split(':')[0]);
    if (f.nodeDef !== undefined && f.nodeDef !== null) checkNodes(jsonName, f.nodeDef, `function '${clip(sig.name)}'`, args);
  }
}

/** A signature maps keys to tensors by name: {"inputs": {"x": {"name": "x:0", …}}, "outputs": {…}}. */
function checkSignature(jsonName: string, signature: unknown): void {
  if (signature === undefined || signature === null) return;
  const entriesOk = (v: unknown) =>
    v === undefined || v === null || (isRecord(v) && Object.values(v).every((e) => isRecord(e) && typeof e.name === 'string'));
  if (!isRecord(signature) || !entriesOk(signature.inputs) || !entriesOk(signature.outputs))
    throw malformed(jsonName, 'its signature is malformed');
}

/** The artifacts with the graph checked, and "versions" (which only names the converter) filled in when absent. */
function checkedArtifacts(jsonName: string, doc: ModelJsonDoc, artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const topo: Record<string, unknown> = { ...doc.modelTopology };
  if (!Array.isArray(topo.node)) {
    const said = doc.format === 'graph-model' ? ' (it says "format": "graph-model")' : '';
    throw malformed(jsonName, `its modelTopology has no list of nodes ("node")${said}`);
  }
  checkNodes(jsonName, topo.node, 'the graph');
  checkLibrary(jsonName, topo.library);
  checkSignature(jsonName, doc.signature);
  checkSignature(jsonName, doc.userDefinedMetadata?.signature);
  const meta = doc.userDefinedMetadata?.structuredOutputKeys;
  if (meta !== undefined && !isStringArray(meta)) throw malformed(jsonName, 'its structuredOutputKeys are not a list of names');
  return { ...artifacts, modelTopology: { ...topo, versions: isRecord(topo.versions) ? topo.versions : {} } };
}

function graphLoadError(jsonName: string, e: unknown): ModelIoError {
  if (e instanceof ModelIoError) return e;
  const detail = libraryDetail(e);
  return new ModelIoError(
    'load-failed',
    detail === undefined
      ? `Could not load the graph model in '${jsonName}': a node's attributes have fields of the wrong type or missing, so TensorFlow.js cannot read them.`
      : `Could not load the graph model in '${jsonName}': ${detail}`,
  );
}

function disposeQuietly(model: tf.GraphModel): void {
  try {
    model.dispose();
  } catch {
    // Half-loaded: nothing of it holds tensors (the load's scope disposed them).
  }
}

/**
 * The graph model, loaded synchronously inside a tidy scope so that a failure half-way (after the
 * weights are decoded) disposes them; on success the scope keeps exactly the model's weights.
 */
function loadGraph(jsonName: string, artifacts: tf.io.ModelArtifacts): tf.GraphModel {
  const model = new tf.GraphModel(tf.io.fromMemory(artifacts));
  try {
    tf.tidy(() => {
      model.loadSync(artifacts);
      return model.weights as tf.TensorContainer;
    });
  } catch (e) {
    disposeQuietly(model);
    throw graphLoadError(jsonName, e);
  }
  return model;
}

/** A graph model from model.json and checked weights; inference only (tfjs cannot train a GraphModel). */
export async function loadGraphPredictor(jsonName: string, doc: ModelJsonDoc, artifacts: tf.io.ModelArtifacts): Promise<Predictor> {
  const checked = checkedArtifacts(jsonName, doc, artifacts);
  const nodes = graphNodes(doc.modelTopology);
  checkConstsHaveWeights(jsonName, nodes, doc);
  const model = loadGraph(jsonName, checked);
  try {
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new ModelIoError(
        'unsupported-model',
        `The graph model has ${model.inputs.length} input(s) and ${model.outputs.length} output(s); the studio needs exactly one of each.`,
      );
    }
    const input = model.inputs[0];
    if (input.dtype !== undefined && input.dtype !== 'float32') {
      throw new ModelIoError(
        'unsupported-model',
        `The graph model's input is ${clip(String(input.dtype))}; the studio feeds float32 features.`,
      );
    }
    const shape = (input.shape ?? []).slice(1);
    if (input.shape === undefined || !shape.every((d) => d > 0)) {
      throw new ModelIoError(
        'unsupported-model',
        `The graph model's input shape ${formatShape(input.shape ?? [])} has unknown sizes; the studio needs a fixed input size.`,
      );
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
    disposeQuietly(model);
    throw graphLoadError(jsonName, e);
  }
}
