import { useId } from 'react';
import { findStudentArch } from '../core/student-archs';
import { sizeOf, SIZE_MEASURES, type SizeMeasure, type StudentPoint } from '../core/size-sweep';
import { formatBytes, formatCount, formatMs, formatPercent } from '../state/format';

const WIDTH = 560;
const HEIGHT = 300;
const M = { top: 16, right: 16, bottom: 44, left: 52 };
const FRONT = '#c2410c';
const POINT = '#4f6bed';
const TEACHER = '#555';

export function studentLabel(id: string): string {
  return findStudentArch(id)?.label ?? id;
}

export function formatSize(value: number, measure: SizeMeasure): string {
  if (measure === 'params') return `${formatCount(value)} parameters`;
  if (measure === 'batch1' || measure === 'batch128') return `${formatMs(value)} per sample`;
  return formatBytes(value);
}

/** Ticks at powers of ten (and 2×, 5× when the range is narrow) within [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  const steps = Math.log10(hi / lo) < 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const s of steps) {
      const v = s * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  return ticks;
}

function shortNumber(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return v >= 1 ? String(v) : v.toPrecision(1);
}

/**
 * "Accuracy vs size": each student's distilled test accuracy against its size on a log scale, the
 * Pareto front joined by a line and drawn as filled diamonds, the teacher's accuracy as a dashed
 * line. Plain SVG; the front is also a list, for screen readers and for reading off exact values.
 */
export function SizeSweepChart({
  points,
  front,
  measure,
  teacher,
}: {
  points: readonly StudentPoint[];
  front: readonly StudentPoint[];
  measure: SizeMeasure;
  teacher: number | null;
}) {
  // The Runs view draws a kept sweep's chart beside the live one: each needs its own list id.
  const listId = useId();
  const measureLabel = SIZE_MEASURES.find((m) => m.id === measure)?.label ?? measure;
  const sizes = points.map((p) => sizeOf(p, measure)).filter((v) => v > 0 && Number.isFinite(v));
  const accs = [...points.map((p) => p.distilled), ...(teacher === null ? [] : [teacher])];
  const xLo = sizes.length ? Math.min(...sizes) / 1.5 : 1;
  const xHi = sizes.length ? Math.max(...sizes) * 1.5 : 10;
  const yLo = Math.max(0, Math.floor((Math.min(...accs, 1) - 0.02) * 20) / 20);
  const yHi = Math.min(1, Math.ceil((Math.max(...accs, 0) + 0.01) * 20) / 20);
  const px = (v: number) => M.left + ((Math.log10(v) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) * (WIDTH - M.left - M.right);
  const py = (a: number) => M.top + (1 - (a - yLo) / Math.max(1e-9, yHi - yLo)) * (HEIGHT - M.top - M.bottom);
  const onFront = new Set(front.map((p) => p.student));
  const yTicks = Array.from({ length: Math.round((yHi - yLo) / 0.05) + 1 }, (_, i) => yLo + i * 0.05);
  const frontPath = front
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(sizeOf(p, measure)).toFixed(1)},${py(p.distilled).toFixed(1)}`)
    .join(' ');
  return (
    <figure className="size-chart">
      <figcaption>Accuracy vs size</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label="Accuracy vs size"
        aria-describedby={listId}
        data-measure={measure}
      >
        <title>Accuracy vs size</title>
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={WIDTH - M.right} y1={py(t)} y2={py(t)} stroke="#ddd" />
            <text x={M.left - 6} y={py(t) + 4} textAnchor="end" fontSize="11">
              {`${Math.round(t * 100)}%`}
            </text>
          </g>
        ))}
        {logTicks(xLo, xHi).map((t) => (
          <g key={t}>
            <line x1={px(t)} x2={px(t)} y1={HEIGHT - M.bottom} y2={HEIGHT - M.bottom + 5} stroke="#666" />
            <text x={px(t)} y={HEIGHT - M.bottom + 17} textAnchor="middle" fontSize="11">
              {shortNumber(t)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={WIDTH - M.right} y1={HEIGHT - M.bottom} y2={HEIGHT - M.bottom} stroke="#666" />
        <text x={(M.left + WIDTH - M.right) / 2} y={HEIGHT - 6} textAnchor="middle" fontSize="12">
          {`${measureLabel} (log scale)`}
        </text>
        {teacher !== null && (
          <g className="size-teacher">
            <line x1={M.left} x2={WIDTH - M.right} y1={py(teacher)} y2={py(teacher)} stroke={TEACHER} strokeDasharray="6 4" />
            <text x={WIDTH - M.right} y={py(teacher) - 4} textAnchor="end" fontSize="11" fill={TEACHER}>
              {`Teacher ${formatPercent(teacher)}`}
            </text>
          </g>
        )}
        {front.length > 1 && <path className="size-front-line" d={frontPath} fill="none" stroke={FRONT} strokeWidth={2} />}
        {points.map((p) => {
          const x = px(sizeOf(p, measure));
          const y = py(p.distilled);
          const title = `${studentLabel(p.student)}: ${formatSize(sizeOf(p, measure), measure)}, distilled ${formatPercent(p.distilled)}, scratch ${formatPercent(p.scratch)}`;
          return onFront.has(p.student) ? (
            <path
              key={p.student}
              className="size-point front"
              d={`M${x},${y - 7} L${x + 7},${y} L${x},${y + 7} L${x - 7},${y} Z`}
              fill={FRONT}
            >
              <title>{title}</title>
            </path>
          ) : (
            <circle key={p.student} className="size-point" cx={x} cy={y} r={5} fill="white" stroke={POINT} strokeWidth={2}>
              <title>{title}</title>
            </circle>
          );
        })}
      </svg>
      <p className="field-help">
        Filled diamonds joined by a line: the Pareto front (no smaller student is as accurate). Hollow: the others.
      </p>
      <ol id={listId} aria-label="Pareto front" className="size-front-list">
        {front.map((p) => (
          <li key={p.student}>
            {`${studentLabel(p.student)}: ${formatSize(sizeOf(p, measure), measure)}, distilled ${formatPercent(p.distilled)}`}
          </li>
        ))}
      </ol>
    </figure>
  );
}
