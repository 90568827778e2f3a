import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DataError, MAX_DATA_FILE_BYTES } from './errors';
import { imageZipToDataset, type ImageDecoder, type ImageZipOptions } from './image-zip';
import { findClassFolders } from './image-zip-layout';

/**
 * A fake image format the fake decoder understands: [width, height, channels (3 or 4), ...pixels].
 * A first byte of 0 stands for a corrupt file.
 */
const fakeImage = (width: number, height: number, pixel: number[]): Uint8Array =>
  Uint8Array.from([width, height, pixel.length, ...Array.from({ length: width * height }, () => pixel).flat()]);

const fakeDecode: ImageDecoder = async (bytes) => {
  const [width, height, channels] = bytes;
  if (width === 0) throw new Error('bad PNG signature');
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const p = bytes.subarray(3 + i * channels, 3 + (i + 1) * channels);
    data.set([p[0], p[1], p[2], channels === 4 ? p[3] : 255], i * 4);
  }
  return { width, height, data };
};

const options = (o: Partial<ImageZipOptions> = {}): ImageZipOptions => ({
  fileName: 'pets.zip',
  width: 2,
  height: 2,
  channels: 3,
  testFraction: 0.5,
  seed: 1,
  decode: fakeDecode,
  ...o,
});

const zip = (files: Record<string, Uint8Array>): Uint8Array => zipSync(files);

