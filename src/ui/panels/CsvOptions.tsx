import { useId, useState } from 'react';
import type { Normalisation } from '../../core/data/types';
import { parseImageShape } from '../../state/image-shape';
import { cancelCsvPreview, loadData } from '../../state/load-actions';
import { useStudio } from '../../state/store';

/** After a CSV is chosen: its first rows, the label column and how to prepare the features. */
export function CsvOptions() {
  const csv = useStudio((s) => s.csvPreview);
  const seed = useStudio((s) => s.config.seed);
  const [labelColumn, setLabelColumn] = useState(csv?.preview.labelColumn ?? 0);
  const [normalisation, setNormalisation] = useState<Normalisation>('standardise');
  const [shapeText, setShapeText] = useState('');
  const [testFraction, setTestFraction] = useState(0.2);
  const [testFile, setTestFile] = useState<File | null>(null);
  const ids = { label: useId(), norm: useId(), shape: useId(), frac: useId(), test: useId() };
  if (!csv) return null;
  const { preview } = csv;
  const shape = parseImageShape(shapeText);
  const fractionOk = testFraction > 0 && testFraction < 1;
  return (
    <div className="csv-options">
      <table aria-label={`Preview of ${csv.fileName}`} className="preview">
        <thead>
          <tr>
            {preview.columns.map((c, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: column j of the file, fixed for the preview
              <th key={j} scope="col" className={j === labelColumn ? 'label-col' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.slice(0, 5).map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: row i of the file, fixed for the preview
            <tr key={i}>
              {row.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: column j of the file, fixed for the preview
                <td key={j} className={j === labelColumn ? 'label-col' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <small className="field-help">
        {preview.delimiter === '\t' ? 'Tab' : preview.delimiter === ';' ? 'Semicolon' : 'Comma'}-separated,{' '}
        {preview.hasHeader ? 'with a header row' : 'no header row'}.
      </small>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={ids.label}>Label column</label>
          <select id={ids.label} value={labelColumn} onChange={(e) => setLabelColumn(Number(e.target.value))}>
            {preview.columns.map((c, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: column j of the file, fixed for the preview
              <option key={j} value={j}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.norm}>Normalisation</label>
          <select id={ids.norm} value={normalisation} onChange={(e) => setNormalisation(e.target.value as Normalisation)}>
            <option value="standardise">Standardise</option>
            <option value="0-1">Scale to 0–1</option>
            <option value="none">None</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.shape}>Image shape</label>
          <input
            id={ids.shape}
            type="text"
            placeholder="e.g. 28x28x1"
            value={shapeText}
            aria-invalid={shape === 'invalid' ? true : undefined}
            onChange={(e) => setShapeText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.frac}>Test fraction</label>
          <input
            id={ids.frac}
            type="number"
            min={0.05}
            max={0.95}
            step={0.05}
            value={testFraction}
            disabled={testFile !== null}
            aria-invalid={fractionOk ? undefined : true}
            onChange={(e) => setTestFraction(Number(e.target.value))}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.test}>Test set file (optional)</label>
        <input id={ids.test} type="file" accept=".csv,.tsv,.txt" onChange={(e) => setTestFile(e.target.files?.[0] ?? null)} />
      </div>
      {shape === 'invalid' && <p className="field-error">Image shape must look like 28x28x1 (height × width × channels).</p>}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={shape === 'invalid' || (!testFile && !fractionOk)}
          onClick={() =>
            loadData(
              {
                kind: 'csv',
                file: csv.file,
                testFile: testFile ?? undefined,
                labelColumn,
                normalisation,
                imageShape: shape === 'invalid' || shape === null ? undefined : shape,
                testFraction,
                seed,
              },
              `Loading ${csv.fileName}`,
            )
          }
        >
          Load data set
        </button>
        <button type="button" onClick={cancelCsvPreview}>
          Cancel
        </button>
      </div>
    </div>
  );
}
