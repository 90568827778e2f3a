/**
 * ONNX teachers: reading an .onnx file's description, working out how a data set's rows go in, and
 * running it with ONNX Runtime Web (imported lazily, inside loadOnnxTeacher).
 */
export { OnnxError } from './onnx-error';
export { onnxQuestion } from './onnx-layout';
export { loadOnnxTeacher } from './onnx-teacher';
export { setOrtWasmPaths } from './ort-runtime';
export { readOnnxInfo } from './read-onnx-info';
export { sha256Hex } from './sha256';
export type { OnnxChoice, OnnxIo, OnnxLayout, OnnxModelInfo, OnnxQuestion, OnnxTeacher, OnnxTeacherOptions } from './types';
