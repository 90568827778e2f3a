/**
 * When a file is not an ONNX model, what it seems to be instead: the usual mix-ups (a TF.js
 * model.json, a zip, a Keras .h5, a TFLite or PyTorch file) get named, anything else gets the detail
 * of where the protobuf reading failed.
 */
const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

export function describeNotOnnx(bytes: Uint8Array, detail: string): string {
  if (bytes.length === 0) return 'the file is empty';
  let first = 0;
  while (first < bytes.length && first < 64 && [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(bytes[first])) first++;
  if (bytes[first] === 0x7b || bytes[first] === 0x5b)
    return 'it is JSON text, e.g. a TF.js model.json: upload that as a TF.js model instead';
  // A PyTorch checkpoint (torch.save) is a zip archive too.
  if (startsWith(bytes, ascii('PK\x03\x04')))
    return 'it is a zip archive (a PyTorch .pt checkpoint is one): export the model with torch.onnx.export';
  if (startsWith(bytes, [0x89, ...ascii('HDF')])) return 'it is an HDF5 file (a Keras .h5 model)';
  if (startsWith(bytes, ascii('TFL3'), 4)) return 'it is a TensorFlow Lite model';
  if (startsWith(bytes, [0x80]) && bytes.length > 1 && bytes[1] <= 5)
    return 'it is a Python pickle (e.g. a PyTorch checkpoint): export the model with torch.onnx.export';
  return detail;
}
