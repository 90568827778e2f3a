import { useId, useState } from 'react';
import { formatBytes, formatPercent } from '../../state/format';
import { exportModel } from '../../state/library-actions';
import { canStart } from '../../state/run-actions';
import { useStudio } from '../../state/store';
import type { ExportFormat, ExportQuantization } from '../../worker/protocol';
import { AdvancedSection } from './AdvancedSection';

const QUANT_LABEL: Record<ExportQuantization, string> = { none: 'float32', float16: 'float16 (½ size)', uint8: 'uint8 (¼ size)' };
const FORMAT_LABEL: Record<ExportFormat, string> = { tfjs: 'TensorFlow.js', onnx: 'ONNX', c: 'C source' };
/** What each format can write: ONNX has no uint8 weights here, C no float16 (microcontrollers rarely have half floats). */
const FORMAT_QUANT: Record<ExportFormat, readonly ExportQuantization[]> = {
  tfjs: ['none', 'float16', 'uint8'],
  onnx: ['none', 'float16'],
  c: ['none', 'uint8'],
};
const FORMAT_HELP: Record<ExportFormat, string> = {
  tfjs: 'TensorFlow.js layers format: load it with tf.loadLayersModel.',
  onnx: 'ONNX (opset 13): input [N, features] as the studio scales them, output logits. Checked in ONNX Runtime after export.',
  c: 'C99 source, distill_student.h and .c: no malloc, only <math.h>; the input is the raw row as the data file stores it.',
};
/** The largest difference from the TF.js student that the ONNX check accepts. */
const ONNX_TOLERANCE = 1e-4;

function savedText(last: NonNullable<ReturnType<typeof lastExportOf>>, inMemory: number | null): string {
  const base = `Saved ${last.fileNames.join(' + ')}: ${formatBytes(last.bytes)}, ${QUANT_LABEL[last.quantization]}`;
  if (last.format === 'onnx') return `${base}.`;
  if (last.format === 'c' && last.cSize) {
    return `${base}; flash ${formatBytes(last.cSize.weightBytes)} of weights + under ${formatBytes(last.cSize.codeBytesEstimate)} of code, RAM ${formatBytes(
      last.cSize.ramBytes,
    )}; the TF.js model it reproduces scores ${formatPercent(last.testAccuracy)} on the test set.`;
  }
  return `${base}; reloaded from these bytes it scores ${formatPercent(last.testAccuracy)} on the test set${
    inMemory !== null ? ` (float32 in memory: ${formatPercent(inMemory)})` : ''
  }.`;
}

function lastExportOf(s: ReturnType<typeof useStudio.getState>) {
  return s.lastExport;
}

/** Take the student home: TF.js (optionally quantised, measured after reloading), ONNX (checked in ONNX Runtime) or C source. */
export function ExportPanel() {
  const results = useStudio((s) => s.results);
  const teacher = useStudio((s) => s.teacher);
  const request = useStudio((s) => s.exportRequest);
  const error = useStudio((s) => s.exportError);
  const last = useStudio(lastExportOf);
  const startable = useStudio(canStart);
  const [format, setFormat] = useState<ExportFormat>('tfjs');
  const [quantization, setQuantization] = useState<ExportQuantization>('none');
  const [zip, setZip] = useState(true);
  const ids = { format: useId(), q: useId(), zip: useId() };
  const chooseFormat = (next: ExportFormat) => {
    setFormat(next);
    if (!FORMAT_QUANT[next].includes(quantization)) setQuantization('none');
  };
  const check = last?.format === 'onnx' ? last.onnxCheck : undefined;
  return (
    <AdvancedSection panel="export" title="Export" blurb="Download the student or the teacher, optionally quantised.">
      <div className="field">
        <label htmlFor={ids.format}>Format</label>
        <select id={ids.format} value={format} onChange={(e) => chooseFormat(e.target.value as ExportFormat)}>
          {(Object.keys(FORMAT_LABEL) as ExportFormat[]).map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABEL[f]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.q}>Weight precision</label>
        <select id={ids.q} value={quantization} onChange={(e) => setQuantization(e.target.value as ExportQuantization)}>
          {(Object.keys(QUANT_LABEL) as ExportQuantization[]).map((q) => (
            <option key={q} value={q} disabled={!FORMAT_QUANT[format].includes(q)}>
              {QUANT_LABEL[q]}
              {FORMAT_QUANT[format].includes(q) ? '' : ` (not for ${FORMAT_LABEL[format]})`}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input id={ids.zip} type="checkbox" checked={zip} disabled={format === 'onnx'} onChange={(e) => setZip(e.target.checked)} /> As one
        .zip (else model.json and a .bin file)
      </label>
      <div className="button-row">
        <button type="button" disabled={!startable || !results} onClick={() => exportModel('distilled', quantization, zip, format)}>
          Download student
        </button>
        <button
          type="button"
          disabled={!startable || !teacher?.exportable}
          onClick={() => exportModel('teacher', quantization, zip, format)}
        >
          Download teacher
        </button>
      </div>
      <p className="field-help" aria-live="polite">
        {request
          ? `${request.label}…`
          : last
            ? savedText(last, last.target === 'distilled' && results ? results.distilled.testAccuracy : null)
            : FORMAT_HELP[format]}
      </p>
      {check && !request && (
        <p role="status" aria-label="ONNX check" className="field-help">
          ONNX check: largest difference {check.maxAbsDiff.toExponential(1)} from the TF.js student, test accuracy{' '}
          {formatPercent(check.testAccuracy)} in ONNX Runtime.
        </p>
      )}
      {check && !request && !(check.maxAbsDiff <= ONNX_TOLERANCE) && (
        <div role="alert" className="message error">
          The ONNX model differs from the TF.js student by up to {check.maxAbsDiff.toExponential(1)}, more than {ONNX_TOLERANCE}: do not
          rely on this file.
        </div>
      )}
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
    </AdvancedSection>
  );
}
