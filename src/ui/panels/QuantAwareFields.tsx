import { useId } from 'react';
import type { StudioConfig } from '../../state/config';
import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';
import { type Option, Select } from '../Select';

const SCHEMES: readonly Option<StudioConfig['quantScheme']>[] = [
  {
    id: 'per-tensor',
    label: 'Per tensor',
    hint: "One scale and minimum per weight tensor: TF.js's uint8 format, and the C export's int8.",
  },
  {
    id: 'per-channel',
    label: 'Per channel',
    hint: "One scale and minimum per output channel (each unit or filter): the C export's int8; TF.js's uint8 files cannot hold it.",
  },
];

/** "Train for uint8": quantisation-aware distillation of the student's weights (and optionally activations) in its last epochs. */
export function QuantAwareFields() {
  const busy = useStudio((s) => s.run !== null);
  const on = useStudio((s) => s.config.trainForUint8);
  const scheme = useStudio((s) => s.config.quantScheme);
  const activations = useStudio((s) => s.config.quantActivations);
  // The trainer refuses the two together: a hint reads a hidden layer through a second model that skips the fake quantisation.
  const hintOn = useStudio((s) => s.config.hintTeacherLayer !== null);
  const hintId = useId();
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={on} disabled={busy} onChange={(e) => setSetting('trainForUint8', e.target.checked)} />
        Train for uint8 (the distilled student's weights fake-quantised as the uint8 export stores them; the Results compare)
      </label>
      {on && (
        <>
          <div className="field-grid">
            <NumberField setting="quantLastEpochs" disabled={busy} />
          </div>
          <Select
            label="Quantisation scheme"
            value={scheme}
            options={SCHEMES}
            disabled={busy}
            onChange={(v) => setSetting('quantScheme', v)}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={activations && !hintOn}
              disabled={busy || hintOn}
              aria-describedby={hintId}
              onChange={(e) => setSetting('quantActivations', e.target.checked)}
            />
            Quantise activations
          </label>
          <small className="field-help" id={hintId}>
            {hintOn
              ? 'Quantise activations cannot be combined with a FitNets hint: turn the hint off to use it.'
              : "Each hidden layer's output on a uint8 grid whose range is learned in the float epochs, as the C int8 export computes it."}
          </small>
        </>
      )}
    </>
  );
}
