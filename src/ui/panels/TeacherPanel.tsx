import { lazy, Suspense, useId, useState } from 'react';
import { TEACHER_PRESETS } from '../../core/presets';
import { shippedTeachersFor } from '../../core/shipped';
import { formatCount, formatDuration, formatPercent } from '../../state/format';
import { loadShippedTeacher, uploadTeacher } from '../../state/load-actions';
import { canStart, trainTeacher } from '../../state/run-actions';
import { setSetting } from '../../state/settings-actions';
import { useStudio, type TeacherProgress } from '../../state/store';
import { ModelFilesInput, TFJS_MODEL_FILES } from '../ModelFilesInput';
import { trainTeacherInRunBar } from '../RunBar';
import { NumberField } from '../NumberField';
import { Select } from '../Select';

// Asked only of some ONNX models: its own chunk keeps the first load small (tests/product-bundle.test.ts).
const TeacherQuestion = lazy(() => import('./TeacherQuestion'));

/** An ONNX model's outputs on the data set, computed in chunks: how far, and the time left in words. */
export function TeacherOutputsProgress({ progress }: { progress: TeacherProgress }) {
  const left = progress.etaSeconds === null ? 'estimating time left…' : `about ${formatDuration(progress.etaSeconds)} left`;
  return (
    <div className="field">
      <progress aria-label="Teacher outputs" max={Math.max(1, progress.total)} value={progress.done} />
      <small className="field-help">
        Teacher outputs: {formatCount(progress.done)} of {formatCount(progress.total)} rows, {left}
      </small>
    </div>
  );
}

export function TeacherPanel() {
  const preset = useStudio((s) => s.config.teacherPreset);
  const teacher = useStudio((s) => s.teacher);
  const dataset = useStudio((s) => s.dataset);
  const request = useStudio((s) => s.teacherRequest);
  const error = useStudio((s) => s.teacherError);
  const question = useStudio((s) => s.teacherQuestion);
  const busy = useStudio((s) => s.run !== null);
  const startable = useStudio(canStart);
  const buttonInRunBar = useStudio(trainTeacherInRunBar);
  const shipped = dataset ? shippedTeachersFor(dataset.family, dataset.numClasses) : [];
  const [shippedId, setShippedId] = useState('');
  const shippedSelectId = useId();
  const chosen = shipped.find((t) => t.id === shippedId) ?? shipped[0];
  return (
    <section className="panel" aria-labelledby="teacher-heading" id="panel-teacher" tabIndex={-1}>
      <h2 id="teacher-heading">Teacher</h2>
      <p className="panel-status" aria-live="polite">
        {request
          ? `${request.label}…`
          : teacher
            ? `Ready: ${teacher.description}, ${formatPercent(teacher.testAccuracy)} test accuracy.`
            : 'No teacher yet: train one, or upload one.'}
      </p>
      {shipped.length > 0 && (
        <div className="field">
          <label htmlFor={shippedSelectId}>Shipped teacher</label>
          <div className="inline">
            <select id={shippedSelectId} value={chosen?.id} disabled={busy} onChange={(e) => setShippedId(e.target.value)}>
              {shipped.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
            <button type="button" disabled={!startable} onClick={() => loadShippedTeacher(chosen?.id)}>
              Use
            </button>
          </div>
        </div>
      )}
      <details className="train-teacher" open={shipped.length === 0}>
        <summary>Train a teacher here</summary>
        <Select
          label="Teacher model"
          value={preset}
          options={TEACHER_PRESETS}
          onChange={(v) => setSetting('teacherPreset', v)}
          disabled={busy}
        />
        <NumberField setting="teacherEpochs" disabled={busy} />
        {buttonInRunBar ? (
          <p className="field-help">Then press Train teacher, in the run bar at the top.</p>
        ) : (
          <button type="button" onClick={trainTeacher} disabled={!startable}>
            Train teacher
          </button>
        )}
      </details>
      <ModelFilesInput
        label="Upload teacher"
        disabled={!startable}
        onFiles={(files) => uploadTeacher(files)}
        accept={`${TFJS_MODEL_FILES},.onnx`}
        help="A TensorFlow.js model: model.json with its .bin files (select them together), or one .zip (layers or graph models); or an ONNX model (.onnx), e.g. from torch.onnx.export; or a Teachable Machine image export (model.json, weights.bin, metadata.json)."
      />
      {request?.progress && <TeacherOutputsProgress progress={request.progress} />}
      {question && (
        <Suspense fallback={<p className="panel-status">Loading the question…</p>}>
          <TeacherQuestion key={question.fileName} pending={question} disabled={!startable} />
        </Suspense>
      )}
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
    </section>
  );
}
