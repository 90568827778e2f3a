import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../test-setup';
import { ModelIoError, type ModelIoErrorCode } from './errors';
import { exportModel } from './export';
import { importModel } from './import';
import { exportedFiles } from './reload';
import { jsonFile, smallMlp, textFile, tinyGraphModel } from './test-fixtures';
import type { ExportedModel, ModelFile } from './types';

beforeAll(useCpuBackend);

let exported: ExportedModel;
let tensorsBefore: number;
beforeEach(async () => {
  const model = smallMlp(3);
  exported = await exportModel(model);
  model.dispose();
  tensorsBefore = tf.memory().numTensors;
});
// A refused import must not leave half-built models behind.
afterEach(() => expect(tf.memory().numTensors).toBe(tensorsBefore));

async function expectRefusal(files: ModelFile[], code: ModelIoErrorCode, message: RegExp): Promise<void> {
  const error = await importModel(files).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelIoError);
  if (error instanceof ModelIoError) {
    expect(error.message).toMatch(message);
    expect(error.code).toBe(code);
  }
}

/** The parts of an exported model.json these tests edit. */
interface EditableJson {
  modelTopology: { config: { layers: { class_name: string }[] } };
  weightsManifest: { weights: { name: string; shape: number[] }[] }[];
}

function withJson(edit: (json: EditableJson) => void): ModelFile[] {
  const json: EditableJson = JSON.parse(exported.modelJson);
  edit(json);
  return [jsonFile('model.json', json), { name: exported.weightsFileName, bytes: exported.weights }];
}

describe('importModel refuses, with a message that names the problem', () => {
  it('a missing shard', async () => {
    await expectRefusal(
      [exportedFiles(exported)[0]],
      'missing-shard',
      /^Missing weight file 'model\.weights\.bin': 'model\.json' lists it/,
    );
  });

  it('a truncated .bin', async () => {
    const [json] = exportedFiles(exported);
    const short = exported.weights.slice(0, exported.weights.byteLength - 8);
    const n = exported.weights.byteLength;
    await expectRefusal(
      [json, { name: 'model.weights.bin', bytes: short }],
      'truncated-weights',
      new RegExp(`'model\\.weights\\.bin' is truncated: 'model\\.json' needs ${n} bytes but the file holds ${n - 8}`),
    );
  });

  it('a misaligned .bin (extra bytes)', async () => {
    const [json] = exportedFiles(exported);
    const long = new Uint8Array(exported.weights.byteLength + 3);
    long.set(exported.weights);
    const n = exported.weights.byteLength;
    await expectRefusal(
      [json, { name: 'model.weights.bin', bytes: long }],
      'extra-weights',
      new RegExp(`holds ${n + 3} bytes but the manifest describes ${n} \\(3 extra\\)`),
    );
  });

  it('shards that together fall short', async () => {
    const json = JSON.parse(exported.modelJson);
    json.weightsManifest[0].paths = ['a.bin', 'b.bin'];
    const n = exported.weights.byteLength;
    await expectRefusal(
      [
        jsonFile('model.json', json),
        { name: 'a.bin', bytes: exported.weights.slice(0, 64) },
        { name: 'b.bin', bytes: exported.weights.slice(64, n - 4) },
      ],
      'truncated-weights',
      new RegExp(`^Weight files 'a\\.bin' \\+ 'b\\.bin' are truncated: 'model\\.json' needs ${n} bytes but they hold ${n - 4}`),
    );
  });

  it('shapes in the manifest that do not match the layers', async () => {
    const files = withJson((json) => {
      json.weightsManifest[0].weights[0].shape = [8, 4]; // same size, so only the shape check can tell
    });
    await expectRefusal(files, 'weight-mismatch', /^Weight '.+\/kernel' has shape \[8,4\] in 'model\.json' but layer '.+' expects \[4,8\]/);
  });

  it('a manifest with a weight the model does not have', async () => {
    const files = withJson((json) => {
      json.weightsManifest[0].weights[1].name = 'renamed/bias';
    });
    await expectRefusal(files, 'weight-mismatch', /has no weight '.+\/bias'/);
  });

  it('an unknown (custom) layer class', async () => {
    const files = withJson((json) => {
      json.modelTopology.config.layers[1].class_name = 'Foo';
    });
    await expectRefusal(files, 'unknown-layer', /^Unknown layer 'Foo': this model uses a custom layer that the studio cannot load/);
  });

  it('NaN weights', async () => {
    const weights = exported.weights.slice();
    const json = JSON.parse(exported.modelJson);
    const second = json.weightsManifest[0].weights[2]; // kernel of the output layer, after 4*8 + 8 floats
    new Float32Array(weights.buffer)[4 * 8 + 8 + 5] = NaN;
    const layer = second.name.split('/')[0];
    await expectRefusal(
      [jsonFile('model.json', json), { name: 'model.weights.bin', bytes: weights }],
      'nan-weights',
      new RegExp(`weights contain NaN in layer '${layer}'`),
    );
  });

  it('a JSON file that is not a model', async () => {
    await expectRefusal(
      [jsonFile('model.json', { hello: [1, 2, 3], modelTopology: 'no' })],
      'not-a-model',
      /^'model\.json' is not a TensorFlow\.js model/,
    );
  });

  it('a model.json that is not JSON at all', async () => {
    await expectRefusal([textFile('model.json', '<html>404</html>')], 'not-json', /^'model\.json' is not valid JSON/);
  });

  it('no model.json among the files', async () => {
    await expectRefusal(
      [jsonFile('labels.json', ['cat', 'dog']), { name: 'model.weights.bin', bytes: exported.weights }],
      'no-model-json',
      /^No model\.json among the files \(labels\.json, model\.weights\.bin\)/,
    );
  });

  it('a malformed manifest', async () => {
    const files = withJson((json) => {
      json.weightsManifest[0].weights[0].shape = [4, -8];
    });
    await expectRefusal(files, 'bad-manifest', /malformed weightsManifest: weight '.+' has an invalid shape \[4,-8\]/);
  });

  it('a graph model with an op tfjs cannot run', async () => {
    const [json, bin] = tinyGraphModel([1, 2, 3, 4, 5, 6], [0, 0]);
    const doc = JSON.parse(new TextDecoder().decode(json.bytes));
    doc.modelTopology.node[4].op = 'MyCustomOp';
    await expectRefusal([jsonFile('model.json', doc), bin], 'unknown-op', /^Unknown operation 'MyCustomOp'/);
  });
});

