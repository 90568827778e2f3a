import { memo, type KeyboardEvent, type MouseEvent, type RefObject, useLayoutEffect, useRef, useState } from 'react';
import type { AxisScale } from './axis-ticks';
import { CHART_HEIGHT } from './chart-style';
import { linear, linePath, round } from './line-path';

/**
 * A live line chart drawn as plain SVG, for the charts that redraw while a run trains.
 *
 * recharts redrew one of these in a single animation-frame callback of 40–42 ms on two cores (its
 * store recomputes and re-renders the whole chart, synchronously, on every new series), so a 7–17 ms
 * message in the same task made a long task. Here a redraw is a few path strings and a few dozen
 * elements. The look, the class names (which the page's styles, Save PNG and the tests use), the
 * tooltip and the keyboard (a tab stop; arrows move the tooltip, Enter hides or shows it) are those
 * of the recharts charts elsewhere in the studio.
 */

export interface PlotLine {
  name: string;
  color: string;
  /** Default 1, as recharts'. */
  width?: number;
  dash?: string;
  /** A circle on each point. */
  dots?: boolean;
  /** One value per x; undefined or not finite: a gap. */
  y: ReadonlyArray<number | undefined>;
}

export interface PlotData {
  /** Ascending. */
  x: readonly number[];
  lines: readonly PlotLine[];
}

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

interface LinePlotProps {
  data: PlotData;
  xAxis: AxisScale;
  yAxis: AxisScale;
  yAxisWidth: number;
  margin: Margin;
  yTick: (v: number) => string;
  /** A value in the tooltip. */
  format: (v: number) => string;
  /** The accessible name of the plot (a tab stop, as recharts' accessibility layer makes it). */
  label: string;
}

/** recharts' defaults: axis height, tick length and gap, axis and grid colours. */
const X_AXIS_HEIGHT = 30;
const TICK = 6;
const TICK_GAP = 2;
const AXIS_COLOR = '#666';
const GRID_COLOR = '#ccc';

interface Active {
  index: number;
  /** Where the tooltip goes, in the plot's pixels. */
  at: { x: number; y: number };
}

export const LinePlot = memo(function LinePlot({ data, xAxis, yAxis, yAxisWidth, margin, yTick, format, label }: LinePlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const [active, setActive] = useState<Active | null>(null);
  const left = margin.left + yAxisWidth;
  const top = margin.top;
  const right = Math.max(left, width - margin.right);
  const bottom = CHART_HEIGHT - margin.bottom - X_AXIS_HEIGHT;
  const sx = linear(xAxis.domain, left, right);
  const sy = linear(yAxis.domain, bottom, top);
  const count = data.x.length;
  const index = active && active.index < count ? active.index : null;

  const show = (i: number, at?: Active['at']) => {
    if (count === 0) return;
    const clamped = Math.max(0, Math.min(count - 1, i));
    setActive({ index: clamped, at: at ?? { x: sx(data.x[clamped]), y: top } });
  };
  const onMouseMove = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    if (px < left || px > right || py < top || py > bottom) setActive(null);
    else {
      // Across at the point the tooltip is about, down at the pointer: where recharts puts it.
      const i = nearest(data.x, sx, px);
      show(i, { x: sx(data.x[i]), y: py });
    }
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') show((index ?? -1) + (e.key === 'ArrowRight' ? 1 : -1));
    else if (e.key === 'Enter' && index === null) show(0);
    else if (e.key === 'Enter') setActive(null);
  };

  return (
    <div ref={box} className="recharts-wrapper line-plot" style={{ position: 'relative', width: '100%', height: CHART_HEIGHT }}>
      {width > 0 && (
        <svg
          className="recharts-surface"
          role="application"
          aria-label={label}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: role "application" is interactive (arrows move the tooltip), as in recharts' accessibility layer
          tabIndex={0}
          width={width}
          height={CHART_HEIGHT}
          viewBox={`0 0 ${width} ${CHART_HEIGHT}`}
          onMouseMove={onMouseMove}
          onMouseLeave={() => setActive(null)}
          onFocus={() => {
            if (index === null) show(0);
          }}
          onBlur={() => setActive(null)}
          onKeyDown={onKeyDown}
        >
          <Frame xAxis={xAxis} yAxis={yAxis} left={left} right={right} top={top} bottom={bottom} yTick={yTick} />
          {data.lines.map((line) => (
            <g key={line.name} className="recharts-layer recharts-line">
              <path
                className="recharts-curve recharts-line-curve"
                d={linePath(data.x, line.y, sx, sy)}
                fill="none"
                stroke={line.color}
                strokeWidth={line.width ?? 1}
                strokeDasharray={line.dash}
              />
              {line.dots && (
                <g className="recharts-layer recharts-line-dots">
                  {data.x.map((x, i) => {
                    const y = line.y[i];
                    return y === undefined || !Number.isFinite(y) ? null : (
                      <circle
                        key={x}
                        className="recharts-dot recharts-line-dot"
                        r={3}
                        cx={round(sx(x))}
                        cy={round(sy(y))}
                        fill="#fff"
                        stroke={line.color}
                        strokeWidth={line.width ?? 1}
                      />
                    );
                  })}
                </g>
              )}
            </g>
          ))}
          {index !== null && <Cursor data={data} index={index} x={sx(data.x[index])} sy={sy} top={top} bottom={bottom} />}
        </svg>
      )}
      {index !== null && active && <Tooltip data={data} index={index} at={active.at} plot={{ left, right, top, bottom }} format={format} />}
    </div>
  );
});

