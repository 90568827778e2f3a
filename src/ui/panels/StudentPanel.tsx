import { STUDENT_PRESETS } from '../../core/presets';
import { setSetting, useStudio } from '../../state/store';
import { Select } from '../Select';

export function StudentPanel() {
  const preset = useStudio((s) => s.config.studentPreset);
  const busy = useStudio((s) => s.run !== null);
  return (
    <section className="panel" aria-labelledby="student-heading">
      <h2 id="student-heading">Student</h2>
      <Select label="Student model" value={preset} options={STUDENT_PRESETS} onChange={(v) => setSetting('studentPreset', v)} disabled={busy} />
      <p className="field-help">A scratch student with the same architecture, the same initial weights and the same batches trains beside it on hard labels only: the control.</p>
    </section>
  );
}
