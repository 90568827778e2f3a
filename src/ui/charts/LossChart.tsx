import { useMemo } from 'react';
import type { DistillLossPoint, TeacherLossPoint } from '../../core/trainer';
import { useStudio } from '../../state/store';
import { useStaggeredValue } from '../Staggered';
import { extent, niceAxis } from './axis-ticks';
import { type LegendItem, SeriesLegend } from './chart-parts';
import { COLORS } from './chart-style';
import { LinePlot, type PlotData, type PlotLine } from './LinePlot';
import { SavePngButton } from './SavePngButton';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));
// A constant, not an inline literal: see EpochChart's.
const MARGIN = { top: 8, right: 16, bottom: 4, left: 0 };
const lossTick = (v: number) => v.toFixed(2);

/** The legend of LossPlot's lines, in the same order and styles. */
function lossLegend(
  showTeacher: boolean,
  scaleByT2: boolean,
  hasMse: boolean,
  hasHint: boolean,
  hasDkd: boolean,
  hasPeer: boolean,
): LegendItem[] {
  if (showTeacher) return [{ name: 'Teacher', color: COLORS.teacher, width: 1 }];
  return [
    { name: 'Distilled: total', color: COLORS.distilled },
    { name: scaleByT2 ? 'Distilled: soft (T²·KL)' : 'Distilled: soft (KL)', color: COLORS.soft, dash: '4 2', width: 1 },
    { name: 'Distilled: hard (CE)', color: COLORS.hard, dash: '2 2', width: 1 },
    ...(hasMse ? [{ name: 'Distilled: logit MSE', color: COLORS.mse, dash: '6 2', width: 1 }] : []),
    ...(hasHint ? [{ name: 'Distilled: hint MSE', color: COLORS.hint, dash: '1 2', width: 1 }] : []),
    ...(hasDkd
      ? [
          { name: 'TCKD', color: COLORS.tckd, dash: '8 3', width: 1 },
          { name: 'NCKD', color: COLORS.nckd, dash: '3 3', width: 1 },
        ]
      : []),
    ...(hasPeer
      ? [
          { name: 'Peer: total', color: COLORS.peer },
          { name: scaleByT2 ? 'Peer: soft (T²·KL)' : 'Peer: soft (KL)', color: COLORS.peer, dash: '4 2', width: 1 },
          { name: 'Peer: hard (CE)', color: COLORS.peer, dash: '2 2', width: 1 },
        ]
      : []),
    { name: 'Scratch (CE)', color: COLORS.scratch },
  ];
}

/** Training loss per step; the distilled student's total, soft and hard parts beside the control's loss. */
export function LossChart() {
  // Staggered: each chart redraws in a task and transition of its own, instead of all in one long task.
  const distillLoss = useStaggeredValue(useStudio((s) => s.distillLoss));
  const teacherLoss = useStaggeredValue(useStudio((s) => s.teacherLoss));
  const runKind = useStudio((s) => s.run?.kind);
  const scaleByT2 = useStudio((s) => s.config.scaleByT2);
  const showTeacher = runKind === 'teacher' || (distillLoss.length === 0 && teacherLoss.length > 0);
  const lastTeacher = teacherLoss.at(-1);
  const lastDistill = distillLoss.at(-1);
  const hasMse = distillLoss.length > 0 && distillLoss[0].mse !== undefined;
  const hasHint = distillLoss.length > 0 && distillLoss[0].hint !== undefined;
  const hasDkd = distillLoss.length > 0 && distillLoss[0].tckd !== undefined;
  // Mutual learning: the second student's terms beside the first's.
  const hasPeer = distillLoss.length > 0 && distillLoss[0].peerTotal !== undefined;
  const legend = useMemo(
    () => lossLegend(showTeacher, scaleByT2, hasMse, hasHint, hasDkd, hasPeer),
    [showTeacher, scaleByT2, hasMse, hasHint, hasDkd, hasPeer],
  );
  const summary = showTeacher
    ? lastTeacher && `step ${Math.round(lastTeacher.step)}: ${fmt(lastTeacher.loss)}`
    : lastDistill && `step ${Math.round(lastDistill.step)}: distilled ${fmt(lastDistill.total)}, scratch ${fmt(lastDistill.scratch)}`;
  return (
    <figure
      className="chart"
      aria-labelledby="loss-title"
      data-points={showTeacher ? teacherLoss.length : distillLoss.length}
      data-last-step={Math.round((showTeacher ? lastTeacher : lastDistill)?.step ?? 0)}
    >
      <figcaption id="loss-title">
        {showTeacher ? 'Teacher training loss per step' : 'Training loss per step'}
        {summary && <span className="chart-summary"> — {summary}</span>}
      </figcaption>
      <LossPlot
        teacherLoss={teacherLoss}
        distillLoss={distillLoss}
        showTeacher={showTeacher}
        scaleByT2={scaleByT2}
        hasMse={hasMse}
        hasHint={hasHint}
        hasDkd={hasDkd}
        hasPeer={hasPeer}
      />
      <SeriesLegend items={legend} />
      <SavePngButton title={showTeacher ? 'Teacher training loss per step' : 'Training loss per step'} />
    </figure>
  );
}

