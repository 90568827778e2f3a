import { SavePngButton } from '../charts/SavePngButton';
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, UNMEASURED_AXIS } from '../charts/chart-parts';
import { CHART_HEIGHT } from '../charts/chart-style';
import { finiteOrNull, percent1, percentTick, SERIES_COLORS, tooltipPercent } from './format';
import { TextTable } from './TextTable';
import './analysis.css';

export interface PerClassSeries {
  /** E.g. "Distilled student". */
  name: string;
  /** One accuracy in [0, 1] per class; NaN for a class with no rows (as perClassAccuracy gives). */
  accuracy: readonly number[];
  color?: string;
}

export interface PerClassBarsProps {
  title: string;
  classNames: readonly string[];
  series: readonly PerClassSeries[];
}

/** Per-class accuracy of several models side by side, to show which classes distillation helps. */
export function PerClassBars({ title, classNames, series }: PerClassBarsProps) {
  const id = useId();
  const data = classNames.map((name, i) => {
    const row: Record<string, string | number | null> = { name };
    series.forEach((s, j) => (row[`s${j}`] = finiteOrNull(s.accuracy[i])));
    return row;
  });
  return (
    <figure className="chart analysis-chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} aria-label={`Bar chart: ${title}`} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} vertical={false} />
          <XAxis dataKey="name" {...UNMEASURED_AXIS} />
          <YAxis width={48} domain={[0, 1]} {...UNMEASURED_AXIS} tickFormatter={percentTick} />
          <Tooltip formatter={tooltipPercent} />
          {series.map((s, j) => (
            <Bar key={j} name={s.name} dataKey={`s${j}`} fill={s.color ?? SERIES_COLORS[j % SERIES_COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <SeriesLegend items={series.map((x, j) => ({ name: x.name, color: x.color ?? SERIES_COLORS[j % SERIES_COLORS.length], width: 8 }))} />
      <SavePngButton title={title} />
      <TextTable
        caption={title}
        columns={['Class', ...series.map((s) => s.name)]}
        rows={classNames.map((name, i) => [name, ...series.map((s) => percent1(s.accuracy[i]))])}
      />
    </figure>
  );
}
