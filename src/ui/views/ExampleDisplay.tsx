import { useEffect, useRef } from 'react';
import { imageToRgba, unscaleFeatures } from '../../core/analysis/explorer';
import type { ExplorerExample } from '../../state/explorer-store';
import './views.css';

/** About this many CSS pixels on the longer side, whatever the image's own size. */
const DISPLAY_SIZE = 168;
/** A table of hundreds of rows helps nobody; the first ones show what the example looks like. */
const MAX_FEATURE_ROWS = 40;

// Four significant digits, without the trailing zeros that toPrecision leaves (0.5, not 0.5000).
const numberText = (v: number) => String(Number(v.toPrecision(4)));

export function ExampleImage({
  example,
  shape,
  description,
}: {
  example: ExplorerExample;
  shape: [number, number, number];
  description: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [height, width] = shape;
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(imageToRgba(example.features, shape), width, height), 0, 0);
  }, [example, shape, width, height]);
  const zoom = Math.max(1, Math.floor(DISPLAY_SIZE / Math.max(height, width)));
  return (
    <canvas
      ref={canvas}
      className="example-image"
      width={width}
      height={height}
      style={{ width: width * zoom, height: height * zoom }}
      role="img"
      aria-label={description}
    />
  );
}

export function ExampleFeatures({ example, caption }: { example: ExplorerExample; caption: string }) {
  const original = unscaleFeatures(example.features, example.scaling);
  const scaled = example.scaling && example.scaling.kind !== 'none';
  const shown = original.slice(0, MAX_FEATURE_ROWS);
  return (
    <table className="example-features">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Feature</th>
          <th scope="col">Value</th>
          {scaled && <th scope="col">As the model sees it</th>}
        </tr>
      </thead>
      <tbody>
        {shown.map((v, j) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: row j is feature j of the example
          <tr key={j}>
            <th scope="row">{example.featureNames?.[j] ?? `Feature ${j + 1}`}</th>
            <td>{numberText(v)}</td>
            {scaled && <td>{numberText(example.features[j])}</td>}
          </tr>
        ))}
      </tbody>
      {original.length > shown.length && (
        <tfoot>
          <tr>
            <td colSpan={scaled ? 3 : 2}>… and {original.length - shown.length} more features</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