describe('importModel refuses a topology it cannot trust, without building it first', () => {
  interface Editable {
    modelTopology: { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    weightsManifest: { weights: Record<string, unknown>[] }[];
    [key: string]: unknown;
  }
  /** The export with model.json edited. */
  function edited(edit: (json: Editable) => void): ModelFile[] {
    const json: Editable = JSON.parse(exported.modelJson);
    edit(json);
    return [jsonFile('model.json', json), { name: exported.weightsFileName, bytes: exported.weights }];
  }

  it('a layer far larger than the weights (1e9 units), quickly and before allocating it', async () => {
    const start = performance.now();
    await expectRefusal(
      edited((json) => {
        json.modelTopology.config.layers[0].config.units = 1e9;
      }),
      'weight-mismatch',
      /^Weight '(.+)\/kernel' has shape \[4,8\] in 'model\.json' but layer '\1' expects \[4,1000000000\]/,
    );
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('a layer whose weight would have a size that is not a whole number, naming the layer', async () => {
    await expectRefusal(
      edited((json) => {
        json.modelTopology.config.layers[0].config.batch_input_shape = [null, 2.5];
      }),
      'load-failed',
      /^Layer '.+' in 'model\.json' would have a weight 'kernel' of shape \[2\.5,8\], which is not a valid size/,
    );
  });

  it('a layer config tfjs refuses, naming the layer and its class', async () => {
    await expectRefusal(
      edited((json) => {
        json.modelTopology.config.layers[1].config.units = '3';
      }),
      'load-failed',
      /^Could not build layer '.+' \(Dense\) of 'model\.json': .*units/,
    );
  });

  it('a top-level class that is a layer, not a model', async () => {
    await expectRefusal(
      edited((json) => {
        json.modelTopology.class_name = 'Dropout';
      }),
      'not-a-model',
      /^The topology in 'model\.json' describes a single 'Dropout' layer, not a model/,
    );
  });

  it("a layer class named after an object's own properties ('constructor')", async () => {
    await expectRefusal(
      edited((json) => {
        json.modelTopology.config.layers[1].class_name = 'constructor';
      }),
      'unknown-layer',
      /^Unknown layer 'constructor'/,
    );
  });

  it('a topology nested thousands deep', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    await expectRefusal(
      [textFile('model.json', `{"modelTopology":{"class_name":"Sequential","config":{"layers":${deep}}},"weightsManifest":[]}`)],
      'not-a-model',
      /^'model\.json' is nested too deeply \(over \d+ levels\)/,
    );
  });

  it('a weight listed twice in the manifest', async () => {
    await expectRefusal(
      edited((json) => {
        json.weightsManifest[0].weights.push({ ...json.weightsManifest[0].weights[0] });
      }),
      'bad-manifest',
      /^'model\.json' has a malformed weightsManifest: weight '.+\/kernel' is listed more than once/,
    );
  });

  it('a weight whose dtype is not the one its layer holds', async () => {
    await expectRefusal(
      edited((json) => {
        json.weightsManifest[0].weights[0].dtype = 'int32';
      }),
      'weight-mismatch',
      /^Weight '.+\/kernel' is int32 in 'model\.json' but layer '.+' holds float32 values/,
    );
  });

  it('float16 quantization on a weight that is not float32', async () => {
    await expectRefusal(
      edited((json) => {
        json.weightsManifest[0].weights[1].dtype = 'int32';
        json.weightsManifest[0].weights[1].quantization = { dtype: 'float16' };
      }),
      'bad-manifest',
      /weight '.+\/bias' is int32 but quantized to float16, which only applies to float32 weights/,
    );
  });

  it('a graph model whose node takes an input that is no node', async () => {
    const [json, bin] = tinyGraphModel([1, 2, 3, 4, 5, 6], [0, 0]);
    const doc = JSON.parse(new TextDecoder().decode(json.bytes));
    doc.modelTopology.node[3].input = ['x', 'Nowhere'];
    await expectRefusal(
      [jsonFile('model.json', doc), bin],
      'not-a-model',
      /^'model\.json' is not a graph model the studio can read: node 'MatMul' of the graph takes input 'Nowhere', which is not a node of it/,
    );
  });

  it('a layers model.json that says it is a graph model', async () => {
    const files = edited((json) => {
      json.format = 'graph-model';
    });
    await expectRefusal(
      files,
      'not-a-model',
      /^'model\.json' is not a graph model the studio can read: its modelTopology has no list of nodes/,
    );
  });
});

describe('importModel finds the model JSON', () => {
  it('under another name when its content is a model', async () => {
    const [json, bin] = exportedFiles(exported);
    const wrapper = await importModel([jsonFile('labels.json', ['a']), { name: 'my-teacher.json', bytes: json.bytes }, bin]);
    expect(wrapper.kind).toBe('layers');
    wrapper.dispose();
  });
});
