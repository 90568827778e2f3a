import type { Phase } from '../core/trainer';
import { formatCount, formatDuration } from '../state/format';
import { useStudio } from '../state/store';

const PHASE_LABEL: Record<Phase, string> = {
  teacher: 'Training the teacher',
  'teacher-logits': 'Computing teacher logits',
  distill: 'Distilling',
  evaluate: 'Evaluating on the test set',
};

export function ProgressBar() {
  const progress = useStudio((s) => s.progress);
  const run = useStudio((s) => s.run);
  if (!run || run.kind === 'sweep') return null; // the sweep heatmap has its own progress line
  const fraction = progress ? progress.samplesDone / Math.max(1, progress.samplesTotal) : 0;
  const label = progress ? PHASE_LABEL[progress.phase] : run.kind === 'teacher' ? 'Starting teacher training' : 'Starting distillation';
  const parts = progress
    ? [
        `epoch ${progress.epoch} of ${progress.epochs}`,
        progress.samplesPerSec > 0 ? `${formatCount(progress.samplesPerSec)} samples/s` : '',
        progress.etaSeconds !== null ? `about ${formatDuration(progress.etaSeconds)} left` : 'estimating time left…',
      ].filter(Boolean)
    : [];
  const status = run.status === 'paused' ? ' (paused)' : run.status === 'stopping' ? ' (stopping…)' : '';
  return (
    <div className="progress">
      <div className="progress-text" role="status" aria-label="Run status">
        <strong>
          {label}
          {status}
        </strong>{' '}
        {parts.join(' · ')}
      </div>
      <progress aria-label="Run progress" max={1} value={fraction} />
    </div>
  );
}
