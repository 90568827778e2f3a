import { describe, expect, it } from 'vitest';
import { sessionError } from './ort-runtime';
import type { OnnxModelInfo } from './types';

const info = (ops: string[]): OnnxModelInfo => ({
  inputs: [],
  outputs: [],
  opset: 17,
  ops,
  params: 0,
  weightBytes: 0,
  externalData: false,
  endsInSoftmax: () => false,
});

const ortError = (message: string) => new Error(`Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: ${message}`);

describe("ONNX Runtime's session errors, as OnnxErrors", () => {
  it.each([
    ['Fatal error: com.example:MyOp(-1) is not a registered function/op', 'com.example:MyOp'],
    [
      "/onnxruntime/core/session/inference_session.cc:1234 onnxruntime::Status Init() Could not find an implementation for StringNormalizer(10) node with name ''",
      'StringNormalizer',
    ],
    ['This is an invalid model. Error in Node: No Op registered for FancyAttention with domain_version of 17', 'FancyAttention'],
    // Was a bug (found by the fuzz): an op name with a character outside \w was not recognised.
    ['No Op registered for G~mm with domain_version of 17', 'G~mm'],
  ])('names the op of %s', (message, op) => {
    const e = sessionError(ortError(message), info([]), 'm.onnx');
    expect(e.message).toMatch(new RegExp(`^m\\.onnx: the model uses the op ${op}, which ONNX Runtime Web cannot run`));
    expect(e.message).not.toMatch(/\.cc:\d+/);
  });

  it('says when the bytes are not a model, and falls back to the op outside the standard set', () => {
    expect(sessionError(ortError('Failed to load model because protobuf parsing failed.'), info([]), 'x.onnx').message).toMatch(
      /^x\.onnx: not an ONNX model \(ONNX Runtime: Failed to load model because protobuf parsing failed\.\)/,
    );
    const other = sessionError(ortError('Something else went wrong'), info(['Gemm', 'my.domain:Thing']), 'y.onnx');
    expect(other.message).toBe(
      'y.onnx: ONNX Runtime could not load the model (Something else went wrong). It uses my.domain:Thing, an op outside the standard ONNX set.',
    );
  });
});
