import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, UNMEASURED_AXIS } from '../charts/chart-parts';
import { CHART_HEIGHT } from '../charts/chart-style';
import { percentTick, SERIES_COLORS, tooltipPercent } from './format';

export interface ClassBarSeries {
  name: string;
  /** The bar for one class: a fraction in [0, 1], or null for none. */
  value: (classIndex: number) => number | null;
  color?: string;
}

// A constant: recharts recomputes a chart whose margin object is new (see EpochChart).
const MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };

/** Grouped bars, one group per class, as percentages, with the series legend under them. */
export function ClassBars({
  ariaLabel,
  classNames,
  series,
}: {
  ariaLabel: string;
  classNames: readonly string[];
  series: readonly ClassBarSeries[];
}) {
  const colors = series.map((s, j) => s.color ?? SERIES_COLORS[j % SERIES_COLORS.length]);
  const data = classNames.map((name, i) => {
    const row: Record<string, string | number | null> = { name };
    series.forEach((s, j) => {
      row[`s${j}`] = s.value(i);
    });
    return row;
  });
  return (
    <>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} aria-label={ariaLabel} margin={MARGIN}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} vertical={false} />
          <XAxis dataKey="name" {...UNMEASURED_AXIS} />
          <YAxis width={48} domain={[0, 1]} {...UNMEASURED_AXIS} tickFormatter={percentTick} />
          <Tooltip formatter={tooltipPercent} />
          {series.map((s, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: series j is bound to dataKey s{j}: the position is its identity
            <Bar key={j} name={s.name} dataKey={`s${j}`} fill={colors[j]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <SeriesLegend items={series.map((s, j) => ({ name: s.name, color: colors[j], width: 8 }))} />
    </>
  );
}
