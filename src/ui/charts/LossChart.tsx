import { memo } from 'react';
import type { DistillLossPoint, TeacherLossPoint } from '../../core/trainer';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../../state/store';
import { useStaggeredValue } from '../Staggered';
import { CHART_HEIGHT, COLORS } from './chart-style';
import { SavePngButton } from './SavePngButton';

const fmt = (v: unknown) => (typeof v === 'number' ? v.toFixed(4) : String(v));

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
  const summary = showTeacher
    ? lastTeacher && `step ${Math.round(lastTeacher.step)}: ${fmt(lastTeacher.loss)}`
    : lastDistill && `step ${Math.round(lastDistill.step)}: distilled ${fmt(lastDistill.total)}, scratch ${fmt(lastDistill.scratch)}`;
  return (
    <figure className="chart" aria-labelledby="loss-title" data-points={showTeacher ? teacherLoss.length : distillLoss.length} data-last-step={Math.round((showTeacher ? lastTeacher : lastDistill)?.step ?? 0)}>
      <figcaption id="loss-title">
        {showTeacher ? 'Teacher training loss per step' : 'Training loss per step'}
        {summary && <span className="chart-summary"> — {summary}</span>}
      </figcaption>
      <LossPlot teacherLoss={teacherLoss} distillLoss={distillLoss} showTeacher={showTeacher} scaleByT2={scaleByT2} />
      <SavePngButton title={showTeacher ? 'Teacher training loss per step' : 'Training loss per step'} />
    </figure>
  );
}

/** The plot alone, memoised, so that only its staggered value redraws it: see EpochPlot. */
const LossPlot = memo(function LossPlot({ teacherLoss, distillLoss, showTeacher, scaleByT2 }: { teacherLoss: TeacherLossPoint[]; distillLoss: DistillLossPoint[]; showTeacher: boolean; scaleByT2: boolean }) {
  const hasMse = distillLoss.length > 0 && distillLoss[0].mse !== undefined;
  const hasHint = distillLoss.length > 0 && distillLoss[0].hint !== undefined;
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      {showTeacher ? (
        <LineChart data={teacherLoss} aria-label="Line chart: teacher training loss per step" margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={fmt} />
          <Legend />
          <Line name="Teacher" dataKey="loss" stroke={COLORS.teacher} dot={false} isAnimationActive={false} />
        </LineChart>
      ) : (
        <LineChart data={distillLoss} aria-label="Line chart: training loss per step" margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
          <YAxis width={48} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={fmt} />
          <Legend />
          <Line name="Distilled: total" dataKey="total" stroke={COLORS.distilled} dot={false} isAnimationActive={false} strokeWidth={2} />
          <Line name={scaleByT2 ? 'Distilled: soft (T²·KL)' : 'Distilled: soft (KL)'} dataKey="soft" stroke={COLORS.soft} dot={false} isAnimationActive={false} strokeDasharray="4 2" />
          <Line name="Distilled: hard (CE)" dataKey="hard" stroke={COLORS.hard} dot={false} isAnimationActive={false} strokeDasharray="2 2" />
          {hasMse && <Line name="Distilled: logit MSE" dataKey="mse" stroke={COLORS.mse} dot={false} isAnimationActive={false} strokeDasharray="6 2" />}
          {hasHint && <Line name="Distilled: hint MSE" dataKey="hint" stroke={COLORS.hint} dot={false} isAnimationActive={false} strokeDasharray="1 2" />}
          <Line name="Scratch (CE)" dataKey="scratch" stroke={COLORS.scratch} dot={false} isAnimationActive={false} strokeWidth={2} />
        </LineChart>
      )}
    </ResponsiveContainer>
  );
});
