import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { OnnxError, readOnnxInfo } from './index';
import {
  cnnNchwOnnx,
  customOpOnnx,
  externalDataOnnx,
  int64InputOnnx,
  mlpOnnx,
  onnxModel,
  opsetOnnx,
  randomCnnWeights,
  randomMlpWeights,
  softmaxOnnx,
  twoOutputsOnnx,
} from './test-onnx-models';

const w = randomMlpWeights(4, 5, 3, 1);

function refusal(bytes: Uint8Array, fileName = 'model.onnx'): string {
  try {
    readOnnxInfo(bytes, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxError);
    return (e as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('readOnnxInfo', () => {
  it("reads an MLP's inputs, outputs, opset, ops, parameter count and weight size", () => {
    const info = readOnnxInfo(mlpOnnx(w), 'mlp.onnx');
    expect(info.inputs).toEqual([{ name: 'input', elemType: 'float32', dims: ['N', 4] }]);
    expect(info.outputs).toEqual([{ name: 'logits', elemType: 'float32', dims: ['N', 3] }]);
    expect(info.opset).toBe(17);
    expect(info.ops).toEqual(['Gemm', 'Relu']);
    const params = 5 * 4 + 5 + 3 * 5 + 3;
    expect(info.params).toBe(params);
    // b1 is stored in float_data, the others in raw_data: both count.
    expect(info.weightBytes).toBe(params * 4);
    expect(info.externalData).toBe(false);
    expect(info.endsInSoftmax('logits')).toBe(false);
  });

  it('reads a fixed batch dimension and per-sample dims', () => {
    const info = readOnnxInfo(mlpOnnx(randomMlpWeights(12, 2, 2, 1), { batch: 8, sampleDims: [2, 2, 3] }), 'm.onnx');
    expect(info.inputs[0].dims).toEqual([8, 2, 2, 3]);
    expect(info.ops).toEqual(['Flatten', 'Gemm', 'Relu']);
  });

  it("reads a CNN's ops and NCHW input", () => {
    const cw = randomCnnWeights({ height: 4, width: 4, channels: 1, filters: 2, classes: 3 }, 1);
    const info = readOnnxInfo(cnnNchwOnnx(cw), 'cnn.onnx');
    expect(info.inputs[0].dims).toEqual(['batch', 1, 4, 4]);
    expect(info.ops).toEqual(['BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu']);
    expect(info.params).toBe(2 * 9 + 2 + 4 * 2 + 3 * 2 * 2 * 2 + 3);
  });

  it('knows which output a Softmax produces, and lists every output', () => {
    expect(readOnnxInfo(softmaxOnnx(w), 's.onnx').endsInSoftmax('probs')).toBe(true);
    const throughIdentity = onnxModel({
      nodes: [
        { op: 'Softmax', inputs: ['x'], outputs: ['p'], attrs: { axis: 1 } },
        { op: 'Identity', inputs: ['p'], outputs: ['probs'] },
        { op: 'Relu', inputs: ['p'], outputs: ['r'] },
      ],
      initializers: [],
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [
        { name: 'probs', dims: ['N', 3] },
        { name: 'r', dims: ['N', 3] },
      ],
    });
    const info = readOnnxInfo(throughIdentity, 'i.onnx');
    expect(info.endsInSoftmax('probs')).toBe(true);
    expect(info.endsInSoftmax('r')).toBe(false);
    expect(info.endsInSoftmax('x')).toBe(false);
    const two = readOnnxInfo(twoOutputsOnnx(w), 't.onnx');
    expect(two.outputs.map((o) => o.name)).toEqual(['hidden', 'logits']);
  });

  it('does not count initializers listed as graph inputs (IR 3 exporters) as model inputs', () => {
    const info = readOnnxInfo(
      onnxModel({
        nodes: [{ op: 'Add', inputs: ['x', 'b'], outputs: ['y'] }],
        initializers: [{ name: 'b', dims: [2], values: [1, 2] }],
        inputs: [{ name: 'x', dims: ['N', 2] }],
        outputs: [{ name: 'y', dims: ['N', 2] }],
        initializersAsInputs: true,
        irVersion: 3,
      }),
      'old.onnx',
    );
    expect(info.inputs.map((i) => i.name)).toEqual(['x']);
  });

  it('names ops of other domains with their domain, and an int64 input its type', () => {
    expect(readOnnxInfo(customOpOnnx(w), 'c.onnx').ops).toContain('com.example:MyOp');
    expect(readOnnxInfo(int64InputOnnx(w), 'i.onnx').inputs[0]).toEqual({ name: 'ids', elemType: 'int64', dims: ['N', 4] });
  });

  it('refuses external-data weights, naming the tensor and the file they are in', () => {
    expect(refusal(externalDataOnnx(w), 'big.onnx')).toMatch(
      /^big\.onnx: its weights are stored in another file \(external data: "w1" in "weights\.bin"\).*save_as_external_data=False/,
    );
  });

  it('refuses opsets ONNX Runtime 1.30 does not run (over 26, under 7), and accepts 26', () => {
    expect(refusal(opsetOnnx(w, 99))).toMatch(/^model\.onnx: ONNX opset 99 is not supported: ONNX Runtime 1\.30 runs opsets 7 to 26/);
    expect(refusal(opsetOnnx(w, 27))).toMatch(/opset 27 is not supported/);
    expect(refusal(opsetOnnx(w, 6))).toMatch(/opset 6 is not supported/);
    expect(readOnnxInfo(opsetOnnx(w, 26), 'm.onnx').opset).toBe(26);
  });

  it('refuses what is not an ONNX model, saying what it looks like or where the reading failed', () => {
    expect(refusal(new Uint8Array(), 'empty.onnx')).toBe('empty.onnx: not an ONNX model (the file is empty)');
    expect(refusal(strToU8('{"modelTopology": {}}'), 'model.json')).toMatch(/^model\.json: not an ONNX model \(it is JSON text/);
    expect(refusal(zipSync({ 'a.txt': strToU8('x') }), 'model.pt')).toMatch(/^model\.pt: not an ONNX model \(it is a zip archive/);
    expect(refusal(strToU8('hello world, this is text'), 'notes.onnx')).toMatch(/^notes\.onnx: not an ONNX model \(.*at byte \d+/);
    const bytes = mlpOnnx(w);
    expect(refusal(bytes.slice(0, bytes.length - 10), 'cut.onnx')).toMatch(
      /^cut\.onnx: not an ONNX model \(malformed protobuf at byte \d+, in the model: a field runs past the end of its message\)$/,
    );
    // A valid protobuf message that holds no graph.
    expect(refusal(Uint8Array.from([0x08, 0x07]), 'nograph.onnx')).toBe('nograph.onnx: not an ONNX model (no graph)');
  });

  it('says where in the model a malformed field is', () => {
    const spec = {
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 2] }],
    };
    const bytes = onnxModel(spec);
    // Corrupt the op_type's length (field 4 of the first node) so that it runs past the node's end.
    const opType = bytes.indexOf(0x22, bytes.indexOf(0x0a, 2) + 2); // tag 4<<3|2 inside the graph
    const corrupted = bytes.slice();
    corrupted[opType + 1] = 0x7f;
    expect(refusal(corrupted)).toMatch(
      /^model\.onnx: not an ONNX model \(malformed protobuf at byte \d+, in graph\.node\[0\]: a field runs past/,
    );
  });

  it('refuses a model without inputs or outputs', () => {
    const constantOnly = onnxModel({
      nodes: [{ op: 'Identity', inputs: ['c'], outputs: ['y'] }],
      initializers: [{ name: 'c', dims: [1, 2], values: [1, 2] }],
      inputs: [],
      outputs: [{ name: 'y', dims: [1, 2] }],
    });
    expect(refusal(constantOnly)).toMatch(/^model\.onnx: the model has no inputs/);
    const noOutputs = onnxModel({ nodes: [], initializers: [], inputs: [{ name: 'x', dims: ['N', 2] }], outputs: [] });
    expect(refusal(noOutputs)).toBe('model.onnx: the model has no outputs');
  });
});
