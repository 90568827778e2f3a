import { SavePngButton } from '../charts/SavePngButton';
import { useId } from 'react';
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { plainTick, SeriesLegend, UNMEASURED_AXIS } from '../charts/chart-parts';
import { expectedCalibrationError, type ReliabilityBin } from '../../core/analysis/calibration';
import { CHART_HEIGHT, COLORS } from '../charts/chart-style';
import { finiteOrNull, percent1, percentTick, tooltipPercent } from './format';
import { TextTable } from './TextTable';
import './analysis.css';

export interface ReliabilityDiagramProps {
  /** E.g. "Distilled student". */
  name: string;
  /** From reliabilityBins. */
  bins: readonly ReliabilityBin[];
  /** Defaults to expectedCalibrationError(bins). */
  ece?: number;
  color?: string;
}

const range = (b: ReliabilityBin) => `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`;

/** Accuracy per confidence bin against the diagonal: bars below it mean over-confidence, above it under-confidence. */
export function ReliabilityDiagram({ name, bins, ece, color = COLORS.distilled }: ReliabilityDiagramProps) {
  const id = useId();
  const rows = bins.reduce((a, b) => a + b.count, 0);
  const error = ece ?? (rows > 0 ? expectedCalibrationError(bins) : NaN);
  const title = `${name} — ECE ${percent1(error)}`;
  const data = bins.map((b) => ({
    range: range(b),
    accuracy: finiteOrNull(b.accuracy),
    confidence: finiteOrNull(b.confidence),
    // On evenly spaced bins, y = bin centre draws the diagonal y = x.
    ideal: (b.lower + b.upper) / 2,
  }));
  return (
    <figure className="chart analysis-chart" aria-labelledby={id}>
      <figcaption id={id}>
        {title}
        <span className="chart-summary"> — {rows.toLocaleString('en-US')} rows</span>
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <ComposedChart
          data={data}
          aria-label={`Reliability diagram: ${title}`}
          barCategoryGap={1}
          margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          {/* Every other bin named: a fixed interval needs no measuring of label widths (see chart-parts). */}
          <XAxis dataKey="range" interval={1} tick={plainTick} />
          <YAxis width={48} domain={[0, 1]} {...UNMEASURED_AXIS} tickFormatter={percentTick} />
          <Tooltip formatter={tooltipPercent} />
          <Bar name="Accuracy" dataKey="accuracy" fill={color} isAnimationActive={false} />
          <Line
            name="Perfect calibration"
            dataKey="ideal"
            stroke="#868e96"
            strokeDasharray="5 4"
            dot={false}
            activeDot={false}
            isAnimationActive={false}
          />
          <Line
            name="Mean confidence"
            dataKey="confidence"
            stroke={color}
            strokeWidth={0}
            dot={{ r: 3, fill: '#fff', stroke: color, strokeWidth: 2 }}
            legendType="circle"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
      <SeriesLegend
        items={[
          { name: 'Accuracy', color, width: 8 },
          { name: 'Perfect calibration', color: '#868e96', dash: '5 4', width: 1 },
          { name: 'Mean confidence', color, marker: 'circle' },
        ]}
      />
      <SavePngButton title={`Reliability diagram ${name}`} />
      <TextTable
        caption={title}
        columns={['Confidence bin', 'Rows', 'Mean confidence', 'Accuracy']}
        rows={bins.map((b) => [range(b), String(b.count), percent1(b.confidence), percent1(b.accuracy)])}
      />
    </figure>
  );
}
