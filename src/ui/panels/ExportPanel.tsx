import { useId, useState } from 'react';
import { formatBytes, formatPercent } from '../../state/format';
import { exportModel } from '../../state/library-actions';
import { canStart } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import type { ExportQuantization } from '../../worker/protocol';
import { AdvancedSection } from './AdvancedSection';

const QUANT_LABEL: Record<ExportQuantization, string> = { none: 'float32', float16: 'float16 (½ size)', uint8: 'uint8 (¼ size)' };

/** Take the student home: a TF.js layers model, optionally quantised, measured after reloading. */
export function ExportPanel() {
  const results = useStudio((s) => s.results);
  const teacher = useStudio((s) => s.teacher);
  const request = useStudio((s) => s.exportRequest);
  const error = useStudio((s) => s.exportError);
  const last = useStudio((s) => s.lastExport);
  const startable = useStudio(canStart);
  const [quantization, setQuantization] = useState<ExportQuantization>('none');
  const [zip, setZip] = useState(true);
  const ids = { q: useId(), zip: useId() };
  return (
    <AdvancedSection panel="export" title="Export" blurb="Download the student or the teacher, optionally quantised.">
      <div className="field">
        <label htmlFor={ids.q}>Weight precision</label>
        <select id={ids.q} value={quantization} onChange={(e) => setQuantization(e.target.value as ExportQuantization)}>
          {(Object.keys(QUANT_LABEL) as ExportQuantization[]).map((q) => (
            <option key={q} value={q}>
              {QUANT_LABEL[q]}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input id={ids.zip} type="checkbox" checked={zip} onChange={(e) => setZip(e.target.checked)} /> As one .zip (else model.json and a
        .bin file)
      </label>
      <div className="button-row">
        <button type="button" disabled={!startable || !results} onClick={() => exportModel('distilled', quantization, zip)}>
          Download student
        </button>
        <button type="button" disabled={!startable || !teacher?.exportable} onClick={() => exportModel('teacher', quantization, zip)}>
          Download teacher
        </button>
      </div>
      <p className="field-help" aria-live="polite">
        {request
          ? `${request.label}…`
          : last
            ? `Saved ${last.fileNames.join(' + ')}: ${formatBytes(last.bytes)}, ${QUANT_LABEL[last.quantization]}; reloaded from these bytes it scores ${formatPercent(last.testAccuracy)} on the test set${
                last.target === 'distilled' && results ? ` (float32 in memory: ${formatPercent(results.distilled.testAccuracy)})` : ''
              }.`
            : 'TensorFlow.js layers format: load it with tf.loadLayersModel.'}
      </p>
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
    </AdvancedSection>
  );
}
