import { useEffect, useRef } from 'react';
import { imageToRgba, unscaleFeatures } from '../../core/analysis/explorer';
import type { ExplorerExample } from '../../state/explorer-store';
import { type Thumbnail, useGallery } from '../../state/gallery-store';

/** CSS pixels on the longer side: small enough for a dozen in a row, large enough to read a digit. */
const THUMB_SIZE = 56;
/** A thumbnail of a table row shows its first values; the explorer shows them all. */
const THUMB_VALUES = 4;

const valueText = (v: number) => String(Number(v.toPrecision(3)));

function ThumbImage({ example, shape }: { example: ExplorerExample; shape: [number, number, number] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [height, width] = shape;
  useEffect(() => {
    canvas.current?.getContext('2d')?.putImageData(new ImageData(imageToRgba(example.features, shape), width, height), 0, 0);
  }, [example, shape, width, height]);
  const scale = THUMB_SIZE / Math.max(height, width);
  return (
    // Every canvas of the studio is an image with a label (access.spec); the button's own name is what is read out.
    <canvas
      ref={canvas}
      className="thumb-image"
      width={width}
      height={height}
      style={{ width: width * scale, height: height * scale }}
      role="img"
      aria-label={`Test example ${example.index + 1}`}
    />
  );
}

/** The text a thumbnail shows instead of a picture (a table row's first values, or why it failed); null for a picture or while loading. */
function thumbText(thumbnail: Thumbnail | undefined, shape?: [number, number, number]): string | null {
  if (!thumbnail || thumbnail.state === 'loading') return null;
  if (thumbnail.state === 'failed') return thumbnail.message;
  const { example } = thumbnail;
  if (shape && shape[0] * shape[1] * shape[2] === example.features.length) return null;
  const values = unscaleFeatures(example.features, example.scaling);
  return `${values.slice(0, THUMB_VALUES).map(valueText).join(' · ')}${values.length > THUMB_VALUES ? ' …' : ''}`;
}

function ThumbBody({
  thumbnail,
  shape,
  shown,
}: {
  thumbnail: Thumbnail | undefined;
  shape?: [number, number, number];
  shown: string | null;
}) {
  if (shown !== null) return <span className="thumb-values">{shown}</span>;
  if (thumbnail?.state !== 'ready') return <span className="thumb-placeholder" aria-hidden="true" />;
  return shape ? <ThumbImage example={thumbnail.example} shape={shape} /> : null;
}

export interface ThumbnailItem {
  /** Test row, 0-based. */
  index: number;
  /** Short visible text under the picture; the accessible name starts with it. */
  caption: string;
  /** What a screen reader says after the caption, e.g. "true 3, predicted 5". */
  details: string;
}

/** One test example as a button: its picture (or first values), a caption, and a click that opens it in the explorer. */
export function ExampleThumbnail({
  item,
  shape,
  onOpen,
}: {
  item: ThumbnailItem;
  shape?: [number, number, number];
  onOpen: (index: number) => void;
}) {
  const thumbnail = useGallery((s) => s.thumbnails.get(item.index));
  const shown = thumbText(thumbnail, shape);
  return (
    <li>
      {/* The name holds all the visible text, in reading order (axe: label-content-name-mismatch): the caption
          comes first in the DOM, and CSS puts it under the picture or values. */}
      <button
        type="button"
        className="thumb"
        aria-label={`${item.caption}${shown === null ? '' : ` ${shown}`}: ${item.details}. Open it in the explorer`}
        onClick={() => onOpen(item.index)}
      >
        <span className="thumb-caption">{item.caption}</span>
        {/* A space between the two texts, as the name has (a flex container does not render it). */}{' '}
        <ThumbBody thumbnail={thumbnail} shape={shape} shown={shown} />
      </button>
    </li>
  );
}
