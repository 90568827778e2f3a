import { useEffect, useId, useState, type DragEvent } from 'react';
import { TOY_KINDS, type ToyKind } from '../../core/data/toy';
import { formatCount } from '../../state/format';
import { loadData, previewCsvFile } from '../../state/load-actions';
import { useStudio } from '../../state/store';
import { CsvOptions } from './CsvOptions';
import { ImageZipOptions } from './ImageZipOptions';

const TOY_LABELS: Record<ToyKind, string> = {
  spiral: 'Spiral (2-D)',
  moons: 'Two moons (2-D)',
  circles: 'Circles (2-D)',
  xor: 'XOR (2-D)',
  blobs: 'Gaussian blobs (2-D)',
};
type BuiltIn = 'mnist' | 'iris' | ToyKind;
const BUILT_IN: { id: BuiltIn; label: string }[] = [
  { id: 'mnist', label: 'MNIST-10k digits' },
  { id: 'iris', label: 'Iris flowers' },
  ...TOY_KINDS.map((k) => ({ id: k, label: TOY_LABELS[k] })),
];

function isToy(id: BuiltIn): id is ToyKind {
  return id !== 'mnist' && id !== 'iris';
}

export function DataPanel() {
  const dataset = useStudio((s) => s.dataset);
  const request = useStudio((s) => s.dataRequest);
  const error = useStudio((s) => s.dataError);
  const csvPreview = useStudio((s) => s.csvPreview);
  const busy = useStudio((s) => !s.backend || s.run !== null || s.dataRequest !== null);
  const seed = useStudio((s) => s.config.seed);
  const loaded = useStudio((s) => s.dataDescriptor);
  const [choice, setChoice] = useState<BuiltIn>('mnist');
  // A data set loaded from elsewhere (a shared link, the last visit) shows as the chosen one.
  useEffect(() => {
    if (loaded.kind === 'mnist' || loaded.kind === 'iris') setChoice(loaded.kind);
    else if (loaded.kind === 'toy') setChoice(loaded.toy);
  }, [loaded]);
  const [toy, setToy] = useState({ size: 1000, noise: 0.1, classes: 3 });
  const [zip, setZip] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const ids = { set: useId(), size: useId(), noise: useId(), classes: useId() };

  const loadBuiltIn = (id: BuiltIn) => {
    const label = BUILT_IN.find((b) => b.id === id)?.label ?? id;
    if (id === 'mnist') loadData({ kind: 'mnist' }, label);
    else if (id === 'iris') loadData({ kind: 'iris', seed }, label);
    else
      loadData(
        {
          kind: 'toy',
          toy: id,
          size: toy.size,
          noise: toy.noise,
          classes: id === 'spiral' || id === 'blobs' ? toy.classes : undefined,
          seed,
        },
        label,
      );
  };
  const takeFile = (file: File | undefined) => {
    if (!file) return;
    setZip(null);
    if (/\.zip$/i.test(file.name)) setZip(file);
    else previewCsvFile(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!busy) takeFile(e.dataTransfer.files[0]);
  };

  return (
    <section
      className={`panel${dragging ? ' dropping' : ''}`}
      aria-labelledby="data-heading"
      id="panel-data"
      tabIndex={-1}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <h2 id="data-heading">Data</h2>
      <p aria-live="polite">
        {dataset ? (
          <>
            <strong>{dataset.name}</strong>: {formatCount(dataset.trainCount)} training and {formatCount(dataset.testCount)} test rows,{' '}
            {dataset.numClasses} classes,{' '}
            {dataset.imageShape ? `${dataset.imageShape.join('×')} images` : `${dataset.numFeatures} features`}.
          </>
        ) : (
          'Loading MNIST-10k…'
        )}
      </p>
      <div className="field">
        <label htmlFor={ids.set}>Built-in data set</label>
        <div className="inline">
          <select id={ids.set} value={choice} disabled={busy} onChange={(e) => setChoice(e.target.value as BuiltIn)}>
            {BUILT_IN.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
          <button type="button" disabled={busy} onClick={() => loadBuiltIn(choice)}>
            Load
          </button>
        </div>
      </div>
      {isToy(choice) && (
        <div className="field-grid">
          <div className="field">
            <label htmlFor={ids.size}>Points</label>
            <input
              id={ids.size}
              type="number"
              min={6}
              max={100000}
              step={1}
              value={toy.size}
              disabled={busy}
              onChange={(e) => setToy({ ...toy, size: Number(e.target.value) })}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.noise}>Noise</label>
            <input
              id={ids.noise}
              type="number"
              min={0}
              max={2}
              step={0.05}
              value={toy.noise}
              disabled={busy}
              onChange={(e) => setToy({ ...toy, noise: Number(e.target.value) })}
            />
          </div>
          {(choice === 'spiral' || choice === 'blobs') && (
            <div className="field">
              <label htmlFor={ids.classes}>Classes</label>
              <input
                id={ids.classes}
                type="number"
                min={2}
                max={10}
                step={1}
                value={toy.classes}
                disabled={busy}
                onChange={(e) => setToy({ ...toy, classes: Number(e.target.value) })}
              />
            </div>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="upload-dataset">Upload dataset</label>
        <input
          id="upload-dataset"
          type="file"
          accept=".csv,.tsv,.txt,.zip,text/csv,application/zip"
          disabled={busy}
          onChange={(e) => {
            takeFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <small className="field-help">
          A CSV/TSV with a label column, or a .zip with one folder of PNG/JPEG images per class. Or drop a file on this panel. It stays in
          this browser.
        </small>
      </div>
      {csvPreview && <CsvOptions key={csvPreview.requestId} />}
      {zip && <ImageZipOptions file={zip} onDone={() => setZip(null)} />}
      {request && (
        <div className="data-progress">
          {request.label}
          {request.total > 0 && ` (${request.done} of ${request.total})`}…
          <progress
            aria-label="Data loading progress"
            max={Math.max(1, request.total)}
            value={request.total > 0 ? request.done : undefined}
          />
        </div>
      )}
      {error && (
        <div role="alert" className="message error">
          {error}
        </div>
      )}
    </section>
  );
}
