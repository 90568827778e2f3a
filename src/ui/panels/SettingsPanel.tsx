import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';

export function SettingsPanel() {
  const busy = useStudio((s) => s.run !== null);
  return (
    <section className="panel" aria-labelledby="settings-heading" id="panel-settings" tabIndex={-1}>
      <h2 id="settings-heading">Distillation settings</h2>
      <div className="field-grid">
        {/* The three that the lessons and the paper turn first. */}
        <NumberField setting="temperature" disabled={busy} />
        <NumberField setting="alpha" disabled={busy} />
        <NumberField setting="studentEpochs" disabled={busy} />
        <NumberField setting="batchSize" disabled={busy} />
        <NumberField setting="learningRate" disabled={busy} />
        <NumberField setting="seed" disabled={busy} />
        <NumberField setting="repeats" disabled={busy} />
      </div>
    </section>
  );
}
