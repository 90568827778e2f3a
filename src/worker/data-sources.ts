import { csvToDataset } from '../core/data/csv';
import { checkFileSize } from '../core/data/errors';
import { imageZipToDataset, type ImageDecoder } from '../core/data/image-zip';
import { loadIris } from '../core/data/iris';
import { decodeMnist } from '../core/data/mnist';
import { makeToyDataset } from '../core/data/toy';
import type { Dataset } from '../core/data/types';
import type { DataSource } from './protocol';

/** Browser image decoding, off the main thread: createImageBitmap + OffscreenCanvas exist in workers. */
const decodeImage: ImageDecoder = async (bytes) => {
  const bitmap = await createImageBitmap(new Blob([bytes.slice().buffer]));
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
};

async function readText(file: File): Promise<string> {
  checkFileSize(file.size, file.name);
  return file.text();
}

/** Turns a data source into a data set; throws a DataError (what and where) on bad input. */
export async function loadDataSource(
  source: DataSource,
  mnistUrl: string,
  onProgress: (done: number, total: number) => void,
): Promise<Dataset> {
  switch (source.kind) {
    case 'mnist': {
      const response = await fetch(mnistUrl);
      if (!response.ok) throw new Error(`Could not load the MNIST data (${mnistUrl}): HTTP ${response.status}.`);
      return decodeMnist(await response.arrayBuffer());
    }
    case 'iris':
      return loadIris({ seed: source.seed });
    case 'toy':
      return makeToyDataset({ kind: source.toy, size: source.size, noise: source.noise, classes: source.classes, seed: source.seed });
    case 'csv': {
      const text = await readText(source.file);
      const test = source.testFile
        ? { kind: 'file' as const, text: await readText(source.testFile), fileName: source.testFile.name }
        : { kind: 'fraction' as const, testFraction: source.testFraction, seed: source.seed };
      return csvToDataset(text, {
        fileName: source.file.name,
        labelColumn: source.labelColumn,
        normalisation: source.normalisation,
        imageShape: source.imageShape,
        test,
      });
    }
    case 'images': {
      checkFileSize(source.file.size, source.file.name);
      const bytes = new Uint8Array(await source.file.arrayBuffer());
      return imageZipToDataset(bytes, {
        fileName: source.file.name,
        width: source.width,
        height: source.height,
        channels: source.channels,
        testFraction: source.testFraction,
        seed: source.seed,
        decode: decodeImage,
        onProgress,
      });
    }
  }
}
