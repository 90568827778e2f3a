import { mutualRefusal } from '../../core/mutual-rules';
import { distillRunConfig } from '../../state/config';
import { useStudio } from '../../state/store';

/**
 * Why a mutual-learning run would be refused with the current settings, said before the run (the
 * Loss panel mounts it when Mutual learning is chosen); nothing when it can run.
 */
export function MutualFields() {
  const config = useStudio((s) => s.config);
  const studentSource = useStudio((s) => s.studentSource);
  const refusal = mutualRefusal(distillRunConfig(config, studentSource));
  if (!refusal) return null;
  return (
    <p className="field-help" role="status">
      {refusal}
    </p>
  );
}
