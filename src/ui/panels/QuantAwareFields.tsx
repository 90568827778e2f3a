import { setSetting } from '../../state/settings-actions';
import { useStudio } from '../../state/store';
import { NumberField } from '../NumberField';

/** "Train for uint8": quantisation-aware distillation of the student's weights in its last epochs. */
export function QuantAwareFields() {
  const busy = useStudio((s) => s.run !== null);
  const on = useStudio((s) => s.config.trainForUint8);
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={on} disabled={busy} onChange={(e) => setSetting('trainForUint8', e.target.checked)} />
        Train for uint8 (the distilled student's weights fake-quantised as the uint8 export stores them; the Results compare)
      </label>
      {on && (
        <div className="field-grid">
          <NumberField setting="quantLastEpochs" disabled={busy} />
        </div>
      )}
    </>
  );
}
