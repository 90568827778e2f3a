import { strFromU8 } from 'fflate';
import { ModelIoError, clip } from './errors';
import { basename, looksLikeModelJson, parseModelJson } from './manifest';
import type { ModelFile, ModelJsonDoc } from './types';

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function listNames(files: readonly ModelFile[]): string {
  const names = files.map((f) => basename(f.name));
  return names.length === 0
    ? 'no files'
    : names
        .slice(0, 8)
        .map((n) => clip(n))
        .join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : '');
}

/**
 * The model.json among the files: the one named model.json, else the one .json file whose content
 * has modelTopology and weightsManifest (converters and renamed downloads use other names).
 */
export function findModelJson(files: readonly ModelFile[]): { name: string; doc: ModelJsonDoc } {
  const named = files.filter((f) => basename(f.name).toLowerCase() === 'model.json');
  if (named.length > 1) {
    throw new ModelIoError(
      'several-model-jsons',
      `Several files are named model.json (${named
        .slice(0, 8)
        .map((f) => `'${clip(f.name)}'`)
        .join(', ')}): choose one model at a time.`,
    );
  }
  if (named.length === 1) {
    // The name is only ever shown in messages.
    const name = clip(basename(named[0].name));
    return { name, doc: parseModelJson(name, strFromU8(named[0].bytes)) };
  }
  const candidates = files
    .filter((f) => basename(f.name).toLowerCase().endsWith('.json'))
    .map((f) => ({ name: clip(basename(f.name)), text: strFromU8(f.bytes) }))
    .filter((f) => looksLikeModelJson(tryParse(f.text)));
  if (candidates.length > 1) {
    throw new ModelIoError(
      'several-model-jsons',
      `Several files describe a model (${candidates
        .slice(0, 8)
        .map((c) => `'${clip(c.name)}'`)
        .join(', ')}): choose one model at a time.`,
    );
  }
  if (candidates.length === 0) {
    throw new ModelIoError(
      'no-model-json',
      `No model.json among the files (${listNames(files)}). Choose a TensorFlow.js model.json together with its .bin weight files, or one .zip of them.`,
    );
  }
  return { name: candidates[0].name, doc: parseModelJson(candidates[0].name, candidates[0].text) };
}