/** The plot alone, its data memoised, so that only its staggered value redraws it: see EpochPlot. */
interface LossPlotProps {
  teacherLoss: TeacherLossPoint[];
  distillLoss: DistillLossPoint[];
  showTeacher: boolean;
  scaleByT2: boolean;
  /** Whether the run logs those terms (they are charted only then). */
  hasMse: boolean;
  hasHint: boolean;
  /** Decoupled KD's two terms, charted as "TCKD" and "NCKD". */
  hasDkd: boolean;
  /** Mutual learning's second student, charted as "Peer: …". */
  hasPeer: boolean;
}

function LossPlot({ teacherLoss, distillLoss, showTeacher, scaleByT2, hasMse, hasHint, hasDkd, hasPeer }: LossPlotProps) {
  const points: ReadonlyArray<{ step: number }> = showTeacher ? teacherLoss : distillLoss;
  const x = useMemo(() => niceAxis(points[0]?.step ?? 0, points.at(-1)?.step ?? 1, { integer: true, exact: true, count: 6 }), [points]);
  const y = useMemo(() => {
    // recharts' default for a numeric y axis starts at 0: the same here, widened to whole steps.
    const [lo, hi] = showTeacher
      ? extent(teacherLoss, (p) => [p.loss])
      : extent(distillLoss, (p) => [
          p.total,
          p.soft,
          p.hard,
          p.mse,
          p.hint,
          p.tckd,
          p.nckd,
          p.peerTotal,
          p.peerSoft,
          p.peerHard,
          p.scratch,
        ]);
    return niceAxis(Math.min(0, lo), hi);
  }, [showTeacher, teacherLoss, distillLoss]);
  const data = useMemo<PlotData>(() => {
    if (showTeacher)
      return { x: teacherLoss.map((p) => p.step), lines: [{ name: 'Teacher', color: COLORS.teacher, y: teacherLoss.map((p) => p.loss) }] };
    const line = (name: string, read: (p: DistillLossPoint) => number | undefined, style: Omit<PlotLine, 'name' | 'y'>): PlotLine => ({
      name,
      y: distillLoss.map(read),
      ...style,
    });
    return {
      x: distillLoss.map((p) => p.step),
      lines: [
        line('Distilled: total', (p) => p.total, { color: COLORS.distilled, width: 2 }),
        line(scaleByT2 ? 'Distilled: soft (T²·KL)' : 'Distilled: soft (KL)', (p) => p.soft, { color: COLORS.soft, dash: '4 2' }),
        line('Distilled: hard (CE)', (p) => p.hard, { color: COLORS.hard, dash: '2 2' }),
        ...(hasMse ? [line('Distilled: logit MSE', (p) => p.mse, { color: COLORS.mse, dash: '6 2' })] : []),
        ...(hasHint ? [line('Distilled: hint MSE', (p) => p.hint, { color: COLORS.hint, dash: '1 2' })] : []),
        ...(hasDkd
          ? [
              line('TCKD', (p) => p.tckd, { color: COLORS.tckd, dash: '8 3' }),
              line('NCKD', (p) => p.nckd, { color: COLORS.nckd, dash: '3 3' }),
            ]
          : []),
        ...(hasPeer
          ? [
              line('Peer: total', (p) => p.peerTotal, { color: COLORS.peer, width: 2 }),
              line(scaleByT2 ? 'Peer: soft (T²·KL)' : 'Peer: soft (KL)', (p) => p.peerSoft, { color: COLORS.peer, dash: '4 2' }),
              line('Peer: hard (CE)', (p) => p.peerHard, { color: COLORS.peer, dash: '2 2' }),
            ]
          : []),
        line('Scratch (CE)', (p) => p.scratch, { color: COLORS.scratch, width: 2 }),
      ],
    };
  }, [showTeacher, teacherLoss, distillLoss, scaleByT2, hasMse, hasHint, hasDkd, hasPeer]);
  return (
    <LinePlot
      data={data}
      xAxis={x}
      yAxis={y}
      yAxisWidth={48}
      margin={MARGIN}
      yTick={lossTick}
      format={fmt}
      label={showTeacher ? 'Line chart: teacher training loss per step' : 'Line chart: training loss per step'}
    />
  );
}
