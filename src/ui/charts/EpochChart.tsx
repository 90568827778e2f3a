import { useDeferredValue, useId } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DistillEpoch } from '../../core/trainer';
import { formatPercent } from '../../state/format';
import { useStudio } from '../../state/store';
import { CHART_HEIGHT, COLORS } from './chart-style';

const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : String(v));

type Fraction = Exclude<keyof DistillEpoch, 'epoch'>;

export interface EpochSeries {
  name: string;
  key: Fraction;
  model: 'teacher' | 'distilled' | 'scratch';
}

/** A per-epoch fraction (accuracy, agreement) of some of the three models, as percentages. */
export function EpochChart({ title, series }: { title: string; series: readonly EpochSeries[] }) {
  const epochs = useDeferredValue(useStudio((s) => s.distillEpochs));
  const last = epochs.at(-1);
  const id = useId();
  return (
    <figure className="chart" aria-labelledby={id} data-points={epochs.length}>
      <figcaption id={id}>
        {title}
        {last && <span className="chart-summary"> — epoch {last.epoch}: {series.map((s) => `${s.model} ${pct(last[s.key])}`).join(', ')}</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={epochs} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
          <YAxis width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => `${(v * 100).toFixed(1)}%`} />
          <Tooltip formatter={pct} />
          <Legend />
          {series.map((s) =>
            s.model === 'teacher' ? (
              // The teacher is the flat target line: dashed, no dots.
              <Line key={s.key} name={s.name} dataKey={s.key} stroke={COLORS.teacher} dot={false} isAnimationActive={false} strokeDasharray="6 3" />
            ) : (
              <Line key={s.key} name={s.name} dataKey={s.key} stroke={COLORS[s.model]} isAnimationActive={false} strokeWidth={2} dot={epochs.length <= 30} />
            ),
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
