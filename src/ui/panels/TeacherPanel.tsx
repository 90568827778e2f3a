import { TEACHER_PRESETS } from '../../core/presets';
import { formatPercent } from '../../state/format';
import { canStart, setSetting, trainTeacher, useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { Select } from '../Select';

export function TeacherPanel() {
  const preset = useStudio((s) => s.config.teacherPreset);
  const teacher = useStudio((s) => s.teacher);
  const busy = useStudio((s) => s.run !== null);
  const startable = useStudio(canStart);
  return (
    <section className="panel" aria-labelledby="teacher-heading">
      <h2 id="teacher-heading">Teacher</h2>
      <Select label="Teacher model" value={preset} options={TEACHER_PRESETS} onChange={(v) => setSetting('teacherPreset', v)} disabled={busy} />
      <NumberField setting="teacherEpochs" disabled={busy} />
      <button type="button" onClick={trainTeacher} disabled={!startable}>
        Train teacher
      </button>
      <p className="panel-status" aria-live="polite">
        {teacher ? `Ready: ${teacher.description}, ${formatPercent(teacher.testAccuracy)} test accuracy.` : 'No teacher yet: train one to distil from.'}
      </p>
    </section>
  );
}
