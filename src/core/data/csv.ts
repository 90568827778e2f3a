import { buildClassIndex, type ClassIndex } from './labels';
import { defaultLabelColumn, matchTestColumns, readFeatures, readLabels, resolveLabelColumn } from './csv-columns';
import { readCsvTable, type CsvDelimiter, type CsvTable } from './csv-table';
import { DataError } from './errors';
import { applyScaling, fitScaling } from './normalise';
import { requireTwoRowsPerClass, splitByFraction } from './rows';
import type { Dataset, DataSplit, Normalisation } from './types';

export type { CsvDelimiter } from './csv-table';
export { defaultLabelColumn } from './csv-columns';

/** A limit that catches a continuous column (a price, a measurement) picked as the label by mistake. */
export const CSV_MAX_CLASSES = 256;

export interface CsvFormatOptions {
  /** The file's name, used in every message. */
  fileName?: string;
  /** Detected when absent (comma, semicolon or tab). */
  delimiter?: CsvDelimiter;
  /** Detected when absent: a first row of names above numbers. */
  hasHeader?: boolean;
}

export interface CsvPreview {
  columns: string[];
  /** The first data rows, cells as written. */
  rows: string[][];
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** Index in `columns` of the column proposed as the label. */
  labelColumn: number;
}

/** Reads only the first `limit` data rows, so a preview of a large file is quick. */
export function previewCsv(text: string, limit = 20, options: CsvFormatOptions = {}): CsvPreview {
  const table = readCsvTable(text, { ...options, file: options.fileName, maxRows: Math.max(1, limit) });
  return {
    columns: table.columns,
    rows: table.rows,
    delimiter: table.delimiter,
    hasHeader: table.hasHeader,
    labelColumn: defaultLabelColumn(table.columns),
  };
}

export type CsvTestSet =
  /** Hold out a stratified, seeded fraction of the rows. */
  | { kind: 'fraction'; testFraction: number; seed: number }
  /** A second file with the same columns; its delimiter and header are detected on their own. */
  | { kind: 'file'; text: string; fileName?: string };

export interface CsvDatasetOptions extends CsvFormatOptions {
  /** Defaults to the file name. */
  name?: string;
  /** A column name or 0-based index; defaults to label/class/target, else the last column. */
  labelColumn?: string | number;
  /** Fitted on the training rows only. */
  normalisation: Normalisation;
  /** Height, width, channels, when each row is an image (pixels row-major, channels last). */
  imageShape?: [number, number, number];
  test: CsvTestSet;
}

export function csvToDataset(text: string, options: CsvDatasetOptions): Dataset {
  const file = options.fileName ?? 'CSV file';
  const table = readCsvTable(text, { file, delimiter: options.delimiter, hasHeader: options.hasHeader });
  const labelColumn = resolveLabelColumn(table, options.labelColumn);
  const featureColumns = table.columns.map((_, j) => j).filter((j) => j !== labelColumn);
  const labelName = table.columns[labelColumn];
  if (featureColumns.length === 0) {
    throw new DataError(`no feature columns; the file needs at least one column besides the label column "${labelName}"`, { file });
  }
  const numFeatures = featureColumns.length;
  if (options.imageShape) checkImageShape(options.imageShape, numFeatures, file);

  const labels = readLabels(table, labelColumn);
  const classes = buildClassIndex(labels);
  checkClassCount(classes, file, labelName);
  const x = readFeatures(table, featureColumns);
  const y = Int32Array.from(labels, (l) => classes.indexOf(l));

  let train: DataSplit;
  let test: DataSplit;
  if (options.test.kind === 'fraction') {
    requireTwoRowsPerClass(y, classes.names, file);
    ({ train, test } = splitByFraction(x, y, numFeatures, options.test.testFraction, options.test.seed));
  } else {
    train = { x, y, n: y.length };
    const testTable = readCsvTable(options.test.text, { file: options.test.fileName ?? 'test CSV file' });
    test = readTestSplit(table, testTable, labelColumn, featureColumns, classes);
  }
  const scaling = fitScaling(train, numFeatures, options.normalisation);
  applyScaling(train, numFeatures, scaling);
  applyScaling(test, numFeatures, scaling);
  return {
    name: options.name ?? file,
    numFeatures,
    numClasses: classes.names.length,
    classNames: classes.names,
    imageShape: options.imageShape,
    featureNames: featureColumns.map((j) => table.columns[j]),
    scaling,
    train,
    test,
  };
}

function checkImageShape(shape: [number, number, number], numFeatures: number, file: string): void {
  const [h, w, c] = shape;
  if (![h, w, c].every((v) => Number.isInteger(v) && v > 0)) {
    throw new DataError(`image shape ${h}×${w}×${c} must be three whole numbers above 0`, { file });
  }
  if (h * w * c !== numFeatures) {
    throw new DataError(`image shape ${h}×${w}×${c} needs ${h * w * c} values per row, but the file has ${numFeatures} feature columns`, {
      file,
    });
  }
}

function checkClassCount(classes: ClassIndex, file: string, column: string): void {
  const k = classes.names.length;
  if (k < 2) {
    throw new DataError(`every row has the same label ("${classes.names[0]}"); at least two classes are needed`, { file, column });
  }
  if (k > CSV_MAX_CLASSES) {
    throw new DataError(`${k} different labels; at most ${CSV_MAX_CLASSES} classes are supported (is this the right label column?)`, {
      file,
      column,
    });
  }
}

function readTestSplit(train: CsvTable, test: CsvTable, labelColumn: number, featureColumns: number[], classes: ClassIndex): DataSplit {
  const where = matchTestColumns(train, test);
  const label = where[labelColumn];
  const y = Int32Array.from(readLabels(test, label), (l, i) => {
    const k = classes.indexOf(l);
    if (k < 0) {
      throw new DataError(`label "${l}" does not appear in the training file ${train.file} (its classes: ${classes.names.join(', ')})`, {
        file: test.file,
        row: test.lines[i],
        column: test.columns[label],
      });
    }
    return k;
  });
  const x = readFeatures(
    test,
    featureColumns.map((j) => where[j]),
  );
  return { x, y, n: y.length };
}
