import { type MouseEvent, useEffect, useRef } from 'react';
import { useBoundaries } from '../../state/boundary-store';
import { tryInput } from '../../state/try-it-store';
import { paintBoundary } from '../views/boundary-paint';

const PLANE_PX = 240;

/**
 * The 2-D plane with the teacher's boundary and the data's points: a click gives the models that
 * point, in the data's own units. `point` is the input now, marked with a ring.
 */
export function PlanePicker({ point }: { point: [number, number] | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { grid, points, teacher } = useBoundaries();
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !grid) return;
    paintBoundary(el, teacher, grid, points);
    if (!point) return;
    const { xMin, xMax, yMin, yMax } = grid.box;
    const px = ((point[0] - xMin) / (xMax - xMin)) * el.width;
    const py = ((yMax - point[1]) / (yMax - yMin)) * el.height;
    for (const [colour, width] of [
      ['#fff', 5],
      ['#111', 2],
    ] as const) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(px, py, 7, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }, [grid, points, teacher, point]);
  if (!grid) return <p className="view-note">The plane appears with the teacher.</p>;

  const pick = (e: MouseEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const { xMin, xMax, yMin, yMax } = grid.box;
    const x = xMin + ((e.clientX - box.left) / box.width) * (xMax - xMin);
    const y = yMax - ((e.clientY - box.top) / box.height) * (yMax - yMin);
    tryInput({ features: Float32Array.from([x, y]), source: { kind: 'point' } });
  };
  return (
    <canvas
      ref={canvas}
      className="try-it-plane"
      width={PLANE_PX}
      height={PLANE_PX}
      role="img"
      aria-label={`Plane to click: x from ${grid.box.xMin.toFixed(2)} to ${grid.box.xMax.toFixed(2)}, y from ${grid.box.yMin.toFixed(2)} to ${grid.box.yMax.toFixed(2)}`}
      onClick={pick}
    />
  );
}
