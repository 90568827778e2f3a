import { bornAgainRefusal } from '../../core/born-again-rules';
import { distillRunConfig } from '../../state/config';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';

/**
 * Born-again's one setting: how many generations, each distilled from the one before (the Loss panel
 * mounts it when Born-again is chosen), and why a run would be refused with the current teacher and settings.
 */
export function BornAgainFields() {
  const busy = useStudio((s) => s.run !== null);
  const config = useStudio((s) => s.config);
  const teacher = useStudio((s) => s.teacher);
  const studentSource = useStudio((s) => s.studentSource);
  const refusal = teacher
    ? bornAgainRefusal(distillRunConfig(config, studentSource), teacher.kind, teacher.kind === undefined || teacher.kind === 'layers')
    : null;
  return (
    <>
      <div className="field-grid">
        <NumberField setting="generations" disabled={busy} />
      </div>
      {refusal && (
        <p className="field-help" role="status">
          {refusal}
        </p>
      )}
    </>
  );
}
