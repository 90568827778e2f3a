/** Where a data problem is, as a person would look for it: file name, 1-based line in the file, column name. */
export interface DataErrorWhere {
  file?: string;
  row?: number;
  column?: string;
}

/**
 * A problem with the user's data (not a bug): the UI shows `message` as is and may use the fields to
 * point at the spot. The message already names the place, so callers need not rebuild it.
 */
export class DataError extends Error {
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;
  /** The problem without the place, for UIs that show the place separately. */
  readonly detail: string;

  constructor(detail: string, where: DataErrorWhere = {}, options?: { cause?: unknown }) {
    super(placePrefix(where) + detail, options);
    this.name = 'DataError';
    this.detail = detail;
    this.file = where.file;
    this.row = where.row;
    this.column = where.column;
  }
}

function placePrefix({ file, row, column }: DataErrorWhere): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (row !== undefined) parts.push(`row ${row}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.length ? `${parts.join(', ')}: ` : '';
}

/** Larger files would be held several times over in memory (text, cells, typed arrays) inside the worker. */
export const MAX_DATA_FILE_BYTES = 50 * 1024 * 1024;
export const MAX_DATA_FILE_LABEL = '50 MB';

/** Call with the file's byte size before reading it (and again on the bytes or text, which cost nothing). */
export function checkFileSize(byteLength: number, file: string): void {
  if (byteLength > MAX_DATA_FILE_BYTES) {
    const mb = (byteLength / (1024 * 1024)).toFixed(1);
    throw new DataError(`the file is ${mb} MB, over the ${MAX_DATA_FILE_LABEL} limit`, { file });
  }
}