/** The index of the point whose x lies nearest to pixel `px`. */
function nearest(xs: readonly number[], sx: (v: number) => number, px: number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (Math.abs(sx(xs[i]) - px) < Math.abs(sx(xs[best]) - px)) best = i;
  return best;
}

/** The box's width, followed as it changes (what recharts' ResponsiveContainer does). */
function useWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.round(el.clientWidth));
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

interface FrameProps {
  xAxis: AxisScale;
  yAxis: AxisScale;
  left: number;
  right: number;
  top: number;
  bottom: number;
  yTick: (v: number) => string;
}

/** Grid and axes: memoised, so a redraw whose ticks did not move leaves them alone. */
const Frame = memo(function Frame({ xAxis, yAxis, left, right, top, bottom, yTick }: FrameProps) {
  const sx = linear(xAxis.domain, left, right);
  const sy = linear(yAxis.domain, bottom, top);
  const xs = xAxis.ticks.map((t) => ({ t, at: round(sx(t)) }));
  const ys = yAxis.ticks.map((t) => ({ t, at: round(sy(t)) }));
  return (
    <>
      <g className="recharts-cartesian-grid" stroke={GRID_COLOR} strokeDasharray="3 3" opacity={0.3}>
        <g className="recharts-cartesian-grid-horizontal">
          {ys.map(({ t, at }) => (
            <line key={t} x1={left} x2={right} y1={at} y2={at} />
          ))}
        </g>
        <g className="recharts-cartesian-grid-vertical">
          {xs.map(({ t, at }) => (
            <line key={t} x1={at} x2={at} y1={top} y2={bottom} />
          ))}
        </g>
      </g>
      <g className="recharts-cartesian-axis recharts-xAxis xAxis">
        <line className="recharts-cartesian-axis-line" x1={left} x2={right} y1={bottom} y2={bottom} stroke={AXIS_COLOR} fill="none" />
        <g className="recharts-cartesian-axis-ticks">
          {xs.map(({ t, at }) => (
            <g key={t} className="recharts-layer recharts-cartesian-axis-tick">
              <line
                className="recharts-cartesian-axis-tick-line"
                x1={at}
                x2={at}
                y1={bottom}
                y2={bottom + TICK}
                stroke={AXIS_COLOR}
                fill="none"
              />
              <text
                x={at}
                y={bottom + TICK + TICK_GAP}
                textAnchor="middle"
                fill={AXIS_COLOR}
                className="recharts-text recharts-cartesian-axis-tick-value"
              >
                <tspan x={at} dy="0.71em">
                  {t}
                </tspan>
              </text>
            </g>
          ))}
        </g>
      </g>
      <g className="recharts-cartesian-axis recharts-yAxis yAxis">
        <line className="recharts-cartesian-axis-line" x1={left} x2={left} y1={top} y2={bottom} stroke={AXIS_COLOR} fill="none" />
        <g className="recharts-cartesian-axis-ticks">
          {ys.map(({ t, at }) => (
            <g key={t} className="recharts-layer recharts-cartesian-axis-tick">
              <line
                className="recharts-cartesian-axis-tick-line"
                x1={left - TICK}
                x2={left}
                y1={at}
                y2={at}
                stroke={AXIS_COLOR}
                fill="none"
              />
              <text
                x={left - TICK - TICK_GAP}
                y={at}
                textAnchor="end"
                fill={AXIS_COLOR}
                className="recharts-text recharts-cartesian-axis-tick-value"
              >
                <tspan x={left - TICK - TICK_GAP} dy="0.355em">
                  {yTick(t)}
                </tspan>
              </text>
            </g>
          ))}
        </g>
      </g>
    </>
  );
});

