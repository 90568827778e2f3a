import { useDeferredValue } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '../../state/format';
import { useStudio } from '../../state/store';
import { CHART_HEIGHT, COLORS } from './chart-style';

const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : String(v));

/** How often each student picks the teacher's class on the test set. */
export function AgreementChart() {
  const epochs = useDeferredValue(useStudio((s) => s.distillEpochs));
  const last = epochs.at(-1);
  return (
    <figure className="chart" aria-labelledby="agree-title" data-points={epochs.length}>
      <figcaption id="agree-title">
        Agreement with the teacher
        {last && <span className="chart-summary"> — epoch {last.epoch}: distilled {pct(last.distilledAgreement)}, scratch {pct(last.scratchAgreement)}</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={epochs} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} />
          <YAxis width={56} domain={['auto', 'auto']} tickFormatter={(v: number) => `${(v * 100).toFixed(1)}%`} />
          <Tooltip formatter={pct} />
          <Legend />
          <Line name="Distilled student" dataKey="distilledAgreement" stroke={COLORS.distilled} isAnimationActive={false} strokeWidth={2} dot={epochs.length <= 30} />
          <Line name="Scratch student" dataKey="scratchAgreement" stroke={COLORS.scratch} isAnimationActive={false} strokeWidth={2} dot={epochs.length <= 30} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
