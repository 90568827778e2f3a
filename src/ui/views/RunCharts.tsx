import { useId } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { UNMEASURED_AXIS } from '../charts/chart-parts';
import { formatPercent } from '../../state/format';
import type { RunRecord } from '../../state/run-record';
import { CHART_HEIGHT } from '../charts/chart-style';
import { SavePngButton } from '../charts/SavePngButton';

/** One colour per run (in selection order); the line style, not the colour, tells distilled from scratch. */
export const RUN_COLORS = ['#1c7ed6', '#e8590c', '#0e9f6e', '#7c5cff', '#c2255c', '#f08c00', '#2b8a3e', '#495057'] as const;
const color = (i: number) => RUN_COLORS[i % RUN_COLORS.length];
const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

/** One row per epoch, a column per run and student: the shape a shared x axis needs. */
function accuracyRows(runs: RunRecord[]): Record<string, number>[] {
  const rows = new Map<number, Record<string, number>>();
  for (const run of runs) {
    for (const e of run.epochs) {
      const row = rows.get(e.epoch) ?? { epoch: e.epoch };
      row[`d${run.id}`] = e.distilledAccuracy;
      row[`s${run.id}`] = e.scratchAccuracy;
      rows.set(e.epoch, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.epoch - b.epoch);
}

function AccuracyChart({ runs }: { runs: RunRecord[] }) {
  const id = useId();
  const title = 'Accuracy by epoch, selected runs';
  // Dots on short runs: a one-epoch run is a single point, which a line alone would not show.
  const dots = Math.max(...runs.map((r) => r.epochs.length)) <= 30;
  return (
    <figure className="chart" aria-labelledby={id} data-runs={runs.length}>
      <figcaption id={id}>{title}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={accuracyRows(runs)} aria-label={`Line chart: ${title}`} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} {...UNMEASURED_AXIS} />
          <YAxis width={56} domain={['auto', 'auto']} {...UNMEASURED_AXIS} tickFormatter={(v: number) => `${(v * 100).toFixed(1)}%`} />
          <Tooltip formatter={pct} />
          <Legend />
          {runs.flatMap((run, i) => [
            <Line
              key={`d${run.id}`}
              name={`${run.name}: distilled`}
              dataKey={`d${run.id}`}
              stroke={color(i)}
              strokeWidth={2}
              isAnimationActive={false}
              dot={dots}
            />,
            <Line
              key={`s${run.id}`}
              name={`${run.name}: scratch`}
              dataKey={`s${run.id}`}
              stroke={color(i)}
              strokeDasharray="5 3"
              isAnimationActive={false}
              dot={dots}
            />,
          ])}
        </LineChart>
      </ResponsiveContainer>
      <SavePngButton title={title} />
    </figure>
  );
}

function LossChart({ runs }: { runs: RunRecord[] }) {
  const id = useId();
  const title = 'Loss by step, selected runs';
  return (
    <figure className="chart" aria-labelledby={id} data-runs={runs.length}>
      <figcaption id={id}>{title}</figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart aria-label={`Line chart: ${title}`} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          {/* Runs log at different steps: each line brings its own points on a shared numeric axis. */}
          <XAxis
            dataKey="step"
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            allowDuplicatedCategory={false}
            {...UNMEASURED_AXIS}
          />
          <YAxis width={48} {...UNMEASURED_AXIS} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={num} />
          <Legend />
          {runs.flatMap((run, i) => [
            <Line
              key={`d${run.id}`}
              data={run.loss}
              name={`${run.name}: distilled (total)`}
              dataKey="total"
              stroke={color(i)}
              strokeWidth={2}
              isAnimationActive={false}
              dot={false}
            />,
            <Line
              key={`s${run.id}`}
              data={run.loss}
              name={`${run.name}: scratch`}
              dataKey="scratch"
              stroke={color(i)}
              strokeDasharray="5 3"
              isAnimationActive={false}
              dot={false}
            />,
          ])}
        </LineChart>
      </ResponsiveContainer>
      <SavePngButton title={title} />
    </figure>
  );
}

/** The selected runs' curves overlaid; its own chunk, like the live charts (recharts is most of the JavaScript). */
export default function RunCharts({ runs }: { runs: RunRecord[] }) {
  return (
    <div className="charts">
      <AccuracyChart runs={runs} />
      <LossChart runs={runs} />
    </div>
  );
}
