import { type PointerEvent, useEffect, useRef } from 'react';
import { mnistFromDrawing } from '../../core/data/mnist-drawing';
import { clearTryIt, tryInput } from '../../state/try-it-store';

/** The pad's own pixels: ten per MNIST pixel, so the stroke's width is about that of a pen-drawn MNIST digit. */
const PAD_PX = 280;
const STROKE_PX = 18;

function blank(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  const ctx = canvas?.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, PAD_PX, PAD_PX);
  return ctx;
}

/**
 * Draw a digit with a mouse, a finger or a pen (Pointer Events), white on black as MNIST stores
 * them. When a stroke ends, the pad is preprocessed as MNIST was made and given to the models.
 */
export function DrawingPad() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  useEffect(() => void blank(canvas.current), []);

  /** The pointer in the pad's own pixels, whatever size CSS shows it at. */
  const at = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * PAD_PX, y: ((e.clientY - box.top) / box.height) * PAD_PX };
  };
  const line = (ctx: CanvasRenderingContext2D, from: { x: number; y: number }, to: { x: number; y: number }) => {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE_PX;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = at(e);
    last.current = p;
    const ctx = e.currentTarget.getContext('2d');
    if (ctx) line(ctx, p, p); // a tap leaves a dot
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    const from = last.current;
    const ctx = e.currentTarget.getContext('2d');
    if (!from || !ctx) return;
    const to = at(e);
    line(ctx, from, to);
    last.current = to;
  };
  const up = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!last.current) return;
    last.current = null;
    const ctx = e.currentTarget.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const image = ctx.getImageData(0, 0, PAD_PX, PAD_PX);
    const features = mnistFromDrawing({ width: image.width, height: image.height, data: image.data });
    if (features) tryInput({ features, source: { kind: 'drawing' } });
  };
  const clear = () => {
    blank(canvas.current);
    clearTryIt();
  };

  return (
    <div className="drawing-pad">
      <canvas
        ref={canvas}
        width={PAD_PX}
        height={PAD_PX}
        role="img"
        aria-label="Drawing pad"
        aria-describedby="drawing-pad-help"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <p id="drawing-pad-help" className="field-help">
        Draw one digit, large, with the mouse, a finger or a pen. The models answer when you lift it.
      </p>
      <button type="button" onClick={clear}>
        Clear drawing
      </button>
    </div>
  );
}
