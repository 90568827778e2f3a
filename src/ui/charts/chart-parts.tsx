import { memo, type ReactElement } from 'react';
import type { AxisScale } from './axis-ticks';

type Anchor = 'start' | 'middle' | 'end';
interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  index?: number;
  textAnchor?: string;
  verticalAnchor?: string;
  tickFormatter?: (value: never, index: number) => string;
}

/** Where recharts' own <Text> puts the first line for each vertical anchor. */
const FIRST_LINE: Record<Anchor, string> = { start: '0.71em', middle: '0.355em', end: '0' };

/**
 * An axis label as plain SVG text. recharts' default <Text> measures every new label in a hidden DOM
 * node (a forced layout each) so that it could wrap words, which numbers never need: with a new
 * epoch's ticks on every update, that measuring was most of a chart's redraw.
 */
export function plainTick({
  x,
  y,
  payload,
  index = 0,
  textAnchor = 'middle',
  verticalAnchor = 'middle',
  tickFormatter,
}: TickProps): ReactElement {
  const raw = payload?.value;
  const text = tickFormatter ? tickFormatter(raw as never, index) : String(raw ?? '');
  const anchor = (['start', 'middle', 'end'].includes(verticalAnchor) ? verticalAnchor : 'middle') as Anchor;
  return (
    <text x={x} y={y} textAnchor={textAnchor as Anchor} className="recharts-text recharts-cartesian-axis-tick-value">
      <tspan x={x} dy={FIRST_LINE[anchor]}>
        {text}
      </tspan>
    </text>
  );
}

/**
 * For numeric axes whose ticks recharts already spaces (tickCount): every tick shown, none measured.
 * The default interval ("preserveEnd") measures each label's width to drop colliding ones.
 */
export const UNMEASURED_AXIS = { interval: 0, tick: plainTick } as const;

/** A numeric axis with the domain and ticks given (see axis-ticks.ts): nothing computed or measured by recharts. */
export function fixedAxis({ domain, ticks }: AxisScale) {
  return { ...UNMEASURED_AXIS, type: 'number', domain, ticks, niceTicks: 'none', allowDataOverflow: true } as const;
}

export interface LegendItem {
  name: string;
  color: string;
  dash?: string;
  width?: number;
  /** A point marker instead of a line (series drawn as dots). */
  marker?: 'circle';
}

/**
 * The series names under a plot, as plain HTML that renders once. recharts' <Legend> lives inside
 * the chart, measures itself after every redraw and, when its box changes, lays the chart out again.
 * Same class names as recharts' legend, so the page's styles and the PNG export treat both alike.
 */
export const SeriesLegend = memo(function SeriesLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="recharts-default-legend series-legend">
      {items.map((item) => (
        <li key={item.name} className="recharts-legend-item">
          <svg width="16" height="10" aria-hidden="true" focusable="false">
            {item.marker === 'circle' ? (
              <circle cx="8" cy="5" r="3" fill="none" stroke={item.color} strokeWidth={2} />
            ) : (
              <line x1="0" y1="5" x2="16" y2="5" stroke={item.color} strokeWidth={item.width ?? 2} strokeDasharray={item.dash} />
            )}
          </svg>
          <span className="recharts-legend-item-text">{item.name}</span>
        </li>
      ))}
    </ul>
  );
});
