import { DataError } from './errors';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg'];
const SPLIT_FOLDERS = new Set(['train', 'training', 'test', 'testing', 'val', 'valid', 'validation']);

export interface ClassImage {
  /** The entry's full path inside the archive. */
  path: string;
  /** Index into `classNames`. */
  label: number;
}

export interface ArchiveLayout {
  /** Class folder names, sorted by code unit so that indices do not depend on zip order or locale. */
  classNames: string[];
  images: ClassImage[];
}

/** Entries worth reading: images, outside macOS resource forks and hidden files. */
export function isImageEntry(path: string): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '__MACOSX' || p.startsWith('.'))) return false;
  const ext = parts[parts.length - 1].split('.').pop()?.toLowerCase() ?? '';
  return parts[parts.length - 1].includes('.') && IMAGE_EXTENSIONS.includes(ext);
}

/**
 * One folder per class. Zipping a folder usually wraps everything in it (mydata/cat/1.png), so a
 * lone top folder that itself holds folders is stepped into. An image deeper inside a class folder
 * (cat/2020/1.png) belongs to that class.
 */
export function findClassFolders(paths: readonly string[], file: string): ArchiveLayout {
  const entries = paths.filter(isImageEntry).map((path) => ({ path, dirs: path.split('/').slice(0, -1) }));
  if (entries.length === 0) {
    throw new DataError(`no PNG or JPEG images found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)`, {
      file,
    });
  }
  let depth = 0;
  for (;;) {
    const folders = new Set(entries.filter((e) => e.dirs.length > depth).map((e) => e.dirs[depth]));
    if (folders.size !== 1 || !entries.some((e) => e.dirs.length > depth + 1)) break;
    depth++;
  }
  const loose = entries.find((e) => e.dirs.length <= depth);
  const inFolders = entries.filter((e) => e.dirs.length > depth);
  if (inFolders.length === 0) {
    throw new DataError("no class folders found; put each class's images in its own folder (e.g. cat/1.png, dog/1.png)", { file });
  }
  if (loose) {
    throw new DataError(`${loose.path} is not inside a class folder; put every image in the folder named after its class`, { file });
  }
  const classNames = [...new Set(inFolders.map((e) => e.dirs[depth]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  checkClasses(classNames, inFolders, depth, file);
  return {
    classNames,
    images: inFolders.map((e) => ({ path: e.path, label: classNames.indexOf(e.dirs[depth]) })),
  };
}

function checkClasses(classNames: string[], entries: { dirs: string[] }[], depth: number, file: string): void {
  if (classNames.every((c) => SPLIT_FOLDERS.has(c.toLowerCase())) && entries.some((e) => e.dirs.length > depth + 1)) {
    throw new DataError(
      `found split folders (${classNames.join(', ')}) instead of class folders; put one folder per class at the top (e.g. cat/1.png, dog/1.png) and let the test fraction make the split`,
      { file },
    );
  }
  if (classNames.length < 2) {
    throw new DataError(`found only one class folder ("${classNames[0]}"); at least two classes are needed`, { file });
  }
  const counts = classNames.map((c) => entries.filter((e) => e.dirs[depth] === c).length);
  const k = counts.findIndex((n) => n < 2);
  if (k >= 0) {
    throw new DataError(`class "${classNames[k]}" has ${counts[k]} image; each class needs at least 2 (one to train on, one to test on)`, {
      file,
    });
  }
}
