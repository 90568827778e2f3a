import { percent1 } from '../analysis/format';

/** Past this many classes the bars get too thin to name each one under it. */
const MAX_NAMED = 12;
const BAR = 14;
const GAP = 3;
const PLOT = 36;
const NAMES = 13;

/**
 * One model's probabilities for one input, a bar per class, small enough for a table cell; the
 * top class in full colour, the rest faded. Its text alternative names the three likeliest classes.
 */
export function MiniBars({
  probabilities,
  classNames,
  top,
  color,
  label,
}: {
  probabilities: Float32Array;
  classNames: readonly string[];
  top: number;
  color: string;
  label: string;
}) {
  const n = probabilities.length;
  const named = n <= MAX_NAMED;
  const width = n * (BAR + GAP) - GAP;
  const height = PLOT + (named ? NAMES : 0);
  const likeliest = Array.from(probabilities, (p, c) => ({ p, c }))
    .sort((a, b) => b.p - a.p)
    .slice(0, 3)
    .map(({ p, c }) => `${classNames[c]} ${percent1(p)}`)
    .join(', ');
  return (
    <svg
      className="try-it-bars"
      width={Math.min(width, 240)}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={`${label}: ${likeliest}`}
    >
      <line x1={0} x2={width} y1={PLOT - 0.5} y2={PLOT - 0.5} stroke="currentColor" strokeOpacity={0.4} />
      {Array.from(probabilities, (p, c) => {
        const h = Math.max(p * (PLOT - 1), p > 0 ? 1 : 0);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: bar c is class c
          <g key={c}>
            <rect x={c * (BAR + GAP)} y={PLOT - 1 - h} width={BAR} height={h} fill={color} fillOpacity={c === top ? 1 : 0.45} />
            {named && (
              <text x={c * (BAR + GAP) + BAR / 2} y={height - 2} textAnchor="middle" fontSize={10} fill="currentColor">
                {classNames[c].slice(0, 2)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
