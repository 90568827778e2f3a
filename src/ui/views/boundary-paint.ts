import type { BoundaryBox, GridPrediction } from '../../core/boundary';
import type { BoundaryPoints } from '../../worker/protocol';

/** Tableau 10: distinct in hue and lightness, so neighbouring classes stay apart for most colour vision. */
export const CLASS_COLOURS: readonly (readonly [number, number, number])[] = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

export function classColour(c: number): readonly [number, number, number] {
  return CLASS_COLOURS[c % CLASS_COLOURS.length];
}

/**
 * One RGBA pixel per grid cell, the class colour over white: faint where the model is torn between
 * classes (top probability near one half), strong where it is sure.
 */
export function cellPixels(prediction: GridPrediction, size: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(new ArrayBuffer(size * size * 4));
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = classColour(prediction.classes[i]);
    const sure = Math.min(1, Math.max(0, (prediction.confidence[i] - 0.5) * 2));
    const a = 0.15 + 0.6 * sure;
    pixels[i * 4] = 255 + (r - 255) * a;
    pixels[i * 4 + 1] = 255 + (g - 255) * a;
    pixels[i * 4 + 2] = 255 + (b - 255) * a;
    pixels[i * 4 + 3] = 255;
  }
  return pixels;
}

/** Fraction of cells where two models pick the same class: how much of the plane they agree on. */
export function planeAgreement(a: GridPrediction, b: GridPrediction): number {
  const n = Math.min(a.classes.length, b.classes.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (a.classes[i] === b.classes[i]) same++;
  return n ? same / n : 0;
}

let cellCanvas: HTMLCanvasElement | null = null;

/** The grid's cells scaled up to the canvas, without smoothing so each cell stays one colour, then the points on top. */
export function paintBoundary(
  canvas: HTMLCanvasElement,
  prediction: GridPrediction | null,
  grid: { box: BoundaryBox; size: number },
  points: BoundaryPoints | null,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  if (prediction) {
    cellCanvas ??= document.createElement('canvas');
    cellCanvas.width = grid.size;
    cellCanvas.height = grid.size;
    cellCanvas.getContext('2d')?.putImageData(new ImageData(cellPixels(prediction, grid.size), grid.size, grid.size), 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cellCanvas, 0, 0, width, height);
  }
  if (!points) return;
  const { xMin, xMax, yMin, yMax } = grid.box;
  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(20, 20, 20, 0.75)';
  for (let i = 0; i < points.labels.length; i++) {
    const px = ((points.x[i * 2] - xMin) / (xMax - xMin)) * width;
    const py = ((yMax - points.x[i * 2 + 1]) / (yMax - yMin)) * height;
    const [r, g, b] = classColour(points.labels[i]);
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.beginPath();
    ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}
