import { resizeInto, type RgbaImage } from '../core/data/image-resize';
import type { DatasetSummary, FeatureScaling } from '../core/data/types';

/** How a person gives the models an input, by the kind of data set. */
export type TryItMode = 'draw' | 'image' | 'plane' | 'row';

export function tryItMode(dataset: Pick<DatasetSummary, 'family' | 'imageShape' | 'numFeatures'>): TryItMode {
  if (dataset.family === 'mnist') return 'draw';
  if (dataset.imageShape) return 'image';
  if (dataset.numFeatures === 2) return 'plane';
  return 'row';
}

/** Values as the file has them → as the models see them (the data set's own scaling, fitted on its training split); unscaleFeatures is the way back. */
export function scaleRow(values: readonly number[], scaling: FeatureScaling | undefined): Float32Array {
  const out = Float32Array.from(values);
  if (!scaling || scaling.kind === 'none') return out;
  for (let j = 0; j < out.length; j++) out[j] = (out[j] - scaling.offset[j]) / scaling.scale[j];
  return out;
}

/**
 * What one pixel at full brightness is worth in the data set's file, judged from one of its rows
 * as the file had it: image archives are read as 0..1; CSV files of pixels mostly hold 0..255.
 */
export function pixelUnit(rawRow: ArrayLike<number>): 1 | 255 {
  let max = 0;
  for (let i = 0; i < rawRow.length; i++) max = Math.max(max, rawRow[i]);
  return max > 1.5 ? 255 : 1;
}

/**
 * A picture (an upload or a webcam frame) as one row of an image data set: resized to its
 * height × width × channels with the zip loader's own resampling, so it reaches the models as the
 * training images did; then in the file's unit and through the data set's scaling, for a CSV of pixels.
 */
export function imageRow(
  image: RgbaImage,
  shape: readonly [number, number, number],
  scaling: FeatureScaling | undefined,
  unit: 1 | 255,
): Float32Array {
  const [height, width, channels] = shape;
  if (channels !== 1 && channels !== 3) throw new Error(`Images of ${channels} channels cannot be given here (1 or 3 only).`);
  const out = new Float32Array(height * width * channels);
  resizeInto(image, width, height, channels, out, 0);
  if (unit === 1 && (!scaling || scaling.kind === 'none')) return out;
  return scaleRow(
    Array.from(out, (v) => v * unit),
    scaling,
  );
}
