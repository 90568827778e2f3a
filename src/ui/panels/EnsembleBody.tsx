import { ENSEMBLE_MAX_MEMBERS } from '../../core/experiment';
import { TEACHER_PRESETS } from '../../core/presets';
import { ENSEMBLE_COMBINES } from '../../state/config';
import {
  addRefusal,
  addTeacherToEnsemble,
  canAskEnsemble,
  combineEnsemble,
  combineRefusal,
  removeEnsembleMember,
  trainEnsemble,
} from '../../state/ensemble-actions';
import { formatPercent } from '../../state/format';
import { canStart } from '../../state/run-actions';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { Select } from '../Select';

/** The Ensemble panel's controls: a chunk of its own, loaded after the page starts (tests/product-bundle.test.ts). */
export default function EnsembleBody() {
  // While Train ensemble runs, the teachers it has trained so far: they become the members when it ends.
  const members = useStudio((s) => s.run?.ensemble?.trained ?? s.ensembleMembers);
  const combine = useStudio((s) => s.config.ensembleCombine);
  const size = useStudio((s) => s.config.ensembleSize);
  const preset = useStudio((s) => s.config.teacherPreset);
  const epochs = useStudio((s) => s.config.teacherEpochs);
  const request = useStudio((s) => s.ensembleRequest);
  const message = useStudio((s) => s.ensembleMessage);
  const busy = useStudio((s) => s.run !== null);
  const askable = useStudio(canAskEnsemble);
  const startable = useStudio(canStart);
  const cannotAdd = useStudio(addRefusal);
  const cannotCombine = useStudio(combineRefusal);
  const presetLabel = TEACHER_PRESETS.find((p) => p.id === preset)?.label ?? preset;
  return (
    <>
      <p className="panel-status" role="status">
        {request ? `${request.label}…` : message}
      </p>
      <div className="field">
        <button type="button" onClick={addTeacherToEnsemble} disabled={!askable || cannotAdd !== null}>
          Add teacher to ensemble
        </button>
        <small className="field-help">
          {cannotAdd ?? `The current teacher joins the members, and stays one after it is replaced (up to ${ENSEMBLE_MAX_MEMBERS}).`}
        </small>
      </div>
      <table className="ensemble-members">
        <caption>Ensemble members</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Teacher</th>
            <th scope="col">Test accuracy</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.length === 0 && (
            <tr>
              <td colSpan={4}>No members yet: add the current teacher, or train an ensemble.</td>
            </tr>
          )}
          {members.map((m, i) => (
            // Members have no identity of their own: the worker numbers them, and so does the page.
            // biome-ignore lint/suspicious/noArrayIndexKey: the position is the member's number
            <tr key={i}>
              <th scope="row">{i + 1}</th>
              <td>{m.description}</td>
              <td>{formatPercent(m.testAccuracy)}</td>
              <td>
                <button type="button" onClick={() => removeEnsembleMember(i)} disabled={!askable}>
                  Remove<span className="visually-hidden"> member {i + 1}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Select
        label="Ensemble combines"
        value={combine}
        options={ENSEMBLE_COMBINES}
        onChange={(v) => setSetting('ensembleCombine', v)}
        disabled={busy}
      />
      <div className="field">
        <button type="button" className="primary" onClick={combineEnsemble} disabled={!askable || cannotCombine !== null}>
          Use ensemble as teacher
        </button>
        <small className="field-help">{cannotCombine ?? `The ${members.length} members become the teacher.`}</small>
      </div>
      <h3>Train an ensemble</h3>
      <NumberField setting="ensembleSize" disabled={busy} />
      <div className="field">
        <button type="button" onClick={trainEnsemble} disabled={!startable || request !== null}>
          Train ensemble
        </button>
        <small className="field-help">
          {`${size} teachers of the Teacher panel's model (${presetLabel}, ${epochs} epoch${epochs === 1 ? '' : 's'} each), seeds 1 to ${size}; they replace the members and become the teacher. Progress shows in the run bar.`}
        </small>
      </div>
    </>
  );
}
