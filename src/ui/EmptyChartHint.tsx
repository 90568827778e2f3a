import type { ReactNode } from 'react';
import { useStudio, type StudioState } from '../state/store';

export type HintedChart = 'loss' | 'accuracy' | 'agreement' | 'kl';

/** What each chart will show, in the words of someone who has not run anything yet. */
const WHAT: Record<HintedChart, string> = {
  loss: 'the training loss of both students appears here, step by step',
  accuracy: 'after each epoch, the test accuracy of the teacher (dashed), the distilled student and the scratch student appears here',
  agreement: 'after each epoch, how often each student gives the teacher’s answer appears here',
  kl: 'after each epoch, how far each student’s softened answers are from the teacher’s appears here',
};

function isEmpty(chart: HintedChart, s: StudioState): boolean {
  if (chart === 'loss') return s.distillLoss.length === 0 && s.teacherLoss.length === 0;
  return s.distillEpochs.length === 0;
}

function hintText(chart: HintedChart, running: boolean, hasTeacher: boolean): string {
  if (running) return chart === 'loss' ? 'The first steps are on their way…' : 'The first epoch is on its way…';
  const what = WHAT[chart];
  return hasTeacher ? `Press Distill: ${what}.` : `Train or upload a teacher, then press Distill: ${what}.`;
}

/**
 * Wraps a chart and, while it has nothing to draw, lays a sentence over its empty axes: what will appear
 * there and how to get it. The chart itself is untouched (it keeps its size, so nothing jumps when data comes).
 */
export function EmptyChartHint({ chart, children }: { chart: HintedChart; children: ReactNode }) {
  const empty = useStudio((s) => isEmpty(chart, s));
  // Teacher training fills the loss chart only.
  const running = useStudio((s) => s.run?.kind === 'distill' || (chart === 'loss' && s.run?.kind === 'teacher'));
  const hasTeacher = useStudio((s) => s.teacher !== null);
  return (
    <div className="chart-slot">
      {children}
      {empty && (
        <p className="chart-hint" data-chart={chart}>
          <span>{hintText(chart, running, hasTeacher)}</span>
        </p>
      )}
    </div>
  );
}
