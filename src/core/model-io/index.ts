/** The model import/export engine: the worker imports from here. */
export { ModelIoError, type ModelIoErrorCode } from './errors';
export type { ExportedModel, ImportedModel, ModelFile, WeightQuantization } from './types';
export { exportModel, type ExportOptions } from './export';
export { exportAndMeasure, type ExportReport } from './quantize-report';
export { loadExported, exportedFiles } from './reload';
export { zipModel, unzipModel, isZip } from './zip';
export { importModel } from './import';
export { checkModelFits, findFitProblem, type DataShape, type FitProblem } from './fit';
export { evaluateWrapper, evaluateModelAccuracy } from './evaluate';
export { toStudentModel } from './student';
