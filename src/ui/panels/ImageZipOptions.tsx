import { useId, useState } from 'react';
import { loadData } from '../../state/load-actions';
import { useStudio } from '../../state/store';

/** After a .zip is chosen: the size and colour to decode its images to. */
export function ImageZipOptions({ file, onDone }: { file: File; onDone: () => void }) {
  const seed = useStudio((s) => s.config.seed);
  const [size, setSize] = useState({ width: 28, height: 28 });
  const [channels, setChannels] = useState<1 | 3>(1);
  const [testFraction, setTestFraction] = useState(0.2);
  const ids = { w: useId(), h: useId(), c: useId(), f: useId() };
  return (
    <div className="csv-options">
      <p>
        <strong>{file.name}</strong>: images in one folder per class.
      </p>
      <div className="field-grid">
        <div className="field">
          <label htmlFor={ids.w}>Image width</label>
          <input
            id={ids.w}
            type="number"
            min={1}
            max={256}
            value={size.width}
            onChange={(e) => setSize({ ...size, width: Number(e.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.h}>Image height</label>
          <input
            id={ids.h}
            type="number"
            min={1}
            max={256}
            value={size.height}
            onChange={(e) => setSize({ ...size, height: Number(e.target.value) })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.c}>Colour</label>
          <select id={ids.c} value={channels} onChange={(e) => setChannels(e.target.value === '3' ? 3 : 1)}>
            <option value={1}>Grayscale</option>
            <option value={3}>RGB</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.f}>Test fraction</label>
          <input
            id={ids.f}
            type="number"
            min={0.05}
            max={0.95}
            step={0.05}
            value={testFraction}
            onChange={(e) => setTestFraction(Number(e.target.value))}
          />
        </div>
      </div>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          onClick={() => {
            loadData(
              { kind: 'images', file, width: size.width, height: size.height, channels, testFraction, seed },
              `Decoding images in ${file.name}`,
            );
            onDone();
          }}
        >
          Load images
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
