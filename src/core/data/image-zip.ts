import { unzipSync } from 'fflate';
import { checkFileSize, DataError } from './errors';
import { findClassFolders, isImageEntry } from './image-zip-layout';
import { resizeInto, type RgbaImage } from './image-resize';
import { splitByFraction } from './rows';
import type { Dataset } from './types';
import { errorText } from '../error-text';

/** Decoding needs the browser (createImageBitmap, OffscreenCanvas), so the caller supplies it. */
export type ImageDecoder = (bytes: Uint8Array, fileName: string) => Promise<RgbaImage>;

export const IMAGE_MAX_SIDE = 256;
/** Float32 values across all images; 50 M is 200 MB, about what a worker can hold next to the models. */
export const IMAGE_MAX_VALUES = 50_000_000;

export interface ImageZipOptions {
  /** The archive's name, used in messages and as the default data set name. */
  fileName?: string;
  name?: string;
  /** Every image is resized to this, whatever its own size. */
  width: number;
  height: number;
  /** 1 for grayscale, 3 for RGB; alpha is always dropped. */
  channels: 1 | 3;
  testFraction: number;
  seed: number;
  decode: ImageDecoder;
  /** Called after each decoded image (and once with 0 before the first). */
  onProgress?: (done: number, total: number) => void;
}

/** A .zip with one folder per class of PNG/JPEG images → pixels in 0..1, channels last, split by a seeded stratified fraction. */
export async function imageZipToDataset(bytes: Uint8Array, options: ImageZipOptions): Promise<Dataset> {
  const file = options.fileName ?? 'image archive';
  const { width, height, channels } = options;
  checkTargetSize(width, height, file);
  checkFileSize(bytes.length, file);
  if (bytes.length === 0) throw new DataError('the file is empty', { file });
  const files = unzip(bytes, file);
  const { classNames, images } = findClassFolders(Object.keys(files), file);
  const perImage = width * height * channels;
  if (images.length * perImage > IMAGE_MAX_VALUES) {
    const mb = Math.round((images.length * perImage * 4) / 1e6);
    throw new DataError(
      `${images.length} images at ${width}×${height}×${channels} would take ${mb} MB; the limit is ${(IMAGE_MAX_VALUES * 4) / 1e6} MB, so choose a smaller size or fewer images`,
      { file },
    );
  }

  const x = new Float32Array(images.length * perImage);
  const y = Int32Array.from(images, (im) => im.label);
  options.onProgress?.(0, images.length);
  for (let i = 0; i < images.length; i++) {
    const { path } = images[i];
    const img = await decodeOne(options.decode, files[path], path);
    resizeInto(img, width, height, channels, x, i * perImage);
    options.onProgress?.(i + 1, images.length);
  }
  const { train, test } = splitByFraction(x, y, perImage, options.testFraction, options.seed);
  return {
    name: options.name ?? file,
    numFeatures: perImage,
    numClasses: classNames.length,
    classNames,
    imageShape: [height, width, channels],
    train,
    test,
  };
}

function checkTargetSize(width: number, height: number, file: string): void {
  const ok = (v: number) => Number.isInteger(v) && v >= 1 && v <= IMAGE_MAX_SIDE;
  if (!ok(width) || !ok(height)) {
    throw new DataError(`image size ${width}×${height} must be whole numbers from 1 to ${IMAGE_MAX_SIDE}`, { file });
  }
}

function unzip(bytes: Uint8Array, file: string): Record<string, Uint8Array> {
  try {
    // The filter skips inflating everything that is not an image (resource forks, notes, metadata).
    return unzipSync(bytes, { filter: (f) => isImageEntry(f.name) });
  } catch (e) {
    throw new DataError(`not a readable .zip archive (${errorText(e)})`, { file }, { cause: e });
  }
}

async function decodeOne(decode: ImageDecoder, bytes: Uint8Array, path: string): Promise<RgbaImage> {
  let img: RgbaImage;
  try {
    img = await decode(bytes, path);
  } catch (e) {
    const why = errorText(e);
    throw new DataError(`could not be decoded as an image (${why})`, { file: path }, { cause: e });
  }
  const { width: w, height: h, data } = img;
  if (!(Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0) || data.length !== w * h * 4) {
    throw new DataError(`the decoder returned ${data.length} bytes for a ${w}×${h} image, expected ${w * h * 4} (RGBA)`, {
      file: path,
    });
  }
  return img;
}
