import { useEffect, useRef } from 'react';
import { imageToRgba } from '../../core/analysis/explorer';

/** Shown at three times its size, pixel for pixel, so a 28×28 digit is still visibly 28×28. */
const ZOOM = 3;

/** The input as the models get it (e.g. the drawing after MNIST's preprocessing): what the model sees is not what was drawn. */
export function InputPreview({
  features,
  shape,
  description,
}: {
  features: Float32Array;
  shape: [number, number, number];
  description: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [height, width] = shape;
  const fits = features.length === shape[0] * shape[1] * shape[2];
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx && fits) ctx.putImageData(new ImageData(imageToRgba(features, shape), width, height), 0, 0);
  }, [features, shape, width, height, fits]);
  if (!fits) return null;
  return (
    <figure className="try-it-preview">
      <canvas
        ref={canvas}
        width={width}
        height={height}
        style={{ width: width * ZOOM, height: height * ZOOM }}
        role="img"
        aria-label={description}
      />
      <figcaption className="field-help">
        What the model sees ({width}×{height})
      </figcaption>
    </figure>
  );
}