/** recharts' hover marks: a vertical cursor line and a filled dot on each line at the point. */
function Cursor({
  data,
  index,
  x,
  sy,
  top,
  bottom,
}: {
  data: PlotData;
  index: number;
  x: number;
  sy: (v: number) => number;
  top: number;
  bottom: number;
}) {
  return (
    <g className="recharts-layer recharts-active-dots" pointerEvents="none">
      <path
        className="recharts-curve recharts-tooltip-cursor"
        d={`M${round(x)},${top}L${round(x)},${bottom}`}
        stroke={GRID_COLOR}
        fill="none"
      />
      {data.lines.map((line) => {
        const y = line.y[index];
        return y === undefined || !Number.isFinite(y) ? null : (
          <circle
            key={line.name}
            className="recharts-dot"
            r={4}
            cx={round(x)}
            cy={round(sy(y))}
            fill={line.color}
            stroke="#fff"
            strokeWidth={2}
          />
        );
      })}
    </g>
  );
}

/** Right of and below the pointer, by this much, or left of and above it where the plot ends (recharts' offset). */
const OFFSET = 10;

/** The lines in the tooltip's order: by name, recharts' default. */
const byName = (lines: readonly PlotLine[]) => [...lines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** recharts' default tooltip: the x value, then each line's value in its colour. */
function Tooltip({
  data,
  index,
  at,
  plot,
  format,
}: {
  data: PlotData;
  index: number;
  at: Active['at'];
  /** The plot area, which the tooltip stays inside where it can (recharts' viewBox). */
  plot: { left: number; right: number; top: number; bottom: number };
  format: (v: number) => string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  // Measured once shown (only while a person hovers or uses the arrows), to be placed as recharts places it.
  useLayoutEffect(() => {
    const el = box.current;
    if (el)
      setSize((old) =>
        old && old.width === el.offsetWidth && old.height === el.offsetHeight ? old : { width: el.offsetWidth, height: el.offsetHeight },
      );
  });
  const place = (pointer: number, extent: number, min: number, max: number) =>
    Math.max(min, pointer + OFFSET + extent <= max ? pointer + OFFSET : pointer - OFFSET - extent);
  return (
    <div
      ref={box}
      className="recharts-tooltip-wrapper"
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        pointerEvents: 'none',
        visibility: size ? 'visible' : 'hidden',
        transform: size
          ? `translate(${Math.round(place(at.x, size.width, plot.left, plot.right))}px, ${Math.round(place(at.y, size.height, plot.top, plot.bottom))}px)`
          : undefined,
      }}
    >
      <div
        className="recharts-default-tooltip"
        style={{ margin: 0, padding: 10, backgroundColor: '#fff', border: '1px solid #ccc', whiteSpace: 'nowrap' }}
      >
        <p className="recharts-tooltip-label" style={{ margin: 0 }}>
          {data.x[index]}
        </p>
        <ul className="recharts-tooltip-item-list" style={{ padding: 0, margin: 0 }}>
          {byName(data.lines).map((line) => {
            const y = line.y[index];
            return y === undefined || !Number.isFinite(y) ? null : (
              <li
                key={line.name}
                className="recharts-tooltip-item"
                style={{ display: 'block', paddingTop: 4, paddingBottom: 4, color: line.color }}
              >
                <span className="recharts-tooltip-item-name">{line.name}</span>
                <span className="recharts-tooltip-item-separator"> : </span>
                <span className="recharts-tooltip-item-value">{format(y)}</span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
