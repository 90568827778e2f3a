import { SavePngButton } from '../charts/SavePngButton';
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { SeriesLegend, UNMEASURED_AXIS } from '../charts/chart-parts';
import { entropyBits } from '../../core/analysis/calibration';
import { CHART_HEIGHT } from '../charts/chart-style';
import { percent1, percentTick, SERIES_COLORS, tooltipPercent } from './format';
import { TextTable } from './TextTable';
import './analysis.css';

export interface ProbabilitySeries {
  /** E.g. "Teacher (T = 4)". */
  name: string;
  /** One probability per class for this example, e.g. a row of softmaxRows. */
  probabilities: ArrayLike<number>;
  color?: string;
}

export interface ProbabilityBarsProps {
  /** E.g. "Test example 12". */
  title: string;
  classNames: readonly string[];
  /** Teacher first, then the students. */
  models: readonly ProbabilitySeries[];
  /** The example's true class index, named in the caption. */
  label?: number;
}

const bits = (p: ArrayLike<number>) => `${entropyBits(p).toFixed(2)} bits`;

/** What each model believes about one example: grouped bars per class, and how spread out each belief is (entropy). */
export function ProbabilityBars({ title, classNames, models, label }: ProbabilityBarsProps) {
  const id = useId();
  const data = classNames.map((name, i) => {
    const row: Record<string, string | number> = { name };
    models.forEach((m, j) => (row[`m${j}`] = m.probabilities[i]));
    return row;
  });
  const entropies = models.map((m) => `${m.name} ${bits(m.probabilities)}`).join(', ');
  const trueClass = label != null ? `true class ${classNames[label] ?? label}; ` : '';
  return (
    <figure className="chart analysis-chart" aria-labelledby={id}>
      <figcaption id={id}>
        {title}
        <span className="chart-summary">
          {' '}
          — {trueClass}entropy {entropies} (at most {Math.log2(classNames.length).toFixed(2)} bits)
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <BarChart data={data} aria-label={`Bar chart: class probabilities, ${title}`} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} vertical={false} />
          <XAxis dataKey="name" {...UNMEASURED_AXIS} />
          <YAxis width={48} domain={[0, 1]} {...UNMEASURED_AXIS} tickFormatter={percentTick} />
          <Tooltip formatter={tooltipPercent} />
          {models.map((m, j) => (
            <Bar key={j} name={m.name} dataKey={`m${j}`} fill={m.color ?? SERIES_COLORS[j % SERIES_COLORS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <SeriesLegend items={models.map((x, j) => ({ name: x.name, color: x.color ?? SERIES_COLORS[j % SERIES_COLORS.length], width: 8 }))} />
      <SavePngButton title={title} />
      <TextTable
        caption={`${title}: class probabilities`}
        columns={['Class', ...models.map((m) => m.name)]}
        rows={[
          ...classNames.map((name, i) => [i === label ? `${name} (true class)` : name, ...models.map((m) => percent1(m.probabilities[i]))]),
          ['Entropy', ...models.map((m) => bits(m.probabilities))],
        ]}
      />
    </figure>
  );
}