async function rejection(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('imageZipToDataset', () => {
  // Cats are red, dogs blue; sizes differ, and two images carry an alpha channel.
  const pets = () =>
    zip({
      'mydata/cat/1.png': fakeImage(2, 2, [255, 0, 0]),
      'mydata/cat/2.png': fakeImage(4, 3, [255, 0, 0, 10]),
      'mydata/dog/a.jpg': fakeImage(1, 1, [0, 0, 255]),
      'mydata/dog/b.JPEG': fakeImage(5, 5, [0, 0, 255, 0]),
      'mydata/dog/.hidden.png': fakeImage(0, 0, []),
      '__MACOSX/mydata/dog/._a.jpg': fakeImage(0, 0, []),
      'mydata/notes.txt': new TextEncoder().encode('not an image'),
    });

  it('reads one folder per class below a wrapping folder, resizing mixed sizes and dropping alpha', async () => {
    const progress: [number, number][] = [];
    const d = await imageZipToDataset(pets(), options({ onProgress: (done, total) => progress.push([done, total]) }));
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(d.imageShape).toEqual([2, 2, 3]);
    expect([d.numFeatures, d.train.n, d.test.n]).toEqual([12, 2, 2]);
    expect(d.name).toBe('pets.zip');
    for (const split of [d.train, d.test]) {
      for (let i = 0; i < split.n; i++) {
        const pixels = [...split.x.subarray(i * 12, (i + 1) * 12)];
        const colour = split.y[i] === 0 ? [1, 0, 0] : [0, 0, 1];
        expect(pixels).toEqual([...colour, ...colour, ...colour, ...colour]);
      }
    }
    expect(progress).toEqual([
      [0, 4],
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });

  it('outputs grayscale luma when asked', async () => {
    const d = await imageZipToDataset(pets(), options({ channels: 1, width: 1, height: 1 }));
    const all = [...d.train.x, ...d.test.x].map((v) => +v.toFixed(4));
    const labels = [...d.train.y, ...d.test.y];
    expect(all).toEqual(labels.map((y) => (y === 0 ? 0.299 : 0.114)));
  });

  it('is deterministic for a seed', async () => {
    const a = await imageZipToDataset(pets(), options({ seed: 5 }));
    const b = await imageZipToDataset(pets(), options({ seed: 5 }));
    expect(b.test.x).toEqual(a.test.x);
    expect(b.test.y).toEqual(a.test.y);
  });

  it('names the image that fails to decode', async () => {
    const bytes = zip({
      'cat/1.png': fakeImage(1, 1, [1, 2, 3]),
      'cat/2.png': fakeImage(1, 1, [1, 2, 3]),
      'dog/1.png': fakeImage(1, 1, [1, 2, 3]),
      'dog/broken.png': Uint8Array.from([0, 1, 1]),
    });
    const e = await rejection(imageZipToDataset(bytes, options()));
    expect(e.message).toBe('dog/broken.png: could not be decoded as an image (bad PNG signature)');
    expect(e.file).toBe('dog/broken.png');
  });

  it('names an image the decoder returned with the wrong number of bytes', async () => {
    const bytes = zip({
      'a/1.png': fakeImage(1, 1, [1, 2, 3]),
      'a/2.png': fakeImage(1, 1, [1, 2, 3]),
      'b/1.png': fakeImage(1, 1, [1, 2, 3]),
      'b/2.png': fakeImage(1, 1, [1, 2, 3]),
    });
    const short: ImageDecoder = async () => ({ width: 2, height: 2, data: new Uint8ClampedArray(4) });
    await expect(imageZipToDataset(bytes, options({ decode: short }))).rejects.toThrow(
      'a/1.png: the decoder returned 4 bytes for a 2×2 image, expected 16 (RGBA)',
    );
  });

  const bad: [string, () => Uint8Array, string][] = [
    ['an empty file', () => new Uint8Array(0), 'pets.zip: the file is empty'],
    ['bytes that are not a zip', () => Uint8Array.from([1, 2, 3, 4, 5]), 'pets.zip: not a readable .zip archive ('],
    ['a file over the size limit', () => new Uint8Array(MAX_DATA_FILE_BYTES + 1), 'pets.zip: the file is 50.0 MB, over the 50 MB limit'],
    [
      'no images at all',
      () => zip({ 'readme.txt': new Uint8Array(3) }),
      "pets.zip: no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
    ],
    [
      'images but no class folders',
      () => zip({ '1.png': fakeImage(1, 1, [0, 0, 0]), '2.png': fakeImage(1, 1, [0, 0, 0]) }),
      "pets.zip: no class folders found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)",
    ],
    [
      'a single class',
      () => zip({ 'x/cat/1.png': fakeImage(1, 1, [0, 0, 0]), 'x/cat/2.png': fakeImage(1, 1, [0, 0, 0]) }),
      'pets.zip: found only one class folder ("cat"); at least two classes are needed',
    ],
    [
      'too few images in a class',
      () =>
        zip({ 'cat/1.png': fakeImage(1, 1, [0, 0, 0]), 'cat/2.png': fakeImage(1, 1, [0, 0, 0]), 'dog/1.png': fakeImage(1, 1, [0, 0, 0]) }),
      'pets.zip: class "dog" has 1 image; each class needs at least 2 (one to train on, one to test on)',
    ],
  ];
  it.each(bad)('refuses %s', async (_name, bytes, message) => {
    await expect(imageZipToDataset(bytes(), options())).rejects.toThrow(message);
  });

  it('refuses more pixels than the worker can hold, saying the limit', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 128; i++) files[`a/${i}.png`] = files[`b/${i}.png`] = fakeImage(1, 1, [0, 0, 0]);
    await expect(imageZipToDataset(zip(files), options({ width: 256, height: 256, channels: 3 }))).rejects.toThrow(
      'pets.zip: 256 images at 256×256×3 would take 201 MB; the limit is 200 MB, so choose a smaller size or fewer images',
    );
  });

  it('refuses a target size it cannot hold, before reading the archive', async () => {
    await expect(imageZipToDataset(new Uint8Array(0), options({ width: 0 }))).rejects.toThrow(
      'pets.zip: image size 0×2 must be whole numbers from 1 to 256',
    );
  });
});

describe('findClassFolders', () => {
  it('takes the folders at the top, or below one wrapping folder, and files deeper inside count for their class', () => {
    const layout = findClassFolders(['b/1.png', 'a/x/2.png', 'a/3.jpg', 'b/4.png'], 'z.zip');
    expect(layout.classNames).toEqual(['a', 'b']);
    expect(layout.images.map((i) => [i.path, i.label])).toEqual([
      ['b/1.png', 1],
      ['a/x/2.png', 0],
      ['a/3.jpg', 0],
      ['b/4.png', 1],
    ]);
    expect(
      findClassFolders(['top/inner/a/1.png', 'top/inner/a/2.png', 'top/inner/b/3.png', 'top/inner/b/4.png'], 'z.zip').classNames,
    ).toEqual(['a', 'b']);
  });

  it('refuses an image outside every class folder, naming it', () => {
    expect(() => findClassFolders(['d/cat/1.png', 'd/cat/2.png', 'd/dog/1.png', 'd/dog/2.png', 'd/cover.png'], 'z.zip')).toThrow(
      'z.zip: d/cover.png is not inside a class folder; put every image in the folder named after its class',
    );
  });

  it('explains train/test folders instead of mistaking them for classes', () => {
    expect(() => findClassFolders(['train/cat/1.png', 'train/dog/1.png', 'test/cat/2.png', 'test/dog/2.png'], 'z.zip')).toThrow(
      'z.zip: found split folders (test, train) instead of class folders; put one folder per class at the top (e.g. cat/1.png, dog/1.png) and let the test fraction make the split',
    );
  });
});
