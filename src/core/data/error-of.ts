import { DataError } from './errors';

/** The DataError that `f` throws, for tests that check its message and its place (file, row, column). */
export function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}
