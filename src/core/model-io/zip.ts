import { strToU8, unzipSync, zipSync } from 'fflate';
import { ModelIoError, clip, libraryDetail } from './errors';
import type { ExportedModel, ModelFile } from './types';

/** One .zip holding model.json and its weights file, so a model downloads and uploads as one file. */
export function zipModel(model: ExportedModel): Uint8Array {
  // The weights barely compress (float noise); level 1 keeps the worker quick.
  return zipSync({ 'model.json': strToU8(model.modelJson), [model.weightsFileName]: model.weights }, { level: 1 });
}

/** Zip files start with the local-file-header signature "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The files inside a zip, leaving out folders and macOS resource forks. */
export function unzipModel(zipName: string, bytes: Uint8Array): ModelFile[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    const detail = libraryDetail(e);
    throw new ModelIoError('bad-zip', `'${clip(zipName)}' is not a readable zip file${detail === undefined ? '' : ` (${detail})`}.`);
  }
  return Object.entries(entries)
    .filter(([name]) => !name.endsWith('/') && !name.startsWith('__MACOSX/') && !/(^|\/)\._/.test(name))
    .map(([name, data]) => ({ name, bytes: data }));
}

/** The files as given, with every zip among them replaced by its contents. */
export function expandZips(files: readonly ModelFile[]): ModelFile[] {
  return files.flatMap((f) => (f.name.toLowerCase().endsWith('.zip') || isZip(f.bytes) ? unzipModel(f.name, f.bytes) : [f]));
}
