import { errorText } from '../error-text';
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

/** Longest quote of a config, a shape or a name in a message: past this, it is noise to the reader. */
export const MAX_QUOTE = 120;
/** Longest stretch of a library's own message carried into ours. */
const MAX_DETAIL = 300;

/** `text` cut to `max` characters, with an ellipsis when cut. */
export function clip(text: string, max = MAX_QUOTE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A value as JSON for a message, cut to MAX_QUOTE characters. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text);
}

export function formatShape(shape: readonly (number | null)[]): string {
  return clip(`[${shape.map((d) => (d === null || d < 0 ? '?' : String(d))).join(',')}]`);
}

/** JavaScript's own error texts: they describe the code that tripped, not the file, so they are never shown. */
const INTERNAL_TEXT =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not an object|is not defined|undefined is not|null is not|Maximum call stack|Invalid typed array length|Invalid array length|Cannot convert|of undefined|of null|Cannot create property|Cannot use 'in' operator/;

function isInternal(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || INTERNAL_TEXT.test(errorText(e));
}

/**
 * What a library's error adds to ours: its message cut to a readable length, or nothing when it is
 * JavaScript's own text (a TypeError from a field of the wrong type), which would mean nothing to the reader.
 */
export function libraryDetail(e: unknown): string | undefined {
  if (isInternal(e)) return undefined;
  // Configs and shapes quoted by the library come as one run without spaces: each is cut on its own.
  const text = errorText(e)
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\S{121,}/g, (run) => clip(run));
  return text === '' ? undefined : clip(text, MAX_DETAIL);
}
