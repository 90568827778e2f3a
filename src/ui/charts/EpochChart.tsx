import { useId, useMemo } from 'react';
import type { DistillEpoch } from '../../core/trainer';
import { formatPercent } from '../../state/format';
import { useStudio } from '../../state/store';
import { useStaggeredValue } from '../Staggered';
import { extent, niceAxis } from './axis-ticks';
import { SeriesLegend } from './chart-parts';
import { COLORS } from './chart-style';
import { LinePlot, type PlotData } from './LinePlot';
import { SavePngButton } from './SavePngButton';

const pct = (v: unknown) => (typeof v === 'number' ? formatPercent(v) : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
// Module constants, not inline literals: the plot is memoised on its props' identity.
const MARGIN = { top: 8, right: 16, bottom: 4, left: 8 };
const percentTick = (v: number) => `${(v * 100).toFixed(1)}%`;
const numberTick = (v: number) => v.toFixed(2);

export interface EpochSeries {
  name: string;
  /** A stable key for React and a function that reads the value (NaN or undefined: not drawn). */
  key: string;
  value: (e: DistillEpoch) => number | undefined;
  model: 'teacher' | 'distilled' | 'scratch';
}

/** A per-epoch value of some of the three models: fractions (accuracy, agreement) as percentages, else plain numbers. */
export function EpochChart({
  title,
  series,
  unit = 'fraction',
}: {
  title: string;
  series: readonly EpochSeries[];
  unit?: 'fraction' | 'number';
}) {
  const epochs = useStaggeredValue(useStudio((s) => s.distillEpochs));
  const last = epochs.at(-1);
  const id = useId();
  const show = unit === 'fraction' ? pct : num;
  const legend = useMemo(
    () =>
      series.map((s) =>
        s.model === 'teacher' ? { name: s.name, color: COLORS.teacher, dash: '6 3', width: 1 } : { name: s.name, color: COLORS[s.model] },
      ),
    [series],
  );
  return (
    <figure className="chart" aria-labelledby={id} data-points={epochs.length}>
      <figcaption id={id}>
        {title}
        {last && (
          <span className="chart-summary">
            {' '}
            — epoch {last.epoch}: {series.map((s) => `${s.model} ${show(s.value(last))}`).join(', ')}
          </span>
        )}
      </figcaption>
      <EpochPlot epochs={epochs} series={series} unit={unit} title={title} />
      <SeriesLegend items={legend} />
      <SavePngButton title={title} />
    </figure>
  );
}

/**
 * The plot alone: its data memoised, so that the store's update re-renders only the caption at once;
 * the plot redraws when its staggered value arrives, in a task and transition of its own.
 */
function EpochPlot({
  epochs,
  series,
  unit,
  title,
}: {
  epochs: DistillEpoch[];
  series: readonly EpochSeries[];
  unit: 'fraction' | 'number';
  title: string;
}) {
  const x = useMemo(() => niceAxis(1, epochs.at(-1)?.epoch ?? 1, { integer: true, exact: true, count: 6 }), [epochs]);
  const y = useMemo(() => {
    const [lo, hi] = extent(epochs, (e) => series.map((s) => s.value(e)));
    return niceAxis(lo, hi);
  }, [epochs, series]);
  const data = useMemo<PlotData>(
    () => ({
      x: epochs.map((e) => e.epoch),
      lines: series.map((s) => ({
        name: s.name,
        y: epochs.map(s.value),
        // The teacher is the flat target line: dashed, no dots.
        ...(s.model === 'teacher'
          ? { color: COLORS.teacher, dash: '6 3' }
          : { color: COLORS[s.model], width: 2, dots: epochs.length <= 30 }),
      })),
    }),
    [epochs, series],
  );
  return (
    <LinePlot
      data={data}
      xAxis={x}
      yAxis={y}
      yAxisWidth={56}
      margin={MARGIN}
      yTick={unit === 'fraction' ? percentTick : numberTick}
      format={unit === 'fraction' ? pct : num}
      label={`Line chart: ${title}`}
    />
  );
}
