import * as tf from '@tensorflow/tfjs';
import { TEST_HOOKS } from '../test-hooks';

/**
 * Every use of a private tfjs (or browser) internal is one of these features, each switched off when
 * the installed tfjs is not the one it was written against. tfjs-backend-wasm declares tfjs-core as an
 * exact peer dependency, so the tfjs-core version stands for the wasm backend too.
 */
const FEATURE_NAMES = [
  'fused-adam',
  'wasm-kernels',
  'wasm-heap-capture',
  'wasm-thread-count',
  'layer-build-watch',
  'dropout-seed',
] as const;
export type InternalFeature = (typeof FEATURE_NAMES)[number];

type Package = 'tfjs-core' | 'tfjs-layers';

/** The versions every hack here was written against and is contract-tested on. */
export const WRITTEN_FOR: Readonly<Record<Package, string>> = { 'tfjs-core': '4.22.0', 'tfjs-layers': '4.22.0' };

interface FeatureInfo {
  /** What the user gets, in words for the backend line. */
  label: string;
  /** What runs instead while it is off. */
  instead: string;
  dependsOn: Package;
}

const FEATURES: Record<InternalFeature, FeatureInfo> = {
  'fused-adam': {
    label: 'fused Adam on wasm',
    instead: "tfjs's own Adam runs (slower: about 14 ms more per teacher step)",
    dependsOn: 'tfjs-core',
  },
  'wasm-kernels': {
    label: 'the wasm kernel fixes',
    instead:
      'the stock wasm kernels run (transposed matMuls, conv input gradients and gathers slower; no conv filter gradient, so CNNs cannot train on wasm)',
    dependsOn: 'tfjs-core',
  },
  'wasm-heap-capture': {
    label: "noting the threaded wasm build's heap",
    instead: 'fused Adam cannot run on a threaded wasm backend',
    dependsOn: 'tfjs-core',
  },
  'wasm-thread-count': {
    label: 'more wasm threads than half the cores',
    instead: "tfjs's own cap (half the reported cores) applies",
    dependsOn: 'tfjs-core',
  },
  'layer-build-watch': {
    label: 'checking each weight while a model loads',
    instead: 'models load unwatched: weights are checked against the manifest after the build, and errors name no layer',
    dependsOn: 'tfjs-layers',
  },
  'dropout-seed': {
    label: 'seeded dropout',
    instead: 'dropout masks come from Math.random, so runs with dropout are not reproducible',
    dependsOn: 'tfjs-layers',
  },
};

export interface DisabledFeature {
  feature: InternalFeature;
  label: string;
  why: string;
}

export interface InternalsStatus {
  writtenFor: Readonly<Record<Package, string>>;
  found: Readonly<Record<Package, string>>;
  disabled: DisabledFeature[];
  /** One paragraph for the backend line or a console; null when every hack is on. */
  message: string | null;
}

let found: Record<Package, string> = { 'tfjs-core': tf.version['tfjs-core'], 'tfjs-layers': tf.version['tfjs-layers'] };
/** Features that turned out unusable while running (say, no wasm heap), with why. */
const fallbacks = new Map<InternalFeature, string>();

function versionProblem(feature: InternalFeature): string | null {
  const pkg = FEATURES[feature].dependsOn;
  return found[pkg] === WRITTEN_FOR[pkg] ? null : `${pkg} is ${found[pkg]}, but this hack was written for ${WRITTEN_FOR[pkg]}`;
}

/** Whether a hack may run: only on the tfjs it was written for. */
export function hackEnabled(feature: InternalFeature): boolean {
  return versionProblem(feature) === null;
}

/** Records that a hack could not run here, and why: internalsStatus lists it from then on. */
export function reportFallback(feature: InternalFeature, why: string): void {
  fallbacks.set(feature, why);
}

export function internalsStatus(): InternalsStatus {
  const disabled: DisabledFeature[] = [];
  for (const feature of FEATURE_NAMES) {
    const why = versionProblem(feature) ?? fallbacks.get(feature);
    if (why !== undefined) disabled.push({ feature, label: FEATURES[feature].label, why });
  }
  const message = disabled.length
    ? `Turned off: ${disabled.map((d) => `${d.label} (${d.why}; ${FEATURES[d.feature].instead})`).join('; ')}.`
    : null;
  return { writtenFor: WRITTEN_FOR, found: { ...found }, disabled, message };
}

/** Tests only: pretend another tfjs is installed (null: the real one), and forget reported fallbacks. */
export function simulateTfjsVersions(versions: Partial<Record<Package, string>> | null): void {
  if (!TEST_HOOKS) throw new Error('simulateTfjsVersions is for tests only.');
  found = { 'tfjs-core': tf.version['tfjs-core'], 'tfjs-layers': tf.version['tfjs-layers'], ...versions };
  fallbacks.clear();
}
