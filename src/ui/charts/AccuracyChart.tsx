import { useDeferredValue } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '../../state/format';
import { useStudio } from '../../state/store';
import { CHART_HEIGHT, COLORS } from './chart-style';

const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : String(v));

/** Test accuracy per epoch: the teacher (flat, the target), the distilled student and the scratch control. */
export function AccuracyChart() {
  const epochs = useDeferredValue(useStudio((s) => s.distillEpochs));
  const last = epochs.at(-1);
  return (
    <figure className="chart" aria-labelledby="acc-title" data-points={epochs.length}>
      <figcaption id="acc-title">
        Test accuracy per epoch
        {last && <span className="chart-summary"> — epoch {last.epoch}: teacher {pct(last.teacherAccuracy)}, distilled {pct(last.distilledAccuracy)}, scratch {pct(last.scratchAccuracy)}</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={epochs} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
          <YAxis width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => `${(v * 100).toFixed(1)}%`} />
          <Tooltip formatter={pct} />
          <Legend />
          <Line name="Teacher" dataKey="teacherAccuracy" stroke={COLORS.teacher} dot={false} isAnimationActive={false} strokeDasharray="6 3" />
          <Line name="Distilled student" dataKey="distilledAccuracy" stroke={COLORS.distilled} isAnimationActive={false} strokeWidth={2} dot={epochs.length <= 30} />
          <Line name="Scratch student" dataKey="scratchAccuracy" stroke={COLORS.scratch} isAnimationActive={false} strokeWidth={2} dot={epochs.length <= 30} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
