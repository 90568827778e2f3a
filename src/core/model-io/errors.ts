/**
 * Every failure the import/export engine reports, with a code the UI can switch on and a message
 * written for the person who chose the files.
 */
export type ModelIoErrorCode =
  | 'no-model-json'
  | 'several-model-jsons'
  | 'not-json'
  | 'not-a-model'
  | 'bad-manifest'
  | 'missing-shard'
  | 'truncated-weights'
  | 'extra-weights'
  | 'weight-mismatch'
  | 'nan-weights'
  | 'unknown-layer'
  | 'unknown-op'
  | 'unsupported-model'
  | 'graph-not-trainable'
  | 'input-mismatch'
  | 'output-mismatch'
  | 'bad-zip'
  | 'load-failed';

export class ModelIoError extends Error {
  constructor(
    readonly code: ModelIoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelIoError';
  }
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null || d < 0 ? '?' : String(d))).join(',')}]`;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
