import { useId } from 'react';
import { SOFT_TARGET_LABELS } from '../../core/method-rules';
import { STUDENT_PRESETS } from '../../core/presets';
import { SOFT_TARGET_IDS, runCount, sweepSamples, type SweepField } from '../../core/sweep';
import { formatCount, formatDuration } from '../../state/format';
import { canStart } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import { sweepFormSpec } from '../../state/sweep-form';
import { cancelSweep, runSweepFromForm, setSweepForm, useSweep } from '../../state/sweep-store';
import { AdvancedSection } from './AdvancedSection';

/** A grid of temperature × alpha (× student width), several seeds per cell, run one after another in the worker. */
export function SweepPanel() {
  const form = useSweep((s) => s.form);
  const rate = useSweep((s) => s.samplesPerSec);
  const seed = useStudio((s) => s.config.seed);
  const epochs = useStudio((s) => s.config.studentEpochs);
  const trainCount = useStudio((s) => s.dataset?.trainCount ?? null);
  const hasTeacher = useStudio((s) => s.teacher !== null);
  const startable = useStudio(canStart);
  const run = useStudio((s) => s.run);
  const id = useId();
  const { spec, errors } = sweepFormSpec(form, seed);
  const busy = run !== null;
  const sweeping = run?.kind === 'sweep';
  const fieldProps = (field: SweepField) => ({ 'aria-invalid': errors[field] ? true : undefined, 'aria-describedby': `${id}-${field}` });
  const note = (field: SweepField, help: string) => (
    <small id={`${id}-${field}`} className={errors[field] ? 'field-error' : 'field-help'}>
      {errors[field] ?? help}
    </small>
  );
  let estimate = '';
  if (spec) {
    const runs = runCount(spec);
    const time =
      rate && trainCount
        ? `about ${formatDuration(sweepSamples(spec, epochs, trainCount) / rate)} at ${formatCount(rate)} samples/s`
        : 'time unknown until a distillation has run';
    estimate = `${runs} run${runs === 1 ? '' : 's'} of ${epochs} epoch${epochs === 1 ? '' : 's'} (${runs / spec.seeds.length} cells × ${spec.seeds.length} seed${spec.seeds.length === 1 ? '' : 's'}): ${time}.`;
  }
  return (
    <AdvancedSection panel="sweep" title="Sweep" blurb="A grid of temperatures × alphas, several seeds a cell.">
      <div className="field">
        <label htmlFor={`${id}-t`}>Temperatures</label>
        <input
          id={`${id}-t`}
          type="text"
          value={form.temperatures}
          disabled={busy}
          onChange={(e) => setSweepForm({ temperatures: e.target.value })}
          {...fieldProps('temperatures')}
        />
        {note('temperatures', 'Comma-separated, from 0.1 to 100.')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-a`}>Alphas</label>
        <input
          id={`${id}-a`}
          type="text"
          value={form.alphas}
          disabled={busy}
          onChange={(e) => setSweepForm({ alphas: e.target.value })}
          {...fieldProps('alphas')}
        />
        {note('alphas', 'Weights of the soft targets, from 0 to 1.')}
      </div>
      <fieldset
        className="sweep-presets"
        style={{ border: '1px solid var(--border)', borderRadius: 4, margin: '0 0 8px', padding: '4px 8px' }}
        aria-describedby={`${id}-studentPresets`}
        disabled={busy}
      >
        <legend style={{ fontWeight: 600, fontSize: '0.9rem' }}>Student presets</legend>
        {STUDENT_PRESETS.map((p) => (
          <label key={p.id} className="checkbox">
            <input
              type="checkbox"
              checked={form.studentPresets.includes(p.id)}
              onChange={(e) =>
                setSweepForm({
                  studentPresets: e.target.checked ? [...form.studentPresets, p.id] : form.studentPresets.filter((x) => x !== p.id),
                })
              }
            />{' '}
            {p.label}
          </label>
        ))}
        {note('studentPresets', 'One heatmap per student.')}
      </fieldset>
      <fieldset
        className="sweep-presets"
        style={{ border: '1px solid var(--border)', borderRadius: 4, margin: '0 0 8px', padding: '4px 8px' }}
        aria-describedby={`${id}-softTargets`}
        disabled={busy}
      >
        <legend style={{ fontWeight: 600, fontSize: '0.9rem' }}>Soft targets to compare</legend>
        {SOFT_TARGET_IDS.map((t) => (
          <label key={t} className="checkbox">
            <input
              type="checkbox"
              checked={form.softTargets.includes(t)}
              onChange={(e) =>
                setSweepForm({ softTargets: e.target.checked ? [...form.softTargets, t] : form.softTargets.filter((x) => x !== t) })
              }
            />{' '}
            {SOFT_TARGET_LABELS[t]}
          </label>
        ))}
        {note('softTargets', "Ticked ones side by side in each alpha's column; none: the Loss panel's Soft targets.")}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-s`}>Seeds per cell</label>
        <input
          id={`${id}-s`}
          type="number"
          min={1}
          step={1}
          value={form.seedsPerCell}
          disabled={busy}
          onChange={(e) => setSweepForm({ seedsPerCell: e.target.value })}
          {...fieldProps('seeds')}
        />
        {note('seeds', `Seeds ${seed}, ${seed + 1}, …: each cell's spread comes from these.`)}
      </div>
      <p className={errors.total ? 'field-error' : 'field-help'} aria-live="polite">
        {errors.total ?? estimate}
      </p>
      <div className="button-row">
        <button type="button" className="primary" onClick={runSweepFromForm} disabled={!spec || !startable || !hasTeacher}>
          Run sweep
        </button>
        <button type="button" onClick={cancelSweep} disabled={!sweeping || run.status === 'stopping'}>
          Cancel sweep
        </button>
      </div>
      <p className="field-help">
        The other settings (epochs, batch size, learning rate, loss extras) apply to every run. Each student and seed trains one scratch
        control, shared by its cells.
      </p>
    </AdvancedSection>
  );
}
