import type { Phase } from '../core/trainer';
import { formatCount, formatDuration } from '../state/format';
import { useStudio } from '../state/store';

const PHASE_LABEL: Record<Phase, string> = {
  teacher: 'Training the teacher',
  synthesise: 'Synthesising inputs from the teacher',
  'teacher-logits': 'Computing teacher logits',
  distill: 'Distilling',
  evaluate: 'Evaluating on the test set',
};

/** What the run bar says between runs: what the next click does. */
function idleText(hasTeacher: boolean, sweeping: boolean): string {
  if (sweeping) return 'Sweep running: each cell fills in under Sweep results.';
  return hasTeacher
    ? 'Press Distill: one student learns from the teacher, its twin from the labels alone.'
    : 'Distill needs a teacher: train one, or upload one.';
}

/**
 * The run's phase, epoch, speed and time left. Always mounted, so that its live region is announced when
 * a run starts; between runs a placeholder holds the bar's place, so the run bar keeps its height.
 */
export function ProgressBar() {
  const progress = useStudio((s) => s.progress);
  const run = useStudio((s) => s.run);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  // A sweep has its own progress line by its heatmap.
  const active = run !== null && run.kind !== 'sweep';
  const fraction = progress ? progress.samplesDone / Math.max(1, progress.samplesTotal) : 0;
  const member =
    run?.ensemble && `Training ensemble member ${Math.min(run.ensemble.trained.length + 1, run.ensemble.size)} of ${run.ensemble.size}`;
  const label =
    member && (!progress || progress.phase === 'teacher')
      ? member
      : progress
        ? PHASE_LABEL[progress.phase]
        : run?.kind === 'teacher'
          ? 'Starting teacher training'
          : 'Starting distillation';
  const parts = progress
    ? [
        `epoch ${progress.epoch} of ${progress.epochs}`,
        progress.samplesPerSec > 0 ? `${formatCount(progress.samplesPerSec)} samples/s` : '',
        progress.etaSeconds !== null ? `about ${formatDuration(progress.etaSeconds)} left` : 'estimating time left…',
      ].filter(Boolean)
    : [];
  const status = run?.status === 'paused' ? ' (paused)' : run?.status === 'stopping' ? ' (stopping…)' : '';
  return (
    <div className="progress">
      <div className="progress-text" role="status" aria-label="Run status">
        {active ? (
          <>
            <strong>
              {label}
              {status}
            </strong>{' '}
            {parts.join(' · ')}
          </>
        ) : (
          <span className="progress-idle">{idleText(hasTeacher, run?.kind === 'sweep')}</span>
        )}
      </div>
      {active ? <progress aria-label="Run progress" max={1} value={fraction} /> : <div className="progress-placeholder" />}
    </div>
  );
}
