import { useId } from 'react';
import { STUDENT_PRESETS, type StudentPresetId } from '../../core/presets';
import { findStudentArch } from '../../core/student-archs';
import { formatCount } from '../../state/format';
import { chooseStudentSource, uploadStudent } from '../../state/load-actions';
import { canStart } from '../../state/run-actions';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { ModelFilesInput } from '../ModelFilesInput';

const UPLOADED = 'uploaded';

export function StudentPanel() {
  const preset = useStudio((s) => s.config.studentPreset);
  const source = useStudio((s) => s.studentSource);
  const uploaded = useStudio((s) => s.uploadedStudent);
  const request = useStudio((s) => s.studentRequest);
  const error = useStudio((s) => s.studentError);
  const busy = useStudio((s) => s.run !== null);
  const startable = useStudio(canStart);
  const ids = { model: useId(), hint: useId() };
  const value = source === 'uploaded' && uploaded ? UPLOADED : preset;
  // An architecture "Use this student" set (Smallest student) is offered beside the presets while it is the student.
  const chosenArch = STUDENT_PRESETS.some((p) => p.id === preset) ? undefined : findStudentArch(preset);
  const choices = chosenArch ? [...STUDENT_PRESETS, { ...chosenArch, hint: 'Chosen with "Find the smallest student".' }] : STUDENT_PRESETS;
  const hint =
    value === UPLOADED && uploaded
      ? `${formatCount(uploaded.params)} parameters, from your file.`
      : choices.find((p) => p.id === preset)?.hint;
  return (
    <section className="panel" aria-labelledby="student-heading" id="panel-student" tabIndex={-1}>
      <h2 id="student-heading">Student</h2>
      <div className="field">
        <label htmlFor={ids.model}>Student model</label>
        <select
          id={ids.model}
          value={value}
          disabled={busy}
          aria-describedby={ids.hint}
          onChange={(e) => {
            const next = choices.find((p) => p.id === e.target.value);
            if (next) {
              setSetting('studentPreset', next.id satisfies StudentPresetId);
              chooseStudentSource('preset');
            } else chooseStudentSource('uploaded');
          }}
        >
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          {uploaded && <option value={UPLOADED}>{uploaded.description}</option>}
        </select>
        <small id={ids.hint} className="field-help">
          {hint}
        </small>
      </div>
      <ModelFilesInput
        label="Upload student"
        disabled={!startable}
        onFiles={uploadStudent}
        help={request ? `${request.label}…` : 'A TF.js layers model: its architecture and weights are where both students start.'}
      />
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
      <p className="field-help">
        A scratch student with the same architecture, the same initial weights and the same batches trains beside it on hard labels only:
        the control.
      </p>
    </section>
  );
}
