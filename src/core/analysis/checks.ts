/** Argument checks shared by the analysis functions; messages name the argument and the bad value. */

export function checkNumClasses(numClasses: number): void {
  if (!(Number.isInteger(numClasses) && numClasses > 0)) throw new Error(`numClasses must be a positive integer, got ${numClasses}.`);
}

/** Number of rows in a flat row-major [rows, numClasses] array. */
export function rowCount(values: ArrayLike<number>, numClasses: number, name: string): number {
  checkNumClasses(numClasses);
  if (values.length % numClasses !== 0) {
    throw new Error(`${name} has ${values.length} values, not a multiple of numClasses (${numClasses}).`);
  }
  return values.length / numClasses;
}

/** Every entry an integer class index in [0, numClasses). */
export function checkClassIndices(values: ArrayLike<number>, numClasses: number, name: string): void {
  for (let i = 0; i < values.length; i++) {
    const c = values[i];
    if (!(Number.isInteger(c) && c >= 0 && c < numClasses)) {
      throw new Error(`${name}[${i}] = ${c} is not a class index in [0, ${numClasses - 1}].`);
    }
  }
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length) throw new Error(`${names} must have the same length, got ${a.length} and ${b.length}.`);
}
